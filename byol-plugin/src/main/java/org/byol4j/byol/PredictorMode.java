package org.byol4j.byol;

/** How the predictor q takes part (the ablations of Grill et al. 2020, §5 and Table 5). */
public enum PredictorMode {
    /** The paper's BYOL: q is an MLP trained with the rest of the online network. */
    TRAINED,
    /** No predictor: the loss compares the online projection z directly with the target projection. */
    NONE,
    /** q is an MLP kept at its random initialisation (never updated). */
    FROZEN_RANDOM
}
