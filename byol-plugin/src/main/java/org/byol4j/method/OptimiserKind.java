package org.byol4j.method;

/** The optimisers a pretraining run can use; learning rates are on each one's own scale. */
public enum OptimiserKind {
    /** LARS, the paper's optimiser (base learning rate 0.2 at batch 256). */
    LARS,
    /** SGD with momentum: LARS without trust-ratio adaptation. */
    SGD,
    /** AdamW: Adam-scale learning rates (≈ 1e-3); LARS-scale rates make BYOL collapse. */
    ADAMW
}
