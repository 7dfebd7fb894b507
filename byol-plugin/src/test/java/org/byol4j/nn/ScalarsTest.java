package org.byol4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.byol4j.engine.OfflineEngine;
import org.junit.jupiter.api.Test;

class ScalarsTest {

    /** d/dx Σ f(x) at x, with {@link GcChurn#now()} between the forward and the backward pass. */
    private static float[] gradientWithChurn(float[] x, UnaryOperator<NDArray> f) {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            NDArray a = m.create(x);
            a.setRequiresGradient(true);
            try (GradientCollector gc = OfflineEngine.get().newGradientCollector()) {
                NDArray y = f.apply(a).sum();
                GcChurn.now();
                gc.backward(y);
            }
            return a.getGradient().toFloatArray();
        }
    }

    @Test
    void gradientsByHandSurviveACollectionBetweenForwardAndBackward() {
        float[] x = {0.5f, 2f, 3f};
        for (int trial = 0; trial < 3; trial++) {
            assertArrayEquals(new float[] {3f, 3f, 3f}, gradientWithChurn(x, a -> Scalars.times(a, 3f)));
            assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, gradientWithChurn(x, a -> Scalars.dividedBy(a, 4f)));
            // max(x, 1): the floor wins at 0.5, so no gradient there.
            assertArrayEquals(new float[] {0f, 1f, 1f}, gradientWithChurn(x, a -> Scalars.atLeast(a, 1f)));
        }
    }

    /**
     * The hazard {@link Scalars} exists for, shown with DJL's own overload: its constant is freed before the backward
     * pass reads it. Should a DJL upgrade fix that, this test fails, and Scalars can go.
     */
    @Test
    void djlsOwnConstantIsReadAfterItWasFreed() {
        float[] x = {0.5f, 2f, 3f};
        boolean wrong = false;
        float[] seen = null;
        for (int trial = 0; trial < 10 && !wrong; trial++) {
            seen = gradientWithChurn(x, a -> a.mul(3f));
            wrong = !Arrays.equals(new float[] {3f, 3f, 3f}, seen);
        }
        assertTrue(wrong, "x.mul(3f) kept its gradient 3 through 10 collections (last " + Arrays.toString(seen)
                + "): DJL now keeps the constant alive, so org.byol4j.nn.Scalars is no longer needed");
    }
}
