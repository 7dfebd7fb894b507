package org.byol4j.byol;

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
import static org.byol4j.method.PretrainingConfig.VIEW_SCALE;
import static org.byol4j.method.PretrainingConfig.WARMUP_EPOCHS;
import static org.byol4j.method.PretrainingConfig.WEIGHT_DECAY;

import org.byol4j.options.OptionValues;
import org.byol4j.method.OptimiserKind;
import org.byol4j.method.Preset;
import org.byol4j.method.Presets;

/**
 * Named starting points for a {@link ByolConfig}: {@code ByolConfig.builder(ByolPreset.SMALL_GREYSCALE)}, or
 * option {@code preset=small_greyscale} through the SPI; any option can then be overridden. Each preset is a set
 * of option values, type-checked where it is declared, so it prints, documents and applies the same way everywhere.
 */
public enum ByolPreset implements Preset<ByolConfig> {

    /**
     * The paper's ImageNet recipe (Grill et al. 2020, §3.3 and appendix C): ResNet-50 at 224 px, projector and
     * predictor 4096 → 256, batch 4096, LARS base lr 0.2 with 10 warm-up epochs, weight decay 1.5e-6,
     * τ_base 0.996, 1,000 epochs, crops down to 8 % of the image. A GPU cluster recipe.
     */
    PAPER_IMAGENET(OptionValues.<ByolConfig, String>of(BACKBONE, "resnet50-imagenet-w1").with(INPUT_CHANNELS, 3)
            .with(IMAGE_SIZE, 224).with(CROP_SCALE_MIN, 0.08f).with(PROJECTOR_HIDDEN, 4096)
            .with(PROJECTOR_OUTPUT, 256).with(BATCH_SIZE, 4096).with(EPOCHS, 1000).with(OPTIMISER, OptimiserKind.LARS)
            .with(BASE_LEARNING_RATE, 0.2f).with(WARMUP_EPOCHS, 10f).with(WEIGHT_DECAY, 1.5e-6f).with(MOMENTUM, 0.9f)
            .with(TRUST_COEFFICIENT, 0.001f).with(ByolConfig.TAU_BASE, 0.996)),

    /**
     * Small greyscale images such as Fashion-MNIST (28 × 28 × 1), sized for a CPU: a quarter-width ResNet-18 with
     * the small-image stem (128-d features; measured: 1.2 points of linear accuracy over ResNet-20 at about equal
     * wall time, both seeds, and 1.09× its step rate), projector 1024 → 256, batch 128, training views at 0.72 of
     * the image side, 20 px of 28 (measured: twice the steps per minute and +1.2 points of linear accuracy in a
     * 10-minute budget, both seeds; 16 px was no better and diverged once), LARS with the paper's base lr 0.2 and
     * trust coefficient 0.02 (weight matrices take the steps of base lr 4.0 at trust 0.001, which beat 2.0 by 1.3
     * points, both seeds; BatchNorm parameters and biases, which LARS does not adapt, keep the paper's rate instead
     * of a 20 × larger one under which a BatchNorm γ ran away in three runs), crops down to 35 % of the image
     * (measured: +0.7 points over 20 % at 1,200 steps, both seeds; 8 % of 28 px would be an 8 × 8 crop), the
     * paper's blur (σ up to 2 px; 0.25 px lost 5 points), warm-up and τ_base derived from the run length
     * ({@link org.byol4j.method.RunLength}, {@link TauRule}), and schedules stretched over 4 × K (measured: +2.0
     * points over full annealing at 1,030 steps, both seeds). The measurements are in docs/RECIPE.md.
     */
    SMALL_GREYSCALE(small("resnet18-small-w0.25", 1, 28)),

    /**
     * Small colour images such as CIFAR-10 (32 × 32 × 3): as {@link #SMALL_GREYSCALE}, with 23 px colour views of
     * 32 px images (the same 0.72 of the side; not measured on colour images here).
     */
    SMALL_COLOUR(small("resnet18-small-w0.25", 3, 32));

    private final OptionValues<ByolConfig> settings;

    ByolPreset(OptionValues<ByolConfig> settings) {
        this.settings = settings;
    }

    private static OptionValues<ByolConfig> small(String backbone, int channels, int size) {
        return Presets.<ByolConfig>smallImages(backbone, channels, size).with(PROJECTOR_HIDDEN, 1024)
                .with(PROJECTOR_OUTPUT, 256).with(OPTIMISER, OptimiserKind.LARS).with(BASE_LEARNING_RATE, 0.2f)
                .with(WEIGHT_DECAY, 1.5e-6f).with(MOMENTUM, 0.9f).with(TRUST_COEFFICIENT, 0.02f)
                .with(ByolConfig.TAU_BASE, -1.0).with(CROP_SCALE_MIN, 0.35f).with(VIEW_SCALE, 0.72f);
    }

    /** {@inheritDoc} */
    @Override
    public OptionValues<ByolConfig> settings() {
        return settings;
    }

    /**
     * @param name a preset name, any case ({@code small_greyscale}, {@code SMALL-GREYSCALE})
     * @return the preset
     * @throws IllegalArgumentException listing the presets when none has that name
     */
    public static ByolPreset of(String name) {
        return Presets.of(values(), name);
    }
}
