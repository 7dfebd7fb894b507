package org.byol4j.simsiam;

import com.oracle.labs.mlrg.olcut.config.Config;
import java.util.Map;
import org.byol4j.augment.ViewAugmentation;
import org.byol4j.nn.MlpHead;
import org.byol4j.pretrain.PretrainingConfig;
import org.byol4j.pretrain.PretrainingMethod;
import org.byol4j.pretrain.RunLength;

/**
 * The settings of a SimSiam run (Chen &amp; He, CVPR 2021): the shared {@link PretrainingConfig} with SimSiam's
 * defaults (SGD, base learning rate 0.05 at batch 256, momentum 0.9, weight decay 1e-4, no warm-up, crops down to
 * 20 %, projector 2048 → 2048 with a batch-normalised output without γ/β, the two-layer variant its CIFAR experiments
 * use), its own predictor bottleneck (512) and its fixed predictor learning rate. Both views get MoCo v2's
 * augmentation, as in the paper ({@link ViewAugmentation#simclrView} at colour strength 0.5).
 */
public final class SimSiamConfig extends PretrainingConfig {

    /** The colour-jitter strength of MoCo v2's augmentation, which SimSiam uses. */
    static final float COLOUR_STRENGTH = 0.5f;

    @Config(description = "Predictor bottleneck width (paper: 512 for 2048-d projections).")
    private int predictorHidden = 512;

    @Config(description = "Keep the predictor's learning rate at the schedule's peak for the whole run, without"
            + " warm-up or decay (paper: true, 'fix lr for predictor', section 4.2); false = the schedule's rate.")
    private boolean fixedPredictorLearningRate = true;

    /** SimSiam's defaults; for OLCUT, use {@link #builder()} in code. */
    public SimSiamConfig() {
        setDefaults(Map.of("optimiser", "SGD", "baseLearningRate", "0.05", "weightDecay", "1e-4", "momentum", "0.9",
                "warmupEpochs", "0", "cropScaleMin", "0.2", "projectorHidden", "2048", "projectorOutput", "2048"));
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param preset a named recipe to start from
     * @return a builder starting from the preset's values
     */
    public static Builder builder(SimSiamPreset preset) {
        return new Builder().optOptions(preset.options());
    }

    /** {@inheritDoc} */
    @Override
    public String method() {
        return "simsiam";
    }

    /** {@inheritDoc} */
    @Override
    public PretrainingMethod newMethod(RunLength length) {
        return new SimSiamMethod(this);
    }

    /** @return MoCo v2's view: crop, flip, jitter (0.4, 0.4, 0.4, 0.1) p = 0.8, greyscale 0.2, blur p = 0.5 */
    @Override
    public ViewAugmentation view1() {
        return ViewAugmentation.simclrView(viewSize(), cropScaleMin(), blurSigmaMax(), COLOUR_STRENGTH);
    }

    /** {@inheritDoc} */
    @Override
    public void postConfig() {
        super.postConfig();
        check(predictorHidden >= 1, "predictorHidden", "must be >= 1, got " + predictorHidden);
    }

    /** @return the projector: Linear → BatchNorm → ReLU → Linear → BatchNorm without γ/β, as the paper's code */
    @Override
    public MlpHead projector() {
        return MlpHead.builder().setHidden(projectorHidden()).setOutput(projectorOutput()).optOutputBatchNorm(true)
                .optOutputAffine(false).build();
    }

    /** @return whether the predictor keeps the peak learning rate (no warm-up, no decay) */
    public boolean fixedPredictorLearningRate() {
        return fixedPredictorLearningRate;
    }

    /** @return the predictor h: Linear(bottleneck) → BatchNorm → ReLU → Linear(projection dimension) */
    public MlpHead predictorHead() {
        return MlpHead.builder().setHidden(predictorHidden).setOutput(projectorOutput()).build();
    }

    /** The builder: the shared {@code opt} methods, and SimSiam's own. */
    public static final class Builder extends PretrainingConfig.Builder<SimSiamConfig, Builder> {

        private Builder() {
            super(new SimSiamConfig());
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * @param hidden predictor bottleneck width
         * @return this builder
         */
        public Builder optPredictorHidden(int hidden) {
            config().predictorHidden = hidden;
            return this;
        }

        /**
         * @param fixed whether the predictor keeps the peak learning rate (paper: true)
         * @return this builder
         */
        public Builder optFixedPredictorLearningRate(boolean fixed) {
            config().fixedPredictorLearningRate = fixed;
            return this;
        }
    }
}
