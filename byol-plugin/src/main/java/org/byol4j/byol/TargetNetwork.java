package org.byol4j.byol;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * BYOL's target network ξ (Grill et al. 2020, §3.1): backbone f' and projector g', the same architecture as
 * the online f and g, no predictor. It starts as an exact copy of the online network, is frozen to the
 * optimiser, and moves only by {@link #update(OnlineNetwork, double)}: ξ ← τξ + (1 − τ)θ.
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

    private final Block backbone;
    private final Block projector;

    TargetNetwork(ByolConfig config, NDManager manager, OnlineNetwork online) {
        this.backbone = config.backbone().newBlock();
        this.projector = config.projector().newBlock();
        int c = config.inputChannels();
        int s = config.imageSize();
        backbone.initialize(manager, DataType.FLOAT32, new Shape(2, c, s, s));
        projector.initialize(manager, DataType.FLOAT32, new Shape(2, config.backbone().featureDim()));
        // Block.initialize switches gradients on for every parameter: the target must never get any.
        backbone.freezeParameters(true);
        projector.freezeParameters(true);
        update(online, 0.0);
    }

    NDArray forward(ParameterStore ps, NDArray images) {
        NDArray y = backbone.forward(ps, new NDList(images), true).singletonOrThrow();
        return projector.forward(ps, new NDList(y), true).singletonOrThrow().stopGradient();
    }

    /**
     * ξ ← τξ + (1 − τ)θ over every learnable parameter of f' and g' (weights, biases, BatchNorm γ and β).
     *
     * @param online θ
     * @param tau τ in [0, 1]; 0 copies θ, 1 leaves ξ unchanged
     */
    public void update(OnlineNetwork online, double tau) {
        if (tau == 1.0) {
            return;
        }
        List<Parameter> targets = parameters(backbone.getParameters(), projector.getParameters());
        List<Parameter> sources = parameters(online.backbone().getParameters(), online.projector().getParameters());
        for (int i = 0; i < targets.size(); i++) {
            if (isRunningStatistic(targets.get(i))) {
                continue;
            }
            NDArray xi = targets.get(i).getArray();
            NDArray theta = sources.get(i).getArray();
            if (tau == 0.0) {
                theta.copyTo(xi);
                continue;
            }
            try (NDArray scaled = theta.mul((float) (1 - tau))) {
                xi.muli((float) tau).addi(scaled);
            }
        }
    }

    /**
     * @param p a parameter
     * @return whether it is a BatchNorm running mean or variance (not learnable, not averaged)
     */
    static boolean isRunningStatistic(Parameter p) {
        return p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR;
    }

    /** @return every parameter of f' then g', in the same order as the online f, g */
    public List<Parameter> parameters() {
        return parameters(backbone.getParameters(), projector.getParameters());
    }

    /** @return the target backbone f' */
    public Block backbone() {
        return backbone;
    }

    /** @return the target projector g' */
    public Block projector() {
        return projector;
    }

    private static List<Parameter> parameters(ParameterList a, ParameterList b) {
        List<Parameter> out = new ArrayList<>(a.values());
        out.addAll(b.values());
        return out;
    }
}
