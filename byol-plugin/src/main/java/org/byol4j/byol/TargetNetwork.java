package org.byol4j.byol;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.byol4j.optim.ExponentialMovingAverage;
import org.byol4j.method.Encoder;

/**
 * BYOL's target network ξ (Grill et al. 2020, §3.1): backbone f' and projector g', the same architecture as
 * the online f and g, no predictor. It starts as an exact copy of the online network, is frozen to the
 * optimiser, and moves only by {@link #update(double)}: ξ ← τξ + (1 − τ)θ.
 *
 * <p>What the moving average covers: every learnable parameter of f' and g' — convolution and linear
 * weights and biases, and the BatchNorm affine γ and β. BatchNorm running statistics are not averaged: the
 * target runs in training mode, so its forward pass normalises with batch statistics as the paper's
 * implementation does, and its running mean/variance track its own batches with BatchNorm's usual momentum
 * (0.1). The loss never reads them; keeping them as the target's own statistics keeps them consistent with
 * the target's weights, which an average of the online network's statistics would not be. Either way the
 * training is the same; we state it because byol-pytorch's silence on it confused users (its issue #73).
 */
public final class TargetNetwork {

    private final Encoder encoder;
    private final ExponentialMovingAverage average;

    TargetNetwork(ByolConfig config, NDManager manager, OnlineNetwork online) {
        this.encoder = new Encoder(config, manager);
        // Block.initialize switches gradients on for every parameter: the target must never get any.
        encoder.freeze();
        this.average = new ExponentialMovingAverage(parameters(), online.encoder().parameters());
        update(0.0);
    }

    NDArray forward(ParameterStore ps, NDArray images) {
        return encoder.forward(ps, images).stopGradient();
    }

    /**
     * ξ ← τξ + (1 − τ)θ over every learnable parameter of f' and g' (weights, biases, BatchNorm γ and β), by the
     * generic {@link ExponentialMovingAverage}.
     *
     * @param tau τ in [0, 1]; 0 copies θ, 1 leaves ξ unchanged
     */
    public void update(double tau) {
        average.update(tau);
    }

    /** @return every parameter of f' then g', in the same order as the online f, g */
    public List<Parameter> parameters() {
        return encoder.parameters();
    }

    /** @return the target backbone f' */
    public Block backbone() {
        return encoder.backbone();
    }

    /** @return the target projector g' */
    public Block projector() {
        return encoder.projector();
    }

    /** Freezes f' and g' again (after loading replaced their arrays). */
    void freeze() {
        encoder.freeze();
    }
}
