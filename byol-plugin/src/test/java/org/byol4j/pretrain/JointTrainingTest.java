package org.byol4j.pretrain;

import static org.byol4j.method.PretrainingConfig.SUPERVISED_WEIGHT;
import static org.byol4j.method.PretrainingConfig.TOTAL_STEPS;
import static org.byol4j.pretrain.RunSettings.CHECKPOINT_EVERY;
import static org.byol4j.pretrain.RunSettings.WORKERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.byol4j.augment.ViewAugmentation;
import org.byol4j.backbone.Backbone;
import org.byol4j.backbone.ClassifierHead;
import org.byol4j.byol.ByolConfig;
import org.byol4j.data.LabelledImageSource;
import org.byol4j.data.PixelImage;
import org.byol4j.method.PretrainingMethod;
import org.byol4j.method.RunLength;
import org.byol4j.method.StepPhases;
import org.byol4j.method.StepViews;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.RepresentationTrainer;
import org.byol4j.spi.RepresentationTrainers;
import org.byol4j.spi.TrainingProgress;
import org.byol4j.views.LabelledBatch;
import org.byol4j.views.LabelledBatches;
import org.byol4j.views.ViewBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Joint training: its loss by hand, its head saved with the backbone, exact resume, and refusals. */
class JointTrainingTest {

    private static final float LAMBDA = 0.5f;

    /** Three classes of 12 px images: a bright row near the top, the middle or the bottom. */
    static LabelledImageSource rows(int n) {
        Random r = new Random(5);
        PixelImage[] images = new PixelImage[n];
        for (int i = 0; i < n; i++) {
            float[] px = new float[144];
            int row = 1 + (i % 3) * 4 + r.nextInt(2);
            for (int x = 0; x < 12; x++) {
                px[row * 12 + x] = 0.7f + 0.3f * r.nextFloat();
            }
            images[i] = new PixelImage(1, 12, 12, px);
        }
        List<String> classes = List.of("top", "middle", "bottom");
        return TinyRuns.labelled(n, n + " rows", i -> images[i], i -> classes.get(i % 3), classes);
    }

