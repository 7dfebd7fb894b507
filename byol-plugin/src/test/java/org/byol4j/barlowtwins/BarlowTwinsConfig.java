package org.byol4j.barlowtwins;

import org.byol4j.augment.ViewAugmentation;
import org.byol4j.options.Option;
import org.byol4j.options.OptionValues;
import org.byol4j.method.OptimiserKind;
import org.byol4j.method.PretrainingConfig;
import org.byol4j.method.PretrainingMethod;
import org.byol4j.method.RunLength;

/**
 * The settings of a Barlow Twins run (Zbontar et al., ICML 2021): the shared {@link PretrainingConfig} with the
 * paper's LARS optimiser, and its own weight λ of the redundancy-reduction term. A fourth method added from the test
 * tree, with no edit outside this package but one services line (docs/ARCHITECTURE.md, "Adding a method").
 */
public final class BarlowTwinsConfig extends PretrainingConfig {

    /** Weight of the off-diagonal term. */
    public static final Option<BarlowTwinsConfig, Float> LAMBDA = Option.ofFloat(BarlowTwinsConfig.class, "lambda",
            0.0051f, "Weight of the off-diagonal (redundancy-reduction) term (paper: 0.0051 for 8192-d"
                    + " projections).").require(v -> v > 0, "must be a positive number");

    /** The paper's defaults. */
    public BarlowTwinsConfig() {
        setDefaults(OptionValues.<BarlowTwinsConfig, OptimiserKind>of(OPTIMISER, OptimiserKind.LARS)
                .with(BASE_LEARNING_RATE, 0.2f).with(WEIGHT_DECAY, 1.5e-6f).with(PROJECTOR_HIDDEN, 8192)
                .with(PROJECTOR_OUTPUT, 8192));
    }

    /** {@inheritDoc} */
    @Override
    public String method() {
        return "barlowtwins";
    }

    /** {@inheritDoc} */
    @Override
    public PretrainingMethod newMethod(RunLength length) {
        return new BarlowTwinsMethod(this);
    }

    /** @return SimCLR's view at colour strength 0.5 for both views */
    @Override
    public ViewAugmentation view1() {
        return ViewAugmentation.simclrView(viewSize(), get(CROP_SCALE_MIN), get(BLUR_SIGMA_MAX), 0.5f);
    }
}
