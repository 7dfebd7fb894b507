package org.byol4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.Initializer;
import org.byol4j.engine.ConvolutionGuard;
import org.byol4j.engine.MkldnnTensors;

/** The layers the backbone architectures share, with torchvision's defaults. */
final class Layers {

    /** BatchNorm's ε, PyTorch's default. */
    static final float BATCH_NORM_EPSILON = 1e-5f;

    private Layers() {}

    /**
     * @param filters output channels
     * @param kernel square kernel side (padding keeps the size at stride 1)
     * @param stride stride
     * @param groups channel groups (the input channels for a depthwise convolution)
     * @return a bias-free convolution with {@link KaimingNormalInitializer} weights, registered with
     *     {@link ConvolutionGuard} so that it computes correctly on this machine
     */
    static Block conv(int filters, int kernel, int stride, int groups) {
        ConvolutionGuard.register(filters, kernel, stride, groups);
        Block conv = Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .setFilters(filters)
                .optGroups(groups)
                .optBias(false)
                .build();
        conv.setInitializer(new KaimingNormalInitializer(), Parameter.Type.WEIGHT);
        return conv;
    }

    /**
     * @param zeroGamma whether γ starts at 0 (the last BatchNorm of a residual branch, Goyal et al. 2017)
     * @return BatchNorm with PyTorch's eps 1e-5 and running-statistics momentum 0.1
     */
    static Block batchNorm(boolean zeroGamma) {
        // DJL counts momentum the other way from PyTorch: 0.9 here is PyTorch's 0.1.
        Block bn = BatchNorm.builder().optEpsilon(BATCH_NORM_EPSILON).optMomentum(0.9f).build();
        if (zeroGamma) {
            bn.setInitializer(Initializer.ZEROS, Parameter.Type.GAMMA);
        }
        return bn;
    }

    /**
     * The ReLU that ends a stem. With {@code channelsLast} its output is a channels-last copy on a CPU running
     * oneDNN: PyTorch keeps a tensor's memory format through the convolutions, BatchNorms, ReLUs, additions and
     * pooling that follow, and oneDNN then runs them on (N, H, W, C) memory without converting every activation to
     * its 16-channel blocked layout and back, which took over a third of its time here (bench/NOTES.md entry 8).
     * The stem's input is not converted: a one-channel image is both layouts at once, so PyTorch reads it as the
     * plain one.
     *
     * @param channelsLast whether to hand on a channels-last copy
     * @return the stem's last block: a parameter-free {@link ai.djl.nn.LambdaBlock} like DJL's own ReLU block, so
     *     that parameter names do not depend on the choice
     */
    static Block stemRelu(boolean channelsLast) {
        if (!channelsLast) {
            return Activation.reluBlock();
        }
        return new LambdaBlock(x -> new NDList(channelsLast(Activation.relu(x.singletonOrThrow()))), "ReLU");
    }

    /**
     * @param x an (N, C, H, W) array
     * @return x unchanged on a GPU or with oneDNN switched off (layouts not measured there) or when x is already in
     *     oneDNN's blocked layout (an inference block's, {@link MkldnnTensors}), otherwise the same
     *     values with channels-last strides: DJL has no memory-format argument, so the copy comes from a reshape
     *     that cannot be a view (the N, H and W axes of the permuted array do not flatten without one)
     */
    static NDArray channelsLast(NDArray x) {
        if (x.getDevice().isGpu() || ConvolutionGuard.isOneDnnOff() || MkldnnTensors.isMkldnn(x)) {
            return x;
        }
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        return x.transpose(0, 2, 3, 1).reshape(n * h * w, c).reshape(n, h, w, c).transpose(0, 3, 1, 2);
    }

    /** @return global average pooling from (N, C, H, W) to (N, C) */
    static Block globalAveragePool() {
        return LambdaBlock.singleton(x -> Pool.globalAvgPool2d(x).reshape(x.getShape().get(0), -1), "pool");
    }
}
