package org.byol4j.simclr;

import static org.byol4j.method.PretrainingConfig.BACKBONE;
import static org.byol4j.method.PretrainingConfig.BASE_LEARNING_RATE;
import static org.byol4j.method.PretrainingConfig.BATCH_SIZE;
import static org.byol4j.method.PretrainingConfig.CROP_SCALE_MIN;
import static org.byol4j.method.PretrainingConfig.EPOCHS;
import static org.byol4j.method.PretrainingConfig.IMAGE_SIZE;
import static org.byol4j.method.PretrainingConfig.INPUT_CHANNELS;
import static org.byol4j.method.PretrainingConfig.MOMENTUM;
import static org.byol4j.method.PretrainingConfig.OPTIMISER;
import static org.byol4j.method.PretrainingConfig.PROJECTOR_HIDDEN;
import static org.byol4j.method.PretrainingConfig.PROJECTOR_OUTPUT;
import static org.byol4j.method.PretrainingConfig.TRUST_COEFFICIENT;
import static org.byol4j.method.PretrainingConfig.WARMUP_EPOCHS;
import static org.byol4j.method.PretrainingConfig.WEIGHT_DECAY;

import org.byol4j.options.OptionValues;
import org.byol4j.method.OptimiserKind;
import org.byol4j.method.Preset;
import org.byol4j.method.Presets;

/**
 * Named starting points for a {@link SimClrConfig}: {@code SimClrConfig.builder(SimClrPreset.SMALL_GREYSCALE)}, or
 * option {@code preset=small_greyscale} through the SPI; any field can then be overridden.
 */
public enum SimClrPreset implements Preset<SimClrConfig> {

    /**
     * The paper's ImageNet recipe (Chen et al. 2020, §B.1): ResNet-50 at 224 px, batch 4096, LARS with base learning
     * rate 0.3 (× batch / 256), 10 warm-up epochs then cosine decay, weight decay 1e-6, temperature 0.1, projector
     * 2048 → 128, colour strength 1.0, crops down to 8 %, 100 epochs.
     */
    PAPER_IMAGENET(OptionValues.<SimClrConfig, String>of(BACKBONE, "resnet50-imagenet-w1").with(INPUT_CHANNELS, 3)
            .with(IMAGE_SIZE, 224).with(CROP_SCALE_MIN, 0.08f).with(PROJECTOR_HIDDEN, 2048)
            .with(PROJECTOR_OUTPUT, 128).with(BATCH_SIZE, 4096).with(EPOCHS, 100).with(OPTIMISER, OptimiserKind.LARS)
            .with(BASE_LEARNING_RATE, 0.3f).with(WARMUP_EPOCHS, 10f).with(WEIGHT_DECAY, 1e-6f).with(MOMENTUM, 0.9f)
            .with(TRUST_COEFFICIENT, 0.001f).with(SimClrConfig.TEMPERATURE, 0.1f)
            .with(SimClrConfig.COLOUR_STRENGTH, 1.0f)),

    /**
     * Small greyscale images (28 × 28 × 1) on a CPU, with the run settings of BYOL's small presets (ResNet-20,
     * batch 128, crops to 20 %, derived warm-up, schedules stretched over 4 × K, LARS at base learning rate 0.2 with
     * trust coefficient 0.02: BYOL's docs/RECIPE.md decision 18, the product 0.004 measured for BYOL with weight
     * matrices' steps and the paper's rate for biases and BatchNorm γ/β, which LARS does not adapt), SimCLR's CIFAR
     * temperature 0.5 and colour strength 0.5, projector 1024 → 128. Not tuned for SimCLR.
     */
    SMALL_GREYSCALE(small("resnet20-small-w1", 1, 28)),

    /** Small colour images (32 × 32 × 3): as {@link #SMALL_GREYSCALE} with a quarter-width ResNet-18. */
    SMALL_COLOUR(small("resnet18-small-w0.25", 3, 32));

    private final OptionValues<SimClrConfig> settings;

    SimClrPreset(OptionValues<SimClrConfig> settings) {
        this.settings = settings;
    }

    private static OptionValues<SimClrConfig> small(String backbone, int channels, int size) {
        return Presets.<SimClrConfig>smallImages(backbone, channels, size).with(PROJECTOR_HIDDEN, 1024)
                .with(PROJECTOR_OUTPUT, 128).with(OPTIMISER, OptimiserKind.LARS).with(BASE_LEARNING_RATE, 0.2f)
                .with(WEIGHT_DECAY, 1e-6f).with(MOMENTUM, 0.9f).with(TRUST_COEFFICIENT, 0.02f)
                .with(SimClrConfig.TEMPERATURE, 0.5f).with(SimClrConfig.COLOUR_STRENGTH, 0.5f);
    }

    /** {@inheritDoc} */
    @Override
    public OptionValues<SimClrConfig> settings() {
        return settings;
    }
}
