package org.byol4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.byol4j.engine.ConvolutionGuard;
import org.byol4j.engine.OfflineEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Channels-last activations must compute what the plain layout computes: oneDNN runs other kernels for them, and
 * this project has met oneDNN kernels that return wrong gradients (see {@link ConvolutionGuard}). byol-plugin's POM
 * runs this class in a JVM of its own, so that no narrow network built by another test has switched oneDNN off
 * (which would leave only the plain layout to compare with itself).
 *
 * <p>Gradients are compared convolution by convolution, where they are linear in the inputs. Through a whole
 * network they are not comparable element by element: a pre-activation within rounding of zero falls on either
 * side of a ReLU, and measured against a float64 reference about one run in four moved some gradient by 0.2–9 % of
 * its largest element that way, in the plain layout as often as in channels-last.
 */
class ChannelsLastTest {

    private static final int BATCH = 8;

    @ParameterizedTest(name = "resnet{0}-{1}-w{2}, {3} channel(s), {4} px")
    @CsvSource({"20, SMALL, 1, 1, 20", "18, SMALL, 0.25, 1, 20", "18, IMAGENET, 0.25, 3, 64"})
    void aWholeBackboneGivesThePlainLayoutsFeaturesAndBatchNormStatistics(int depth, Stem stem, float width,
            int channels, int side) {
        ResNet plain = ResNet.builder().setDepth(depth).optStem(stem).optWidthMultiplier(width)
                .optInputChannels(channels).optChannelsLast(false).build();
        ResNet channelsLast = ResNet.parse(plain.name(), channels);
        assertTrue(channelsLast.channelsLast(), "channels-last is the default");
        assertNotEquals(plain, channelsLast);
        Shape input = new Shape(BATCH, channels, side, side);
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            Block a = plain.newBlock();
            Block b = channelsLast.newBlock();
            a.initialize(m, DataType.FLOAT32, input);
            b.initialize(m, DataType.FLOAT32, input);
            assumeFalse(ConvolutionGuard.isOneDnnOff(), "oneDNN is off in this JVM: both layouts are the plain one");
            ParameterList pa = a.getParameters();
            ParameterList pb = b.getParameters();
            assertEquals(pa.size(), pb.size());
            for (int i = 0; i < pa.size(); i++) {
                assertEquals(pa.get(i).getKey(), pb.get(i).getKey(), "the layout must not rename parameters");
                pa.get(i).getValue().getArray().copyTo(pb.get(i).getValue().getArray());
            }
            NDArray x = m.randomNormal(input);
            float[] fa = a.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow().toFloatArray();
            float[] fb = b.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow().toFloatArray();
            assertClose(fa, fb, "features");
            for (int i = 0; i < pa.size(); i++) {
                // Training-mode passes update BatchNorm's running statistics; both copies must have moved alike.
                assertClose(pa.get(i).getValue().getArray().toFloatArray(),
                        pb.get(i).getValue().getArray().toFloatArray(), pa.get(i).getKey());
            }
        }
    }

    @Test
    void networksWiderThan512ChannelsKeepThePlainLayout() {
        assertTrue(ResNet.parse("resnet20-small-w1", 1).activationsChannelsLast());
        assertTrue(ResNet.parse("resnet18-imagenet-w1", 3).activationsChannelsLast(), "512 channels");
        assertFalse(ResNet.parse("resnet18-imagenet-w2", 3).activationsChannelsLast(), "1,024 channels");
        assertFalse(ResNet.parse("resnet50-imagenet-w1", 3).activationsChannelsLast(), "2,048 channels");
    }

    @Test
    void networksWithAStageNotAMultipleOf8ChannelsWideKeepThePlainLayout() {
        assertFalse(ResNet.parse("resnet20-small-w0.25", 1).activationsChannelsLast(), "stages of 4, 8, 16");
        assertTrue(ResNet.parse("resnet20-small-w0.5", 1).activationsChannelsLast(), "stages of 8, 16, 32");
        assertTrue(ResNet.parse("resnet18-small-w0.25", 1).activationsChannelsLast(), "stages of 16 to 128");
        assertFalse(ResNet.parse("resnet18-small-w0.3", 1).activationsChannelsLast(), "stages of 19 to 154");
    }

    @ParameterizedTest(name = "{0} to {1} channels, {2}×{2} kernel, stride {3}, {4} px")
    @CsvSource({"16, 16, 3, 1, 20", "16, 32, 3, 2, 20", "16, 32, 1, 2, 20", "32, 64, 3, 2, 10", "64, 128, 3, 2, 5",
        "128, 128, 3, 1, 3"})
    void eachPresetConvolutionGivesThePlainLayoutsOutputAndGradients(int in, int out, int kernel, int stride,
            int side) {
        ConvolutionGuard.register(out, kernel, stride, 1);
        assumeFalse(ConvolutionGuard.isOneDnnOff(), "oneDNN is off in this JVM: both layouts are the plain one");
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(BATCH, in, side, side));
            NDArray w = m.randomNormal(new Shape(out, in, kernel, kernel));
            float[][] plain = convolve(m, x, w, stride, false);
            float[][] channelsLast = convolve(m, x, w, stride, true);
            assertClose(plain[0], channelsLast[0], "output");
            assertClose(plain[1], channelsLast[1], "input gradient");
            assertClose(plain[2], channelsLast[2], "weight gradient");
        }
    }

    /** @return the output, input gradient and weight gradient of Σ u · conv(x, w) for a fixed pseudo-random u */
    private static float[][] convolve(NDManager m, NDArray x, NDArray w, int stride, boolean channelsLast) {
        try (NDManager scope = m.newSubManager()) {
            NDArray input = x.duplicate();
            NDArray weight = w.duplicate();
            input.attach(scope);
            weight.attach(scope);
            input.setRequiresGradient(true);
            weight.setRequiresGradient(true);
            try (GradientCollector collector = OfflineEngine.get().newGradientCollector()) {
                NDArray source = channelsLast ? Layers.channelsLast(input) : input;
                long k = w.getShape().get(2);
                NDArray y = Conv2d.conv2d(source, weight, null, new Shape(stride, stride),
                        new Shape(k / 2, k / 2), new Shape(1, 1), 1).singletonOrThrow();
                NDArray u = scope.arange((float) y.size()).reshape(y.getShape()).mul(0.618034f).sin();
                collector.backward(y.mul(u).sum());
                return new float[][] {y.toFloatArray(), input.getGradient().toFloatArray(),
                    weight.getGradient().toFloatArray()};
            }
        }
    }

    private static void assertClose(float[] expected, float[] got, String what) {
        assertEquals(expected.length, got.length, what);
        float scale = 0f;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Float.isFinite(got[i]), what + "[" + i + "] is " + got[i]);
            assertEquals(expected[i], got[i], 1e-5f * scale + 1e-6f, what + "[" + i + "]");
        }
    }
}
