package org.byol4j.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MobileNetV2 (Sandler et al., CVPR 2018) in torchvision's layout, without the classifier: a 3×3 stem of 32
 * channels, seventeen inverted-residual blocks (1×1 expansion by t, 3×3 depthwise, linear 1×1 projection; a
 * residual connection where stride is 1 and width is kept), a 1×1 convolution to 1,280 channels, and global average
 * pooling. Activations are ReLU6; convolutions have no bias; BatchNorm uses PyTorch's defaults. Widths are
 * multiplied by the width multiplier and rounded to multiples of 8 as torchvision does; the last layer keeps 1,280
 * channels below width 1. At width 1 on ImageNet the parameter count equals torchvision's {@code mobilenet_v2}
 * without its classifier (2,223,872).
 *
 * <p>A lightweight backbone for CPUs. The {@code small} stem, for 28–32 px images, keeps the resolution in the stem
 * and in the 24-channel stage (stride 1 where ImageNet uses 2), so a 32 px image ends at 4 × 4 before pooling
 * instead of 1 × 1, the usual CIFAR adaptation. Names: {@code mobilenetv2-<imagenet|small>-w<width>}.
 */
public final class MobileNetV2 implements Architecture {

    /** Every MobileNetV2 name starts so. */
    static final String PREFIX = "mobilenetv2-";
    /** The shape of a MobileNetV2 name, as error messages show it. */
    static final String PATTERN = "mobilenetv2-<imagenet|small>-w<width>";

    private static final Pattern NAME = Pattern.compile("mobilenetv2-(imagenet|small)-w([0-9.]+)");
    /** Expansion t, output channels c, repeats n, first stride s: torchvision's inverted_residual_setting. */
    private static final int[][] SETTINGS = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}
    };
    private static final int STEM_CHANNELS = 32;
    private static final int LAST_CHANNELS = 1280;

    private final Stem stem;
    private final float widthMultiplier;
    private final int inputChannels;

    /**
     * @param stem {@link Stem#IMAGENET} (stride 2 stem, torchvision) or {@link Stem#SMALL} (28–32 px images)
     * @param widthMultiplier channel multiplier, &gt; 0
     * @param inputChannels image channels, ≥ 1
     */
    public MobileNetV2(Stem stem, float widthMultiplier, int inputChannels) {
        if (!(widthMultiplier > 0) || !Float.isFinite(widthMultiplier)) {
            throw new IllegalArgumentException("widthMultiplier must be > 0, got " + widthMultiplier);
        }
        if (inputChannels < 1) {
            throw new IllegalArgumentException("inputChannels must be >= 1, got " + inputChannels);
        }
        this.stem = Objects.requireNonNull(stem, "stem");
        this.widthMultiplier = widthMultiplier;
        this.inputChannels = inputChannels;
    }

    /**
     * @param name e.g. {@code mobilenetv2-small-w0.5}
     * @param inputChannels image channels
     * @return the architecture
     * @throws IllegalArgumentException when the name does not follow {@value #PATTERN}
     */
    public static MobileNetV2 parse(String name, int inputChannels) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("Backbone name '" + name + "' does not match " + PATTERN
                    + ", e.g. mobilenetv2-small-w0.5");
        }
        float width;
        try {
            width = Float.parseFloat(m.group(2));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Backbone name '" + name + "': width '" + m.group(2)
                    + "' is not a number", e);
        }
        return new MobileNetV2(Stem.valueOf(m.group(1).toUpperCase(Locale.ROOT)), width, inputChannels);
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        String w = new java.math.BigDecimal(Float.toString(widthMultiplier)).stripTrailingZeros().toPlainString();
        return PREFIX + stem.token() + "-w" + w;
    }

    /** {@inheritDoc} */
    @Override
    public int inputChannels() {
        return inputChannels;
    }

    /** {@inheritDoc} */
    @Override
    public int featureDim() {
        return makeDivisible(LAST_CHANNELS * Math.max(1f, widthMultiplier));
    }

    /** {@inheritDoc} */
    @Override
    public Block newBlock() {
        boolean small = stem == Stem.SMALL;
        int in = makeDivisible(STEM_CHANNELS * widthMultiplier);
        SequentialBlock net = new SequentialBlock().add(convBnRelu6(in, 3, small ? 1 : 2, 1));
        for (int s = 0; s < SETTINGS.length; s++) {
            int[] setting = SETTINGS[s];
            int out = makeDivisible(setting[1] * widthMultiplier);
            int firstStride = small && s == 1 ? 1 : setting[3];
            for (int i = 0; i < setting[2]; i++) {
                net.add(invertedResidual(in, out, i == 0 ? firstStride : 1, setting[0]));
                in = out;
            }
        }
        net.add(convBnRelu6(featureDim(), 1, 1, 1)).add(Layers.globalAveragePool());
        return net;
    }

    private static Block invertedResidual(int in, int out, int stride, int expansion) {
        int hidden = Math.round(in * (float) expansion);
        SequentialBlock branch = new SequentialBlock();
        if (expansion != 1) {
            branch.add(convBnRelu6(hidden, 1, 1, 1));
        }
        branch.add(convBnRelu6(hidden, 3, stride, hidden)).add(Layers.conv(out, 1, 1, 1)).add(Layers.batchNorm(false));
        if (stride != 1 || in != out) {
            return branch;
        }
        return new ParallelBlock(MobileNetV2::add, Arrays.asList(branch, new LambdaBlock(x -> x, "identity")));
    }

    private static NDList add(List<NDList> branches) {
        return new NDList(branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow()));
    }

    /**
     * {@inheritDoc} Every convolution + BatchNorm pair becomes one convolution with a bias (BatchNormFolding), on
     * ordinary arrays: libtorch's ReLU6 refuses oneDNN's blocked layout.
     */
    @Override
    public Block inferenceBlock(Block trained, NDManager manager) {
        return BatchNormFolding.fold(trained, manager, MobileNetV2::add, false);
    }

    private static Block convBnRelu6(int filters, int kernel, int stride, int groups) {
        return new SequentialBlock().add(Layers.conv(filters, kernel, stride, groups)).add(Layers.batchNorm(false))
                .add(Activation.relu6Block());
    }

    /** torchvision's {@code _make_divisible(v, 8)}: the nearest multiple of 8, at least 8, never 10 % below v. */
    static int makeDivisible(float v) {
        int rounded = Math.max(8, (int) (v + 4) / 8 * 8);
        return rounded < 0.9f * v ? rounded + 8 : rounded;
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        return o instanceof MobileNetV2 m && m.stem == stem && m.widthMultiplier == widthMultiplier
                && m.inputChannels == inputChannels;
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return Objects.hash(stem, widthMultiplier, inputChannels);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return name() + " (" + inputChannels + " input channels)";
    }
}
