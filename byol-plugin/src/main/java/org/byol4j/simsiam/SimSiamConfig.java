package org.byol4j.simsiam;

import org.byol4j.augment.ViewAugmentation;
import org.byol4j.nn.MlpHead;
import org.byol4j.options.Option;
import org.byol4j.options.OptionValues;
import org.byol4j.method.OptimiserKind;
import org.byol4j.method.PretrainingConfig;
import org.byol4j.method.PretrainingMethod;
import org.byol4j.method.RunLength;

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

    /** Predictor bottleneck width. */
    public static final Option<SimSiamConfig, Integer> PREDICTOR_HIDDEN = Option.ofInt(SimSiamConfig.class,
            "predictorHidden", 512, "Predictor bottleneck width (paper: 512 for 2048-d projections).")
            .require(v -> v >= 1, "must be >= 1");

    /** Whether the predictor keeps the peak learning rate. */
    public static final Option<SimSiamConfig, Boolean> FIXED_PREDICTOR_LEARNING_RATE = Option.ofBoolean(
            SimSiamConfig.class, "fixedPredictorLearningRate", true, "Keep the predictor's learning rate at the"
                    + " schedule's peak for the whole run, without warm-up or decay (paper: true, 'fix lr for"
                    + " predictor', section 4.2); false = the schedule's rate.");

    /** SimSiam's defaults; for OLCUT, use {@link #builder()} in code. */
    public SimSiamConfig() {
        setDefaults(OptionValues.<SimSiamConfig, OptimiserKind>of(OPTIMISER, OptimiserKind.SGD)
                .with(BASE_LEARNING_RATE, 0.05f).with(WEIGHT_DECAY, 1e-4f).with(MOMENTUM, 0.9f)
                .with(WARMUP_EPOCHS, 0f).with(CROP_SCALE_MIN, 0.2f).with(PROJECTOR_HIDDEN, 2048)
                .with(PROJECTOR_OUTPUT, 2048));
    }

    /** @return a builder starting from the defaults */
    public static Builder<SimSiamConfig> builder() {
        return newBuilder(new SimSiamConfig());
    }

    /**
     * @param preset a named recipe to start from
     * @return a builder starting from the preset's values
     */
    public static Builder<SimSiamConfig> builder(SimSiamPreset preset) {
        return builder().set(preset.settings());
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

    /** @return true: the stop-gradient side is the global views' projections, every view is predicted */
    @Override
    public boolean takesLocalViews() {
        return true;
    }

    /** @return MoCo v2's view: crop, flip, jitter (0.4, 0.4, 0.4, 0.1) p = 0.8, greyscale 0.2, blur p = 0.5 */
    @Override
    public ViewAugmentation view1() {
        return ViewAugmentation.simclrView(viewSize(), get(CROP_SCALE_MIN), get(BLUR_SIGMA_MAX), COLOUR_STRENGTH);
    }

    /** @return the projector: Linear → BatchNorm → ReLU → Linear → BatchNorm without γ/β, as the paper's code */
    @Override
    public MlpHead projector() {
        return MlpHead.builder().setHidden(get(PROJECTOR_HIDDEN)).setOutput(get(PROJECTOR_OUTPUT))
                .optOutputBatchNorm(true)
                .optOutputAffine(false).build();
    }

    /** @return the predictor h: Linear(bottleneck) → BatchNorm → ReLU → Linear(projection dimension) */
    public MlpHead predictorHead() {
        return MlpHead.builder().setHidden(get(PREDICTOR_HIDDEN)).setOutput(get(PROJECTOR_OUTPUT)).build();
    }
}
