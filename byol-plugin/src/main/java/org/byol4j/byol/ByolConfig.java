package org.byol4j.byol;

import org.byol4j.augment.ViewAugmentation;
import org.byol4j.nn.MlpHead;
import org.byol4j.options.Option;
import org.byol4j.method.PretrainingConfig;
import org.byol4j.method.PretrainingMethod;
import org.byol4j.method.RunLength;

/**
 * The settings of a BYOL run: the shared ones of {@link PretrainingConfig} (whose defaults are the paper's, Grill et
 * al. 2020 §3.3 and appendix C) and BYOL's own options declared here: the predictor, the target decay τ and how the
 * views go through the networks. In code use {@link #builder()} or {@link #builder(ByolPreset)}; a Tribuo/OLCUT
 * configuration file gives the options by name.
 */
public final class ByolConfig extends PretrainingConfig {

    /** Predictor hidden width. */
    public static final Option<ByolConfig, Integer> PREDICTOR_HIDDEN = Option.ofInt(ByolConfig.class,
            "predictorHidden", 0, "Predictor hidden width; 0 means the projector's (paper: 4096).")
            .require(v -> v >= 0, "must be >= 0");

    /** Learning rate of the predictor's weight matrices as a multiple of the schedule's. */
    public static final Option<ByolConfig, Float> PREDICTOR_LEARNING_RATE_SCALE = Option.ofFloat(ByolConfig.class,
            "predictorLearningRateScale", 1f, "Learning rate of the predictor's weight matrices as a multiple of the"
                    + " schedule's (paper: 1; its appendix trains a faster predictor, table 21); its biases and"
                    + " BatchNorm parameters keep 1.").require(v -> v > 0, "must be > 0");

    /** BYOL or its weight-shared variant BYOL-S. */
    public static final Option<ByolConfig, ByolVariant> VARIANT = Option.ofEnum(ByolConfig.class, "variant",
            ByolVariant.BYOL, "BYOL (a moving-average target network) or BYOL_S (weight-shared: the target is the"
                    + " online network under a stop-gradient; no target network, no tau).");

    /** Predictor ablation. */
    public static final Option<ByolConfig, PredictorMode> PREDICTOR = Option.ofEnum(ByolConfig.class, "predictor",
            PredictorMode.TRAINED, "Predictor ablation: TRAINED (BYOL), NONE or FROZEN_RANDOM.");

    /** τ_base of the cosine target-decay schedule. */
    public static final Option<ByolConfig, Double> TAU_BASE = Option.ofDouble(ByolConfig.class, "tauBase", -1,
            "tau_base of the cosine target-decay schedule (paper: 0.996); negative = derived from the run length K"
                    + " (see TauRule).").require(v -> v <= 1, "must be in [0, 1] (negative = derived from the run"
                    + " length)");

    /** A fixed τ instead of the schedule. */
    public static final Option<ByolConfig, Double> FIXED_TAU = Option.ofDouble(ByolConfig.class, "fixedTau", -1,
            "A fixed tau instead of the schedule (ablations: 0 = target is online, 1 = frozen random target);"
                    + " negative = use the schedule.").require(v -> v <= 1, "must be <= 1 (negative = schedule)");

    /** Forward both views as one batch. */
    public static final Option<ByolConfig, Boolean> JOINT_VIEW_FORWARD = Option.ofBoolean(ByolConfig.class,
            "jointViewForward", false, "Forward both views as one batch of 2N (faster; BatchNorm then pools both"
                    + " views' statistics, unlike the paper's separate passes).");

    /** Keep the target's backbone. */
    public static final Option<ByolConfig, Boolean> KEEP_TARGET = Option.ofBoolean(ByolConfig.class, "keepTarget",
            false, "Keep the target encoder f' (the moving average of the online weights) as the run's backbone"
                    + " instead of the online f that the paper keeps.");

    /** For OLCUT's configuration system; use {@link #builder()} in code. */
    public ByolConfig() {}

    /** @return a builder starting from the defaults */
    public static Builder<ByolConfig> builder() {
        return newBuilder(new ByolConfig());
    }

    /**
     * @param preset a named recipe to start from
     * @return a builder starting from the preset's values (the defaults for options it does not set)
     */
    public static Builder<ByolConfig> builder(ByolPreset preset) {
        return builder().set(preset.settings());
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

    /** @return true: BYOL's targets come from the global views, its online network sees every view */
    @Override
    public boolean takesLocalViews() {
        return true;
    }

    /** Refuses target settings that BYOL-S has no target for. */
    @Override
    protected void validate() {
        super.validate();
        if (get(VARIANT) == ByolVariant.BYOL_S) {
            check(!get(KEEP_TARGET), KEEP_TARGET, "must be false with variant BYOL_S, which has no target network");
            check(get(FIXED_TAU) < 0, FIXED_TAU, "must be unset (negative) with variant BYOL_S, which has no moving"
                    + " average, got " + get(FIXED_TAU));
            check(get(TAU_BASE) < 0, TAU_BASE, "must be unset (negative) with variant BYOL_S, which has no moving"
                    + " average, got " + get(TAU_BASE));
        }
    }

    /** @return the paper's first view: blur p = 1.0, solarize p = 0.0 */
    @Override
    public ViewAugmentation view1() {
        return ViewAugmentation.byolView1(viewSize(), get(CROP_SCALE_MIN), get(BLUR_SIGMA_MAX));
    }

    /** @return the paper's second view: blur p = 0.1, solarize p = 0.2 */
    @Override
    public ViewAugmentation view2() {
        return ViewAugmentation.byolView2(viewSize(), get(CROP_SCALE_MIN), get(BLUR_SIGMA_MAX));
    }

    /** @return the predictor q (also built for {@link PredictorMode#NONE}, then unused) */
    public MlpHead predictorHead() {
        int hidden = get(PREDICTOR_HIDDEN) == 0 ? get(PROJECTOR_HIDDEN) : get(PREDICTOR_HIDDEN);
        return MlpHead.builder().setHidden(hidden).setOutput(get(PROJECTOR_OUTPUT)).build();
    }
}
