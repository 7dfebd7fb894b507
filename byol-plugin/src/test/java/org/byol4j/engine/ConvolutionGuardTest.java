package org.byol4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Checks that a narrow convolution computes the right gradients on whatever machine runs the tests, once the
 * guard has seen it: the machine this was written for gave garbage there with oneDNN.
 */
class ConvolutionGuardTest {

    private static final int N = 2;
    private static final int C = 4;
    private static final int O = 4;
    private static final int H = 6;

    @Test
    void aFourChannelConvolutionHasTheHandComputedInputGradientOnEveryCall() {
        ConvolutionGuard.register(O, 3, 1, 1);
        Random random = new Random(7);
        float[] x = gaussian(random, N * C * H * H);
        float[] w = gaussian(random, O * C * 9);
        float[] u = gaussian(random, N * O * H * H);
        float[] expected = inputGradient(x, w, u);
        try (NDManager manager = OfflineEngine.get().newBaseManager()) {
            NDArray weight = manager.create(w, new Shape(O, C, 3, 3));
            NDArray upstream = manager.create(u, new Shape(N, O, H, H));
            for (int call = 0; call < 20; call++) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray input = scope.create(x, new Shape(N, C, H, H));
                    input.setRequiresGradient(true);
                    try (GradientCollector collector = OfflineEngine.get().newGradientCollector()) {
                        NDArray y = Conv2d.conv2d(input, weight, null, new Shape(1, 1), new Shape(1, 1),
                                new Shape(1, 1), 1).singletonOrThrow();
                        collector.backward(y.mul(upstream).sum());
                    }
                    float[] got = input.getGradient().toFloatArray();
                    for (int i = 0; i < got.length; i++) {
                        assertEquals(expected[i], got[i], 1e-4f * (1 + Math.abs(expected[i])),
                                "call " + call + ", element " + i);
                    }
                }
            }
        }
    }

    @Test
    void whenTheProbeFindsOneDnnWrongANarrowConvolutionSwitchesItOff() {
        assumeTrue(ConvolutionGuard.Policy.fromProperty() == ConvolutionGuard.Policy.AUTO, "the default policy");
        ConvolutionGuard.register(O, 3, 1, 1);
        if (ConvolutionGuard.oneDnnIsWrongHere()) {
            assertTrue(ConvolutionGuard.isOneDnnOff(), "a wrong oneDNN must not stay on for a 4-channel network");
        }
    }

    @Test
    void aWideOneByOneStrideTwoConvolutionHasTheHandComputedInputGradient() {
        // 512 to 1,024 channels, 1×1, stride 2: ResNet-18 width 2's last shortcut. Without the guard, oneDNN ended
        // the JVM here on machines that list no CPU caches.
        int in = 512;
        int out = ConvolutionGuard.WIDE_SHORTCUT;
        int side = 4;
        ConvolutionGuard.register(out, 1, 2, 1);
        ConvolutionGuard.oneDnnIsWrongHere(); // a probe run after the switch must leave oneDNN off (it once did not)
        if (ConvolutionGuard.Policy.fromProperty() == ConvolutionGuard.Policy.AUTO
                && !ConvolutionGuard.cpuCachesListed()) {
            assertTrue(ConvolutionGuard.isOneDnnOff(), "oneDNN must be off for this convolution on this machine");
        }
        Random random = new Random(11);
        float[] x = gaussian(random, N * in * side * side);
        float[] w = gaussian(random, out * in);
        float[] u = gaussian(random, N * out * (side / 2) * (side / 2));
        try (NDManager manager = OfflineEngine.get().newBaseManager()) {
            NDArray input = manager.create(x, new Shape(N, in, side, side));
            input.setRequiresGradient(true);
            try (GradientCollector collector = OfflineEngine.get().newGradientCollector()) {
                NDArray y = Conv2d.conv2d(input, manager.create(w, new Shape(out, in, 1, 1)), null, new Shape(2, 2),
                        new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow();
                collector.backward(y.mul(manager.create(u, new Shape(N, out, side / 2, side / 2))).sum());
            }
            float[] got = input.getGradient().toFloatArray();
            for (int n = 0; n < N; n++) {
                for (int c = 0; c < in; c++) {
                    for (int i = 0; i < side; i++) {
                        for (int j = 0; j < side; j++) {
                            // dL/dx[c, i, j] = Σ_o w[o, c] u[o, i/2, j/2] where i and j are even, 0 elsewhere
                            double expected = 0;
                            if (i % 2 == 0 && j % 2 == 0) {
                                for (int o = 0; o < out; o++) {
                                    expected += w[o * in + c]
                                            * u[((n * out + o) * (side / 2) + i / 2) * (side / 2) + j / 2];
                                }
                            }
                            int k = ((n * in + c) * side + i) * side + j;
                            assertEquals(expected, got[k], 1e-3 * (1 + Math.abs(expected)), "element " + k);
                        }
                    }
                }
            }
        }
    }

    @Test
    void anUnknownPolicyIsRefusedNamingTheProperty() {
        String before = System.getProperty(ConvolutionGuard.PROPERTY);
        System.setProperty(ConvolutionGuard.PROPERTY, "maybe");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ConvolutionGuard.register(4, 3, 1, 1));
            assertTrue(e.getMessage().contains("byol4j.onednn is 'maybe'"), e.getMessage());
            assertTrue(e.getMessage().contains("expected auto, on or off"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(ConvolutionGuard.PROPERTY);
            } else {
                System.setProperty(ConvolutionGuard.PROPERTY, before);
            }
        }
    }

    private static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /**
     * dL/dx of L = Σ u · conv(x, w) for a 3×3 kernel, stride 1, padding 1: Σ_o Σ_ab u[o, i−a+1, j−b+1] w[o, c, a, b].
     */
    private static float[] inputGradient(float[] x, float[] w, float[] u) {
        float[] dx = new float[x.length];
        for (int n = 0; n < N; n++) {
            for (int c = 0; c < C; c++) {
                for (int i = 0; i < H; i++) {
                    for (int j = 0; j < H; j++) {
                        double sum = 0;
                        for (int o = 0; o < O; o++) {
                            for (int a = 0; a < 3; a++) {
                                for (int b = 0; b < 3; b++) {
                                    int p = i - a + 1;
                                    int q = j - b + 1;
                                    if (p >= 0 && p < H && q >= 0 && q < H) {
                                        sum += u[((n * O + o) * H + p) * H + q] * w[((o * C + c) * 3 + a) * 3 + b];
                                    }
                                }
                            }
                        }
                        dx[((n * C + c) * H + i) * H + j] = (float) sum;
                    }
                }
            }
        }
        return dx;
    }
}