    @Test
    void lossIsTheMethodsPlusLambdaTimesTheHeadsCrossEntropyByHand() {
        ByolConfig config = TinyRuns.tinyConfig().set(SUPERVISED_WEIGHT, LAMBDA).build();
        LabelledImageSource labelled = rows(12);
        ViewBatch views = TinyRuns.randomBatch(config, 3);
        try (PretrainingMethod byol = config.newMethod(RunLength.of(config, 10, 10));
                JointTraining joint = new JointTraining(byol, LAMBDA, labelled, config.viewSize(), 1, 4, 7,
                        config.backbone().featureDim());
                NDManager m = joint.manager().newSubManager()) {
            Shape shape = new Shape(views.size(), 1, views.globalSide(), views.globalSide());
            StepViews both = StepViews.pair(m.create(views.global().get(0), shape),
                    m.create(views.global().get(1), shape));
            ParameterStore ps = new ParameterStore(m, false);
            double total = joint.forward(ps, both, new StepPhases()).loss().getFloat();
            double own = byol.forward(ps, both, new StepPhases()).loss().getFloat();

            ViewAugmentation aug = ViewAugmentation.cropAndFlip(config.viewSize(), 0.5f, 0.5f);
            int[] ids = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2};
            LabelledBatch batch = new LabelledBatches(labelled, ids, aug, 1, 4, 7 ^ JointTraining.LABELLED_SEED_SALT)
                    .forStep(0);
            NDArray x = m.create(batch.pixels(), new Shape(4, 1, batch.side(), batch.side()));
            float[] f = byol.backbone().forward(ps, new NDList(x), true).singletonOrThrow().toFloatArray();
            List<Parameter> params = joint.trainableParameters();
            float[] w = params.get(params.size() - 2).getArray().toFloatArray(); // (3, d)
            float[] b = params.get(params.size() - 1).getArray().toFloatArray(); // (3)
            int d = f.length / 4;
            double crossEntropy = 0;
            for (int i = 0; i < 4; i++) {
                double[] logits = new double[3];
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < 3; k++) {
                    logits[k] = b[k];
                    for (int j = 0; j < d; j++) {
                        logits[k] += (double) w[k * d + j] * f[i * d + j];
                    }
                    max = Math.max(max, logits[k]);
                }
                double sum = 0;
                for (double l : logits) {
                    sum += Math.exp(l - max);
                }
                crossEntropy += -(logits[batch.labels()[i]] - max - Math.log(sum));
            }
            crossEntropy /= 4;
            assertTrue(crossEntropy > 0.1, "a fresh head is unsure: " + crossEntropy);
            assertTrue(joint.parametersWithoutTrustRatio().contains(params.get(params.size() - 2).getId()),
                    "the head's weight is updated without LARS's trust ratio");
            assertEquals(own + LAMBDA * crossEntropy, total, 1e-4);
        }
    }

    private static Backbone train(ByolConfig config, Path checkpoints, PretrainingListener listener) {
        RunSettings settings = RunSettings.defaults().with(WORKERS, 1);
        if (checkpoints != null) {
            settings = settings.withCheckpointDir(checkpoints).with(CHECKPOINT_EVERY, 3);
        }
        return new Pretrainer(config, settings).train(TinyRuns.squares(32, 12), rows(24), listener);
    }

    @Test
    void theHeadIsSavedWithTheBackboneAndTheRecipeRecordsLambdaAndTheLabels(@TempDir Path dir) throws IOException {
        ByolConfig config = TinyRuns.tinyConfig().set(SUPERVISED_WEIGHT, LAMBDA).set(TOTAL_STEPS, 4).build();
        try (Backbone b = train(config, null, PretrainingListener.NONE)) {
            ClassifierHead head = b.classifierHead().orElseThrow();
            assertEquals(List.of("top", "middle", "bottom"), head.classes());
            assertEquals("0.5", b.recipe().get("supervisedWeight"));
            assertEquals("24 rows", b.recipe().get("labelledImages"));
            b.save(dir.resolve("joint"));
            try (Backbone loaded = Backbone.load(dir.resolve("joint"))) {
                assertEquals(head.sha256(), loaded.classifierHead().orElseThrow().sha256());
                assertEquals(head.classes(), loaded.classifierHead().orElseThrow().classes());
            }
        }
        try (Backbone plain = new Pretrainer(TinyRuns.tinyConfig().set(TOTAL_STEPS, 4).build())
                .train(TinyRuns.squares(32, 12), PretrainingListener.NONE)) {
            assertTrue(plain.classifierHead().isEmpty());
            assertEquals("0.0", plain.recipe().get("supervisedWeight"));
        }
    }

    /** Stands for a kill: thrown from inside the loop. */
    private static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash");
        }
    }

    @Test
    void aCrashedJointRunResumesToTheUninterruptedWeightsAndHead(@TempDir Path dir) {
        ByolConfig config = TinyRuns.tinyConfig().set(SUPERVISED_WEIGHT, LAMBDA).set(TOTAL_STEPS, 10).build();
        String backbone;
        String head;
        try (Backbone b = train(config, null, PretrainingListener.NONE)) {
            backbone = b.sha256();
            head = b.classifierHead().orElseThrow().sha256();
        }
        PretrainingListener crash = new PretrainingListener() {
            @Override
            public void onStep(TrainingProgress p) {
                if (p.step() == 5) {
                    throw new Crash();
                }
            }
        };
        assertThrows(Crash.class, () -> train(config, dir, crash));
        try (Backbone b = train(config, dir, PretrainingListener.NONE)) {
            assertEquals(backbone, b.sha256());
            assertEquals(head, b.classifierHead().orElseThrow().sha256());
        }
        try (Backbone selfSupervised = new Pretrainer(TinyRuns.tinyConfig().set(TOTAL_STEPS, 10).build(),
                RunSettings.defaults().with(WORKERS, 1)).train(TinyRuns.squares(32, 12), PretrainingListener.NONE)) {
            assertNotEquals(backbone, selfSupervised.sha256(), "the labels change what is learnt");
        }
    }

    @Test
    void everyShippedMethodTrainsJointlyThroughTheSpi() {
        RepresentationTrainers registry = RepresentationTrainers.load();
        for (String method : List.of("byol", "simclr", "simsiam")) {
            RepresentationTrainer trainer = registry.create(method, Map.of("preset", "none", "backbone",
                    "resnet20-small-w0.25", "inputChannels", "1", "imageSize", "12", "projectorHidden", "16",
                    "projectorOutput", "8", "batchSize", "8", "totalSteps", "3", "supervisedWeight", "1"));
            try (Backbone b = trainer.train(TinyRuns.squares(16, 12), rows(9), PretrainingListener.NONE)) {
                assertEquals(3, b.classifierHead().orElseThrow().classes().size(), method);
                assertEquals("1.0", b.recipe().get("supervisedWeight"), method);
            }
        }
    }

    @Test
    void refusesLambdaWithoutLabelsAndLabelsWithoutLambda() {
        Pretrainer joint = new Pretrainer(TinyRuns.tinyConfig().set(SUPERVISED_WEIGHT, LAMBDA).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> joint.train(TinyRuns.squares(16, 12), PretrainingListener.NONE));
        assertTrue(e.getMessage().contains("needs labelled images"), e.getMessage());
        Pretrainer plain = new Pretrainer(TinyRuns.tinyConfig().build());
        e = assertThrows(IllegalArgumentException.class,
                () -> plain.train(TinyRuns.squares(16, 12), rows(6), PretrainingListener.NONE));
        assertTrue(e.getMessage().contains("supervisedWeight is 0"), e.getMessage());
        RuntimeException negative = assertThrows(RuntimeException.class, () -> TinyRuns.tinyConfig()
                .set(SUPERVISED_WEIGHT, -1f).build());
        assertTrue(negative.getMessage().contains("supervisedWeight must be >= 0"), negative.getMessage());
    }
}
