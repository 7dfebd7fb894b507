package org.byol4j.it;

import static org.byol4j.byol.ByolConfig.FIXED_TAU;
import static org.byol4j.byol.ByolConfig.PREDICTOR;
import static org.byol4j.byol.ByolConfig.PREDICTOR_HIDDEN;
import static org.byol4j.byol.ByolConfig.TAU_BASE;
import static org.byol4j.method.PretrainingConfig.BACKBONE;
import static org.byol4j.method.PretrainingConfig.BASE_LEARNING_RATE;
import static org.byol4j.method.PretrainingConfig.BATCH_SIZE;
import static org.byol4j.method.PretrainingConfig.EPOCHS;
import static org.byol4j.method.PretrainingConfig.IMAGE_SIZE;
import static org.byol4j.method.PretrainingConfig.INPUT_CHANNELS;
import static org.byol4j.method.PretrainingConfig.OPTIMISER;
import static org.byol4j.method.PretrainingConfig.PROJECTOR_HIDDEN;
import static org.byol4j.method.PretrainingConfig.PROJECTOR_OUTPUT;
import static org.byol4j.method.PretrainingConfig.SEED;
import static org.byol4j.method.PretrainingConfig.WARMUP_EPOCHS;
import static org.byol4j.pretrain.RunSettings.WORKERS;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.byol4j.method.PretrainingConfig;
import org.byol4j.backbone.Backbone;
import org.byol4j.byol.ByolConfig;
import org.byol4j.byol.PredictorMode;
import org.byol4j.data.IdxImageSource;
import org.byol4j.method.CollapseMonitor;
import org.byol4j.method.OptimiserKind;
import org.byol4j.pretrain.Pretrainer;
import org.byol4j.pretrain.RunSettings;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.TrainingProgress;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paper's §4 claim, measured: without a predictor and with τ = 0 (the target is the online network),
 * the representation collapses; full BYOL on the same data and budget does not. The collapse monitor (mean
 * per-dimension std of normalised projections; 1/√d healthy, 0 collapsed) must separate the two.
 */
@Tag("slow")
class CollapseAblationTest {

    private static final int PROJECTION = 32;

    private static List<Double> monitor(IdxImageSource images, PretrainingConfig.Builder<ByolConfig> variant) {
        ByolConfig config = variant.set(BACKBONE, "resnet20-small-w0.25").set(INPUT_CHANNELS, 1).set(IMAGE_SIZE, 28)
                .set(PROJECTOR_HIDDEN, 128).set(PROJECTOR_OUTPUT, PROJECTION).set(BATCH_SIZE, 64).set(EPOCHS, 5)
                .set(OPTIMISER, OptimiserKind.LARS).set(BASE_LEARNING_RATE, 1.0f).set(WARMUP_EPOCHS, 1f)
                .set(TAU_BASE, 0.996).set(SEED, 3L).build();
        List<Double> perEpoch = new ArrayList<>();
        PretrainingListener listener = new PretrainingListener() {
            @Override
            public void onEpoch(TrainingProgress p) {
                perEpoch.add(p.metric(CollapseMonitor.METRIC));
            }
        };
        try (Backbone ignored = new Pretrainer(config, RunSettings.defaults().with(WORKERS, 2)).train(images,
                listener)) {
            return perEpoch;
        }
    }

    @Test
    void theMonitorSeparatesFullByolFromTheCollapsingAblation(@TempDir Path dir) throws IOException {
        IdxImageSource images = FashionMnistSample.load(dir, "train", 512);
        List<Double> full = monitor(images, ByolConfig.builder());
        List<Double> collapsing = monitor(images, ByolConfig.builder().set(PREDICTOR, PredictorMode.NONE)
                .set(PREDICTOR_HIDDEN, 0)
                .set(FIXED_TAU, 0.0));
        double healthy = CollapseMonitor.healthyValue(PROJECTION);
        System.out.printf(Locale.ROOT, "collapse monitor per epoch (healthy %.4f)%n  full BYOL:                %s%n"
                + "  no predictor, tau = 0:    %s%n", healthy, full, collapsing);
        double fullLast = full.get(full.size() - 1);
        double collapsedLast = collapsing.get(collapsing.size() - 1);
        assertTrue(fullLast > 0.5 * healthy, "full BYOL should stay spread out, monitor " + fullLast);
        assertTrue(collapsedLast < 0.2 * healthy, "the ablation should collapse, monitor " + collapsedLast);
    }
}
