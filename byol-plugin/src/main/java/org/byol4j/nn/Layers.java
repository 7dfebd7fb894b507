package org.byol4j.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.Initializer;
import org.byol4j.engine.ConvolutionGuard;

/** The layers the backbone architectures share, with torchvision's defaults. */
final class Layers {

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
        ConvolutionGuard.register(filters, groups);
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
        Block bn = BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
        if (zeroGamma) {
            bn.setInitializer(Initializer.ZEROS, Parameter.Type.GAMMA);
        }
        return bn;
    }

    /** @return global average pooling from (N, C, H, W) to (N, C) */
    static Block globalAveragePool() {
        return LambdaBlock.singleton(x -> Pool.globalAvgPool2d(x).reshape(x.getShape().get(0), -1), "pool");
    }
}
