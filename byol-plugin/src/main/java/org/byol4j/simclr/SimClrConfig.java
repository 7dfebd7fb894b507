package org.byol4j.simclr;

import org.byol4j.augment.ViewAugmentation;
import org.byol4j.options.Option;
import org.byol4j.options.OptionValues;
import org.byol4j.method.OptimiserKind;
import org.byol4j.method.PretrainingConfig;
import org.byol4j.method.PretrainingMethod;
import org.byol4j.method.RunLength;

/**
 * The settings of a SimCLR run (Chen et al., ICML 2020): the shared {@link PretrainingConfig} with SimCLR's
 * defaults (LARS, base learning rate 0.3 at batch 256, weight decay 1e-6, projector 2048 → 128) and its own: the
 * temperature of {@link NtXentLoss} (0.1 at ImageNet scale) and the strength of its colour distortion (1.0 on
 * ImageNet, 0.5 on CIFAR). Both views get the same augmentation ({@link ViewAugmentation#simclrView}).
 */
public final class SimClrConfig extends PretrainingConfig {

    /** Temperature of the NT-Xent loss. */
    public static final Option<SimClrConfig, Float> TEMPERATURE = Option.ofFloat(SimClrConfig.class, "temperature",
            0.1f, "Temperature T of the NT-Xent loss (paper: 0.1 on ImageNet, 0.5 on CIFAR-10).")
            .require(v -> v > 0, "must be > 0");

    /** Colour-distortion strength. */
    public static final Option<SimClrConfig, Float> COLOUR_STRENGTH = Option.ofFloat(SimClrConfig.class,
            "colourStrength", 1.0f, "Colour-distortion strength s: jitter 0.8s, 0.8s, 0.8s, 0.2s (paper: 1.0"
                    + " ImageNet, 0.5 CIFAR-10).").require(v -> v > 0 && v <= 2.5f, "must be in (0, 2.5] (hue 0.2s"
                    + " may not exceed 0.5)");

    /** SimCLR's defaults; for OLCUT, use {@link #builder()} in code. */
    public SimClrConfig() {
        setDefaults(OptionValues.<SimClrConfig, OptimiserKind>of(OPTIMISER, OptimiserKind.LARS)
                .with(BASE_LEARNING_RATE, 0.3f).with(WEIGHT_DECAY, 1e-6f).with(PROJECTOR_HIDDEN, 2048)
                .with(PROJECTOR_OUTPUT, 128));
    }

    /** @return a builder starting from the defaults */
    public static Builder<SimClrConfig> builder() {
        return newBuilder(new SimClrConfig());
    }

    /**
     * @param preset a named recipe to start from
     * @return a builder starting from the preset's values
     */
    public static Builder<SimClrConfig> builder(SimClrPreset preset) {
        return builder().set(preset.settings());
    }

    /** {@inheritDoc} */
    @Override
    public String method() {
        return "simclr";
    }

    /** {@inheritDoc} */
    @Override
    public PretrainingMethod newMethod(RunLength length) {
        return new SimClrMethod(this);
    }

    /** @return SimCLR's view at this config's colour strength */
    @Override
    public ViewAugmentation view1() {
        return ViewAugmentation.simclrView(viewSize(), get(CROP_SCALE_MIN), get(BLUR_SIGMA_MAX), get(COLOUR_STRENGTH));
    }
}
