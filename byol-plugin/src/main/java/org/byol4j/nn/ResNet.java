package org.byol4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An immutable ResNet backbone configuration that builds DJL blocks with torchvision's layout.
 *
 * <p>ImageNet family (He et al. 2016, torchvision {@code resnet18/34/50}): a stem, four stages of
 * {@code BasicBlock} (18, 34) or {@code Bottleneck} (50, stride on the 3×3 as in torchvision "v1.5")
 * with base widths 64, 128, 256, 512, a 1×1 convolution + BatchNorm shortcut whenever stride or width
 * changes, then global average pooling. CIFAR family (ResNet-20/32/56, He et al. 2016 §4.2): a 3×3 stem
 * of width 16 and three stages of (depth − 2) / 6 {@code BasicBlock}s with widths 16, 32, 64; its
 * shortcuts use the same 1×1 projection ("option B") rather than zero padding. There is no classifier:
 * the block maps (N, C, H, W) images to (N, {@link #featureDim()}) pooled features.
 *
 * <p>Widths are multiplied by {@link #widthMultiplier()} (rounded, at least 1) so CPU-sized backbones
 * exist. Parameter counts at width 1 equal torchvision's (e.g. ResNet-18 without fc: 11,176,512).
 * Convolutions are initialised with {@link KaimingNormalInitializer}, BatchNorm with γ = 1, β = 0, and
 * optionally γ = 0 in the last BatchNorm of each residual branch (Goyal et al. 2017).
 *
 * <p>The {@link #name()} says the whole architecture, e.g. {@code resnet18-small-w0.5}; zoo artefacts and
 * provenance use it, and {@link #parse(String, int)} reads it back.
 */
public final class ResNet implements Architecture {

    /** The shape of a ResNet name, as error messages show it. */
    static final String PATTERN = "resnet<depth>-<imagenet|small>-w<width>[-zi]";

    private static final Pattern NAME = Pattern.compile("resnet(\\d+)-(imagenet|small)-w([0-9.]+)(-zi)?");
    private static final List<Integer> IMAGENET_DEPTHS = List.of(18, 34, 50);
    private static final List<Integer> CIFAR_DEPTHS = List.of(20, 32, 56);
    /**
     * The widest network that holds activations channels-last. On a machine that lists no CPU caches, libtorch
     * 2.7.1's oneDNN ends the JVM while it plans the backward pass of a channels-last 1×1 convolution from 256, 512
     * or 1,024 to 1,024 or 2,048 channels, at stride 1 too (ResNet-50's expansions), where the plain layout only
     * fails at stride 2 ({@link org.byol4j.engine.ConvolutionGuard} handles that); all 4,500 convolutions of a sweep
     * over 3–512 channels (1×1 and 3×3, stride 1 and 2, 1–8 px) ran forward and backward (bench/NOTES.md entry 8).
     */
    static final int CHANNELS_LAST_MAX_WIDTH = 512;
    /**
     * Every stage of a network that holds activations channels-last is a multiple of this wide (oneDNN's channel
     * block on AVX2). On a 2-core AVX2 AMD EPYC a channels-last ResNet-20 at width 0.25 (stages of 4, 8 and 16
     * channels) trained differently on every run, at the level of rounding (embeddings 1.6e-7 apart after two steps,
     * 2e-6 after eight; three runs, three results), so a resumed run did not end where an uninterrupted one did; at
     * widths 0.5 and 1 (multiples of 8), and in the plain layout, runs were bit-identical (bench/NOTES.md entry 10).
     */
    static final int CHANNELS_LAST_BLOCK = 8;
    /**
     * System property that sets {@link Builder#optChannelsLast(boolean)}'s default, {@code true} unless set to
     * {@code false}: the layout for networks built from a name (presets, checkpoints, the command line).
     */
    public static final String CHANNELS_LAST_PROPERTY = "byol4j.channelsLast";

    private final int depth;
    private final Stem stem;
    private final float widthMultiplier;
    private final int inputChannels;
    private final boolean zeroInitResidual;
    private final boolean channelsLast;

    private ResNet(Builder builder) {
        this.depth = builder.depth;
        this.stem = builder.stem;
        this.widthMultiplier = builder.widthMultiplier;
        this.inputChannels = builder.inputChannels;
        this.zeroInitResidual = builder.zeroInitResidual;
        this.channelsLast = builder.channelsLast;
    }

    /** @return a builder; {@link Builder#setDepth(int)} is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a configuration from its {@link #name()}.
     *
     * @param name e.g. {@code resnet18-small-w0.5} or {@code resnet50-imagenet-w1-zi}
     * @param inputChannels image channels (1 greyscale, 3 RGB)
     * @return the configuration
     * @throws IllegalArgumentException when the name does not follow the pattern or names an unknown depth
     */
    public static ResNet parse(String name, int inputChannels) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("Backbone name '" + name + "' does not match " + PATTERN
                    + ", e.g. resnet18-small-w0.5");
        }
        return builder().setDepth(Integer.parseInt(m.group(1)))
                .optStem(Stem.valueOf(m.group(2).toUpperCase(Locale.ROOT)))
                .optWidthMultiplier(Float.parseFloat(m.group(3)))
                .optInputChannels(inputChannels)
                .optZeroInitResidual(m.group(4) != null)
                .build();
    }

    /** @return the number of weighted layers: 18, 34, 50 (ImageNet family) or 20, 32, 56 (CIFAR family) */
    public int depth() {
        return depth;
    }

    /** @return the stem */
    public Stem stem() {
        return stem;
    }

    /** @return the width multiplier applied to every stage */
    public float widthMultiplier() {
        return widthMultiplier;
    }

    /** @return the number of image channels the first convolution expects */
    @Override
    public int inputChannels() {
        return inputChannels;
    }

    /** @return whether the last BatchNorm γ of each residual branch starts at zero */
    public boolean zeroInitResidual() {
        return zeroInitResidual;
    }

    /**
     * @return whether channels-last activations were asked for (see {@link Builder#optChannelsLast(boolean)}); the
     *     same function and parameters either way
     */
    public boolean channelsLast() {
        return channelsLast;
    }

    /**
     * @return whether the blocks this builds hold activations channels-last: asked for, no wider than 512 channels and
     *     every stage a multiple of 8 channels wide
     */
    boolean activationsChannelsLast() {
        return channelsLast && featureDim() <= CHANNELS_LAST_MAX_WIDTH
                && Arrays.stream(stageWidths()).allMatch(w -> w % CHANNELS_LAST_BLOCK == 0);
    }

    /**
     * @return the value of {@value #CHANNELS_LAST_PROPERTY}, true when unset
     * @throws IllegalArgumentException when it is set to anything but true or false
     */
    static boolean channelsLastByDefault() {
        String value = System.getProperty(CHANNELS_LAST_PROPERTY, "true").trim();
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("system property " + CHANNELS_LAST_PROPERTY + " is '" + value
                    + "': expected true or false");
        }
        return Boolean.parseBoolean(value);
    }

    /** @return whether this is the CIFAR (three-stage) family */
    public boolean isCifarFamily() {
        return CIFAR_DEPTHS.contains(depth);
    }

    /** @return the configuration name, e.g. {@code resnet18-small-w0.5} */
    @Override
    public String name() {
        String w = new java.math.BigDecimal(Float.toString(widthMultiplier)).stripTrailingZeros().toPlainString();
        return "resnet" + depth + "-" + stem.token() + "-w" + w + (zeroInitResidual ? "-zi" : "");
    }

    /** @return the length of the pooled feature vector the backbone outputs */
    @Override
    public int featureDim() {
        int[] widths = stageWidths();
        return widths[widths.length - 1] * expansion();
    }

    /**
     * Builds a fresh, uninitialised DJL block; call {@code initialize(manager, FLOAT32, new Shape(N, C, H, W))}.
     *
     * @return the backbone block
     */
    @Override
    public Block newBlock() {
        SequentialBlock net = new SequentialBlock();
        int[] widths = stageWidths();
        int[] blocks = blocksPerStage();
        int stemWidth = isCifarFamily() ? widths[0] : scaled(64);
        if (stem == Stem.IMAGENET) {
            net.add(conv(stemWidth, 7, 2)).add(batchNorm(false)).add(Layers.stemRelu(activationsChannelsLast()))
                    .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        } else {
            net.add(conv(stemWidth, 3, 1)).add(batchNorm(false)).add(Layers.stemRelu(activationsChannelsLast()));
        }
        int in = stemWidth;
        for (int s = 0; s < widths.length; s++) {
            for (int b = 0; b < blocks[s]; b++) {
                int stride = b == 0 && s > 0 ? 2 : 1;
                net.add(expansion() == 1 ? basicBlock(in, widths[s], stride) : bottleneck(in, widths[s], stride));
                in = widths[s] * expansion();
            }
        }
        net.add(Layers.globalAveragePool());
        return net;
    }

    /**
     * {@inheritDoc} Every convolution + BatchNorm pair becomes one convolution with a bias, and activations stay in
     * oneDNN's blocked layout where it is available (BatchNormFolding): embeddings agree with the trained block's to
     * float rounding.
     */
    @Override
    public Block inferenceBlock(Block trained, NDManager manager) {
        return BatchNormFolding.fold(trained, manager, ResNet::addInPlaceRelu, true);
    }

    private Block basicBlock(int in, int width, int stride) {
        SequentialBlock main = new SequentialBlock()
                .add(conv(width, 3, stride)).add(batchNorm(false)).add(Activation.reluBlock())
                .add(conv(width, 3, 1)).add(batchNorm(zeroInitResidual));
        return residual(main, shortcut(in, width, stride));
    }

    private Block bottleneck(int in, int width, int stride) {
        int out = width * expansion();
        SequentialBlock main = new SequentialBlock()
                .add(conv(width, 1, 1)).add(batchNorm(false)).add(Activation.reluBlock())
                .add(conv(width, 3, stride)).add(batchNorm(false)).add(Activation.reluBlock())
                .add(conv(out, 1, 1)).add(batchNorm(zeroInitResidual));
        return residual(main, shortcut(in, out, stride));
    }

    private Block shortcut(int in, int out, int stride) {
        if (stride == 1 && in == out) {
            return new LambdaBlock(x -> x, "identity");
        }
        return new SequentialBlock().add(conv(out, 1, stride)).add(batchNorm(false));
    }

    private static Block residual(Block main, Block shortcut) {
        return new ParallelBlock(ResNet::addRelu, Arrays.asList(main, shortcut));
    }

    private static NDList addRelu(List<NDList> branches) {
        NDArray sum = branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow());
        return new NDList(Activation.relu(sum));
    }

    /**
     * The residual join of the inference form: the sum is written into the main branch's output, which nothing else
     * reads there (in training autograd may need it, so {@link #addRelu} makes a new array).
     */
    private static NDList addInPlaceRelu(List<NDList> branches) {
        NDArray sum = branches.get(0).singletonOrThrow().addi(branches.get(1).singletonOrThrow());
        return new NDList(Activation.relu(sum));
    }

    private static Block conv(int filters, int kernel, int stride) {
        return Layers.conv(filters, kernel, stride, 1);
    }

    private static Block batchNorm(boolean zeroGamma) {
        return Layers.batchNorm(zeroGamma);
    }

    private int expansion() {
        return depth == 50 ? 4 : 1;
    }

    private int[] stageWidths() {
        if (isCifarFamily()) {
            return new int[] {scaled(16), scaled(32), scaled(64)};
        }
        return new int[] {scaled(64), scaled(128), scaled(256), scaled(512)};
    }

    private int[] blocksPerStage() {
        switch (depth) {
            case 18:
                return new int[] {2, 2, 2, 2};
            case 34:
            case 50:
                return new int[] {3, 4, 6, 3};
            default:
                int n = (depth - 2) / 6;
                return new int[] {n, n, n};
        }
    }

    private int scaled(int base) {
        return Math.max(1, Math.round(base * widthMultiplier));
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ResNet)) {
            return false;
        }
        ResNet r = (ResNet) o;
        return depth == r.depth && stem == r.stem && Float.compare(widthMultiplier, r.widthMultiplier) == 0
                && inputChannels == r.inputChannels && zeroInitResidual == r.zeroInitResidual
                && channelsLast == r.channelsLast;
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return Objects.hash(depth, stem, widthMultiplier, inputChannels, zeroInitResidual, channelsLast);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return name() + " (" + inputChannels + " input channels)";
    }

    /** Builder in DJL's style: {@code set} for required values, {@code opt} for optional ones. */
    public static final class Builder {
        private int depth;
        private Stem stem = Stem.SMALL;
        private float widthMultiplier = 1f;
        private int inputChannels = 3;
        private boolean zeroInitResidual;
        private boolean channelsLast = channelsLastByDefault();

        private Builder() {}

        /**
         * @param depth 18, 34, 50 (ImageNet family) or 20, 32, 56 (CIFAR family)
         * @return this builder
         */
        public Builder setDepth(int depth) {
            this.depth = depth;
            return this;
        }

        /**
         * @param stem the stem; default {@link Stem#SMALL}
         * @return this builder
         */
        public Builder optStem(Stem stem) {
            this.stem = Objects.requireNonNull(stem, "stem");
            return this;
        }

        /**
         * @param widthMultiplier factor on every stage width, in (0, 8]; default 1
         * @return this builder
         */
        public Builder optWidthMultiplier(float widthMultiplier) {
            this.widthMultiplier = widthMultiplier;
            return this;
        }

        /**
         * @param inputChannels image channels, ≥ 1; default 3
         * @return this builder
         */
        public Builder optInputChannels(int inputChannels) {
            this.inputChannels = inputChannels;
            return this;
        }

        /**
         * @param zeroInitResidual start the last BatchNorm γ of each residual branch at 0; default false
         * @return this builder
         */
        public Builder optZeroInitResidual(boolean zeroInitResidual) {
            this.zeroInitResidual = zeroInitResidual;
            return this;
        }

        /**
         * Chooses the memory layout of the activations, not the function: on a CPU running oneDNN, channels-last
         * activations avoid a layout conversion around every convolution and made a training step about 1.3× faster
         * on the project's machine (bench/NOTES.md entry 8). The plain layout is kept either way on a GPU, with
         * oneDNN switched off by {@link org.byol4j.engine.ConvolutionGuard}, in networks wider than 512 channels,
         * where libtorch's oneDNN crashes on some channels-last convolutions, and in networks with a stage whose width
         * is not a multiple of 8, which oneDNN trains non-deterministically channels-last on AVX2 machines.
         *
         * @param channelsLast hold activations channels-last after the stem; default true, or the system property
         *     {@value ResNet#CHANNELS_LAST_PROPERTY}
         * @return this builder
         */
        public Builder optChannelsLast(boolean channelsLast) {
            this.channelsLast = channelsLast;
            return this;
        }

        /**
         * @return the validated configuration
         * @throws IllegalArgumentException naming the field that is out of range
         */
        public ResNet build() {
            if (!IMAGENET_DEPTHS.contains(depth) && !CIFAR_DEPTHS.contains(depth)) {
                throw new IllegalArgumentException("depth must be one of " + IMAGENET_DEPTHS + " or "
                        + CIFAR_DEPTHS + ", got " + depth);
            }
            if (CIFAR_DEPTHS.contains(depth) && stem != Stem.SMALL) {
                throw new IllegalArgumentException("stem: the CIFAR ResNet-" + depth + " only has the small stem");
            }
            if (!(widthMultiplier > 0f && widthMultiplier <= 8f)) {
                throw new IllegalArgumentException("widthMultiplier must be in (0, 8], got " + widthMultiplier);
            }
            if (inputChannels < 1) {
                throw new IllegalArgumentException("inputChannels must be >= 1, got " + inputChannels);
            }
            return new ResNet(this);
        }
    }
}
