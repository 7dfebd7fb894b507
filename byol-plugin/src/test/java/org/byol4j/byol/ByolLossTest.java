package org.byol4j.byol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.byol4j.engine.OfflineEngine;
import org.byol4j.method.Vectors;
import org.junit.jupiter.api.Test;

class ByolLossTest {

    private static NDArray rows(NDManager m, float[][] values) {
        return m.create(values);
    }

    @Test
    void regressionIsTwoMinusTwoCosineAveragedOverTheBatch() {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            // cos = 1 (same direction, different length) and cos = 0 (orthogonal): losses 0 and 2, mean 1.
            NDArray q = rows(m, new float[][] {{2, 0}, {0, 1}});
            NDArray z = rows(m, new float[][] {{5, 0}, {3, 0}});
            assertEquals(1.0f, ByolLoss.regression(q, z).getFloat(), 1e-6f);
            // (3,4)·(4,3) / 25 = 0.96: loss 2 − 1.92 = 0.08.
            NDArray a = rows(m, new float[][] {{3, 4}});
            NDArray b = rows(m, new float[][] {{4, 3}});
            assertEquals(0.08f, ByolLoss.regression(a, b).getFloat(), 1e-6f);
            // Opposite directions: the maximum, 4.
            assertEquals(4f, ByolLoss.regression(a, a.neg()).getFloat(), 1e-6f);
        }
    }

    @Test
    void symmetricSumsBothViewOrders() {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            NDArray q1 = rows(m, new float[][] {{3, 4}});
            NDArray q2 = rows(m, new float[][] {{1, 0}});
            NDArray z1 = rows(m, new float[][] {{0, 2}});
            NDArray z2 = rows(m, new float[][] {{4, 3}});
            // L(q1, z2) = 0.08 ; L(q2, z1) = 2 − 2·0 = 2.
            assertEquals(2.08f, ByolLoss.symmetric(q1, q2, z1, z2).getFloat(), 1e-6f);
        }
    }

    @Test
    void multiCropRegressesEachGlobalTargetFromEveryOtherViewByHand() {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            NDArray t0 = rows(m, new float[][] {{1, 0}});
            NDArray t1 = rows(m, new float[][] {{0, 3}});
            NDArray q0 = rows(m, new float[][] {{2, 0}});
            NDArray q1 = rows(m, new float[][] {{1, 1}});
            NDArray local = rows(m, new float[][] {{0, 5}});
            // Target 0: from q1 (cos 1/√2: 2 − √2) and the local view (cos 0: 2). Target 1: from q0 (cos 0: 2) and the
            // local view (cos 1: 0). Four pairs, scaled by 2/4: (6 − √2) / 2 = 3 − √2/2.
            float expected = (float) (3 - Math.sqrt(2) / 2);
            assertEquals(expected, ByolLoss.multiCrop(List.of(q0, q1, local), List.of(t0, t1)).getFloat(), 1e-6f);
            // Two views: exactly the symmetric loss, L(q1, z'0) + L(q0, z'1) = 2 − √2 + 2.
            assertEquals((float) (4 - Math.sqrt(2)), ByolLoss.multiCrop(List.of(q0, q1), List.of(t0, t1))
                    .getFloat(), 1e-6f);
            assertThrows(IllegalArgumentException.class, () -> ByolLoss.multiCrop(List.of(q0), List.of(t0, t1)));
        }
    }

    @Test
    void gradientFlowsToTheOnlineSideOnlyAndMatchesTheHandDerivation() {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            NDArray q = m.create(new float[] {3, 4}, new Shape(1, 2));
            NDArray z = m.create(new float[] {4, 3}, new Shape(1, 2));
            q.setRequiresGradient(true);
            z.setRequiresGradient(true);
            try (GradientCollector gc = OfflineEngine.get().newGradientCollector()) {
                gc.backward(ByolLoss.regression(q, z));
            }
            // dL/dq = −2/(‖q‖‖z‖) · (z − (q·z)/‖q‖² · q) = −2/25 · ((4,3) − 0.96·(3,4)) = (−0.0896, 0.0672)
            assertArrayEquals(new float[] {-0.0896f, 0.0672f}, q.getGradient().toFloatArray(), 1e-6f);
            // Stop-gradient: the target side receives nothing.
            assertArrayEquals(new float[] {0f, 0f}, z.getGradient().toFloatArray(), 0f);
        }
    }

    @Test
    void normalizeGuardsZeroRows() {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            NDArray x = rows(m, new float[][] {{0, 0}, {0, 2}});
            assertArrayEquals(new float[] {0, 0, 0, 1}, Vectors.normalizeRows(x).toFloatArray(), 0f);
        }
    }
}
