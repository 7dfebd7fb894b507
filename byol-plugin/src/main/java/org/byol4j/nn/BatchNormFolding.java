package org.byol4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.byol4j.engine.MkldnnTensors;

/**
 * Builds the inference form of a trained network: every convolution followed by a BatchNorm becomes one
 * convolution with a bias, whose weights carry the BatchNorm's running statistics and affine parameters
 * (w' = w·γ/√(σ² + ε) per output channel, b' = β − μ·γ/√(σ² + ε)). Where oneDNN's blocked layout is available
 * ({@link MkldnnTensors}), the folded weights are held in it and the network converts its input to it on entry and
 * its output back on exit, so that activations stay in it from layer to layer. Same function in inference mode to
 * float rounding (bench/NOTES.md entry 16 has what each part buys). Blocks without parameters (ReLUs, pooling,
 * layout changes) are shared with the trained network; any other block with parameters is kept as it is and reads
 * them from the parameter store.
 */
final class BatchNormFolding {

    private BatchNormFolding() {}

    /**
     * @param trained a trained, initialised network built of sequential and parallel blocks (not changed)
     * @param manager owns the folded weights; close it to free them
     * @param join the function that joins the branches of the network's parallel blocks (its residual add)
     * @param blockedLayout whether to run in oneDNN's blocked layout where available: only for networks whose every
     *     parameter-free operator takes such arrays (ReLU, addition, average pooling, reshape do; ReLU6 does not)
     * @return a network computing the same function in inference mode; never for training
     */
    static Block fold(Block trained, NDManager manager, Function<List<NDList>, NDList> join, boolean blockedLayout) {
        boolean blocked = blockedLayout && MkldnnTensors.isAvailable(manager.getDevice());
        Block folded = foldChildren(trained, manager, join, blocked);
        if (!blocked) {
            return folded;
        }
        return new SequentialBlock()
                .add(new LambdaBlock(x -> new NDList(toBlocked(x.singletonOrThrow(), x.singletonOrThrow()
                        .getManager())), "ToBlockedLayout"))
                .add(folded)
                .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().toDense()), "ToPlainLayout"));
    }

    private static Block foldChildren(Block trained, NDManager manager, Function<List<NDList>, NDList> join,
            boolean blocked) {
        if (trained instanceof SequentialBlock) {
            List<Block> children = new ArrayList<>(trained.getChildren().values());
            SequentialBlock folded = new SequentialBlock();
            for (int i = 0; i < children.size(); i++) {
                Block child = children.get(i);
                if (child instanceof Conv2d && i + 1 < children.size() && children.get(i + 1) instanceof BatchNorm) {
                    folded.add(foldPair((Conv2d) child, children.get(++i), manager, blocked));
                } else {
                    folded.add(foldChildren(child, manager, join, blocked));
                }
            }
            return folded;
        }
        if (trained instanceof ParallelBlock) {
            List<Block> branches = new ArrayList<>();
            for (Block branch : trained.getChildren().values()) {
                branches.add(foldChildren(branch, manager, join, blocked));
            }
            return new ParallelBlock(join, branches);
        }
        return trained;
    }

    private static Block foldPair(Conv2d conv, Block batchNorm, NDManager manager, boolean blocked) {
        NDArray w;
        NDArray b;
        try (NDManager scope = manager.newSubManager()) {
            NDArray gamma = copy(batchNorm, "gamma", scope);
            NDArray scale = gamma.div(copy(batchNorm, "runningVar", scope).add(Layers.BATCH_NORM_EPSILON).sqrt());
            w = scale.reshape(scale.size(), 1, 1, 1).mul(copy(conv, "weight", scope));
            b = copy(batchNorm, "beta", scope).sub(copy(batchNorm, "runningMean", scope).mul(scale));
            if (blocked) {
                w = toBlocked(w, manager);
                b = toBlocked(b, manager);
            } else {
                w.attach(manager);
                b.attach(manager);
            }
        }
        NDArray weight = w;
        NDArray bias = b;
        return new LambdaBlock(x -> Conv2d.conv2d(x.singletonOrThrow(), weight, bias, conv.getStride(),
                conv.getPadding(), conv.getDilation(), conv.getGroups()), "FoldedConv2d");
    }

    private static NDArray toBlocked(NDArray x, NDManager manager) {
        return MkldnnTensors.copyOf(x, manager);
    }

    /** A copy in {@code scope} of a block's parameter, so that what is computed from it is freed with the scope. */
    private static NDArray copy(Block block, String parameter, NDManager scope) {
        NDArray value = block.getParameters().get(parameter).getArray();
        return scope.create(value.toFloatArray(), value.getShape());
    }
}
