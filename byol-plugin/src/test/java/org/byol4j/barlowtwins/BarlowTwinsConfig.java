package org.byol4j.barlowtwins;

import com.oracle.labs.mlrg.olcut.config.Config;
import java.util.Map;
import org.byol4j.augment.ViewAugmentation;
import org.byol4j.pretrain.PretrainingConfig;
import org.byol4j.pretrain.PretrainingMethod;
import org.byol4j.pretrain.RunLength;

/**
 * The settings of a Barlow Twins run (Zbontar et al., ICML 2021): the shared {@link PretrainingConfig} with the
 * paper's LARS optimiser, and its own weight λ of the redundancy-reduction term. A fourth method added from the test
 * tree, with no edit outside this package but one services line (docs/ARCHITECTURE.md, "Adding a method").
 */
public final class BarlowTwinsConfig extends PretrainingConfig {

    @Config(description = "Weight of the off-diagonal (redundancy-reduction) term (paper: 0.0051 for 8192-d"
            + " projections).")
    private float lambda = 0.0051f;

    /** The paper's defaults. */
    public BarlowTwinsConfig() {
        setDefaults(Map.of("optimiser", "LARS", "baseLearningRate", "0.2", "weightDecay", "1.5e-6",
                "projectorHidden", "8192", "projectorOutput", "8192"));
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
        return ViewAugmentation.simclrView(viewSize(), cropScaleMin(), blurSigmaMax(), 0.5f);
    }

    /** {@inheritDoc} */
    @Override
    public void postConfig() {
        super.postConfig();
        check(lambda > 0 && Float.isFinite(lambda), "lambda", "must be a positive number, got " + lambda);
    }

    /** @return λ */
    public float lambda() {
        return lambda;
    }
}
