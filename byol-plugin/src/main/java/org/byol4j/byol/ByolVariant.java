package org.byol4j.byol;

/** Where BYOL's regression targets come from. */
public enum ByolVariant {
    /** The paper's BYOL: a target network ξ, the moving average of the online weights. */
    BYOL,
    /**
     * BYOL-S, the weight-shared siamese variant (the article's §8.1; SimSiam's observation, Chen &amp; He 2021, that
     * BYOL works with τ = 0): the target is the online network itself under a stop-gradient, so there is no second
     * network, no moving average and no target pass; the predictor is kept.
     */
    BYOL_S
}
