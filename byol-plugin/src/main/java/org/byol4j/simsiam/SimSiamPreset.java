package org.byol4j.simsiam;

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
import static org.byol4j.method.PretrainingConfig.WARMUP_EPOCHS;
import static org.byol4j.method.PretrainingConfig.WEIGHT_DECAY;

import org.byol4j.options.OptionValues;
import org.byol4j.method.OptimiserKind;
import org.byol4j.method.Preset;
import org.byol4j.method.Presets;

/**
 * Named starting points for a {@link SimSiamConfig}: {@code SimSiamConfig.builder(SimSiamPreset.SMALL_GREYSCALE)},
 * or option {@code preset=small_greyscale} through the SPI; any field can then be overridden.
 */
public enum SimSiamPreset implements Preset<SimSiamConfig> {

    /**
     * The paper's ImageNet recipe (Chen &amp; He 2021, §4): ResNet-50 at 224 px, batch 512, SGD with base learning
     * rate 0.05 (× batch / 256), momentum 0.9, weight decay 1e-4, cosine decay without warm-up, 100 epochs,
     * projector 2048 → 2048, predictor bottleneck 512. (The paper's projector has three layers; byol4j's has the
     * two of its CIFAR experiments.)
     */
    PAPER_IMAGENET(OptionValues.<SimSiamConfig, String>of(BACKBONE, "resnet50-imagenet-w1").with(INPUT_CHANNELS, 3)
            .with(IMAGE_SIZE, 224).with(CROP_SCALE_MIN, 0.2f).with(PROJECTOR_HIDDEN, 2048)
            .with(PROJECTOR_OUTPUT, 2048).with(SimSiamConfig.PREDICTOR_HIDDEN, 512).with(BATCH_SIZE, 512)
            .with(EPOCHS, 100).with(OPTIMISER, OptimiserKind.SGD).with(BASE_LEARNING_RATE, 0.05f)
            .with(WARMUP_EPOCHS, 0f).with(WEIGHT_DECAY, 1e-4f).with(MOMENTUM, 0.9f)),

    /**
     * Small greyscale images (28 × 28 × 1) on a CPU, with the run settings of BYOL's small presets (ResNet-20,
     * batch 128, crops to 20 %, derived warm-up, schedules stretched over 4 × K) and SimSiam's CIFAR heads scaled to
     * the 64-d features: projector 1024 → 1024, predictor bottleneck 256, weight decay 5e-4 (its CIFAR value), SGD
     * base learning rate 0.06: twice the paper's CIFAR base rate (0.03 × batch / 256), as BYOL's small presets
     * learn faster with a larger step in a short run. Not tuned for SimSiam.
     */
    SMALL_GREYSCALE(small("resnet20-small-w1", 1, 28)),

    /** Small colour images (32 × 32 × 3): as {@link #SMALL_GREYSCALE} with a quarter-width ResNet-18. */
    SMALL_COLOUR(small("resnet18-small-w0.25", 3, 32));

    private final OptionValues<SimSiamConfig> settings;

    SimSiamPreset(OptionValues<SimSiamConfig> settings) {
        this.settings = settings;
    }

    private static OptionValues<SimSiamConfig> small(String backbone, int channels, int size) {
        return Presets.<SimSiamConfig>smallImages(backbone, channels, size).with(PROJECTOR_HIDDEN, 1024)
                .with(PROJECTOR_OUTPUT, 1024).with(SimSiamConfig.PREDICTOR_HIDDEN, 256)
                .with(OPTIMISER, OptimiserKind.SGD).with(BASE_LEARNING_RATE, 0.06f).with(WEIGHT_DECAY, 5e-4f)
                .with(MOMENTUM, 0.9f);
    }

    /** {@inheritDoc} */
    @Override
    public OptionValues<SimSiamConfig> settings() {
        return settings;
    }
}
