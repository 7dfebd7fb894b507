package org.byol4j.simclr;

import com.oracle.labs.mlrg.olcut.config.Config;
import java.util.Map;
import org.byol4j.augment.ViewAugmentation;
import org.byol4j.pretrain.PretrainingConfig;
import org.byol4j.pretrain.PretrainingMethod;
import org.byol4j.pretrain.RunLength;

/**
 * The settings of a SimCLR run (Chen et al., ICML 2020): the shared {@link PretrainingConfig} with SimCLR's
 * defaults (LARS, base learning rate 0.3 at batch 256, weight decay 1e-6, projector 2048 → 128) and its own: the
 * temperature of {@link NtXentLoss} (0.1 at ImageNet scale) and the strength of its colour distortion (1.0 on
 * ImageNet, 0.5 on CIFAR). Both views get the same augmentation ({@link ViewAugmentation#simclrView}).
 */
public final class SimClrConfig extends PretrainingConfig {

    @Config(description = "Temperature T of the NT-Xent loss (paper: 0.1 on ImageNet, 0.5 on CIFAR-10).")
    private float temperature = 0.1f;

    @Config(description = "Colour-distortion strength s: jitter 0.8s, 0.8s, 0.8s, 0.2s (paper: 1.0 ImageNet, 0.5"
            + " CIFAR-10).")
    private float colourStrength = 1.0f;

    /** SimCLR's defaults; for OLCUT, use {@link #builder()} in code. */
    public SimClrConfig() {
        setDefaults(Map.of("optimiser", "LARS", "baseLearningRate", "0.3", "weightDecay", "1e-6",
                "projectorHidden", "2048", "projectorOutput", "128"));
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param preset a named recipe to start from
     * @return a builder starting from the preset's values
     */
    public static Builder builder(SimClrPreset preset) {
        return new Builder().optOptions(preset.options());
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
        return ViewAugmentation.simclrView(viewSize(), cropScaleMin(), blurSigmaMax(), colourStrength);
    }

    /** {@inheritDoc} */
    @Override
    public void postConfig() {
        super.postConfig();
        check(temperature > 0 && Float.isFinite(temperature), "temperature", "must be > 0, got " + temperature);
        check(colourStrength > 0 && colourStrength <= 2.5f, "colourStrength", "must be in (0, 2.5] (hue 0.2s may"
                + " not exceed 0.5), got " + colourStrength);
    }

    /** @return the NT-Xent temperature T */
    public float temperature() {
        return temperature;
    }

    /** @return the colour-distortion strength s */
    public float colourStrength() {
        return colourStrength;
    }

    /** The builder: the shared {@code opt} methods, and SimCLR's own. */
    public static final class Builder extends PretrainingConfig.Builder<SimClrConfig, Builder> {

        private Builder() {
            super(new SimClrConfig());
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * @param temperature NT-Xent temperature T
         * @return this builder
         */
        public Builder optTemperature(float temperature) {
            config().temperature = temperature;
            return this;
        }

        /**
         * @param strength colour-distortion strength s
         * @return this builder
         */
        public Builder optColourStrength(float strength) {
            config().colourStrength = strength;
            return this;
        }
    }
}
