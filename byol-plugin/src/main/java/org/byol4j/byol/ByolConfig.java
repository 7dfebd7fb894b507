package org.byol4j.byol;

import com.oracle.labs.mlrg.olcut.config.Config;
import org.byol4j.augment.ViewAugmentation;
import org.byol4j.nn.MlpHead;
import org.byol4j.pretrain.PretrainingConfig;
import org.byol4j.pretrain.PretrainingMethod;
import org.byol4j.pretrain.RunLength;

/**
 * The settings of a BYOL run: the shared ones of {@link PretrainingConfig} (whose defaults are the paper's, Grill et
 * al. 2020 §3.3 and appendix C) and BYOL's own: the predictor, the target decay τ and how the views go through the
 * networks. In code use {@link #builder()} or {@link #builder(ByolPreset)}; a Tribuo/OLCUT configuration file sets
 * the {@code @Config} fields.
 */
public final class ByolConfig extends PretrainingConfig {

    @Config(description = "Predictor hidden width; 0 means the projector's (paper: 4096).")
    private int predictorHidden = 0;

    @Config(description = "Learning rate of the predictor's weight matrices as a multiple of the schedule's (paper:"
            + " 1; its appendix trains a faster predictor, table 21); its biases and BatchNorm parameters keep 1.")
    private float predictorLearningRateScale = 1f;

    @Config(description = "Predictor ablation: TRAINED (BYOL), NONE or FROZEN_RANDOM.")
    private PredictorMode predictor = PredictorMode.TRAINED;

    @Config(description = "tau_base of the cosine target-decay schedule (paper: 0.996); negative = derived from"
            + " the run length K (see TauRule).")
    private double tauBase = -1;

    @Config(description = "A fixed tau instead of the schedule (ablations: 0 = target is online, 1 = frozen"
            + " random target); negative = use the schedule.")
    private double fixedTau = -1;

    @Config(description = "Forward both views as one batch of 2N (faster; BatchNorm then pools both views'"
            + " statistics, unlike the paper's separate passes).")
    private boolean jointViewForward = false;

    @Config(description = "Keep the target encoder f' (the moving average of the online weights) as the run's"
            + " backbone instead of the online f that the paper keeps.")
    private boolean keepTarget = false;

    /** For OLCUT's configuration system; use {@link #builder()} in code. */
    public ByolConfig() {}

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param preset a named recipe to start from
     * @return a builder starting from the preset's values (the defaults for fields it does not set)
     */
    public static Builder builder(ByolPreset preset) {
        return new Builder().optOptions(preset.options());
    }

    /** {@inheritDoc} */
    @Override
    public String method() {
        return "byol";
    }

    /** {@inheritDoc} */
    @Override
    public PretrainingMethod newMethod(RunLength length) {
        return new ByolMethod(this, length);
    }

    /** @return the paper's first view: blur p = 1.0, solarize p = 0.0 */
    @Override
    public ViewAugmentation view1() {
        return ViewAugmentation.byolView1(viewSize(), cropScaleMin(), blurSigmaMax());
    }

    /** @return the paper's second view: blur p = 0.1, solarize p = 0.2 */
    @Override
    public ViewAugmentation view2() {
        return ViewAugmentation.byolView2(viewSize(), cropScaleMin(), blurSigmaMax());
    }

    /** {@inheritDoc} */
    @Override
    public void postConfig() {
        super.postConfig();
        check(predictorHidden >= 0, "predictorHidden", "must be >= 0, got " + predictorHidden);
        check(predictorLearningRateScale > 0 && Float.isFinite(predictorLearningRateScale),
                "predictorLearningRateScale", "must be finite and > 0, got " + predictorLearningRateScale);
        check(predictor != null, "predictor", "must be one of TRAINED, NONE, FROZEN_RANDOM");
        check(tauBase <= 1 && !Double.isNaN(tauBase), "tauBase",
                "must be in [0, 1] (negative = derived from the run length), got " + tauBase);
        check(fixedTau <= 1 && !Double.isNaN(fixedTau), "fixedTau", "must be <= 1 (negative = schedule), got "
                + fixedTau);
    }

    /** @return the predictor q (also built for {@link PredictorMode#NONE}, then unused) */
    public MlpHead predictorHead() {
        int hidden = predictorHidden == 0 ? projectorHidden() : predictorHidden;
        return MlpHead.builder().setHidden(hidden).setOutput(projectorOutput()).build();
    }

    /** @return the learning rate of the predictor's weight matrices as a multiple of the schedule's */
    public float predictorLearningRateScale() {
        return predictorLearningRateScale;
    }

    /** @return the predictor ablation */
    public PredictorMode predictor() {
        return predictor;
    }

    /** @return τ_base, or a negative number when derived from K ({@link TauRule}) */
    public double tauBase() {
        return tauBase;
    }

    /** @return the fixed τ, or a negative number for the cosine schedule */
    public double fixedTau() {
        return fixedTau;
    }

    /** @return whether both views go through the networks as one batch */
    public boolean jointViewForward() {
        return jointViewForward;
    }

    /** @return whether the run's backbone is the target's f' rather than the online f */
    public boolean keepTarget() {
        return keepTarget;
    }

    /** The builder: the shared {@code opt} methods, and BYOL's own. */
    public static final class Builder extends PretrainingConfig.Builder<ByolConfig, Builder> {

        private Builder() {
            super(new ByolConfig());
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * @param mode predictor ablation
         * @return this builder
         */
        public Builder optPredictor(PredictorMode mode) {
            config().predictor = mode;
            return this;
        }

        /**
         * @param hidden predictor hidden width (0 = the projector's)
         * @return this builder
         */
        public Builder optPredictorHidden(int hidden) {
            config().predictorHidden = hidden;
            return this;
        }

        /**
         * @param scale the learning rate of the predictor's weight matrices as a multiple of the schedule's (1 = the
         *     paper's); its biases and BatchNorm parameters keep the schedule's
         * @return this builder
         */
        public Builder optPredictorLearningRateScale(float scale) {
            config().predictorLearningRateScale = scale;
            return this;
        }

        /**
         * @param tauBase τ_base of the cosine schedule; negative = derived from K
         * @return this builder
         */
        public Builder optTauBase(double tauBase) {
            config().tauBase = tauBase;
            return this;
        }

        /**
         * @param tau a fixed τ in [0, 1] replacing the schedule
         * @return this builder
         */
        public Builder optFixedTau(double tau) {
            config().fixedTau = tau;
            return this;
        }

        /**
         * @param joint forward both views as one batch
         * @return this builder
         */
        public Builder optJointViewForward(boolean joint) {
            config().jointViewForward = joint;
            return this;
        }

        /**
         * @param keep keep the target's backbone f' (the moving average) instead of the online f
         * @return this builder
         */
        public Builder optKeepTarget(boolean keep) {
            config().keepTarget = keep;
            return this;
        }
    }
}
