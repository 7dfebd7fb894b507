package org.byol4j.simsiam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.byol4j.engine.OfflineEngine;
import org.junit.jupiter.api.Test;

class SimSiamLossTest {

    @Test
    void negativeCosineAveragedOverTheBatch() {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            // (3,4)·(4,3) / 25 = 0.96 and cos((1,0), (0,2)) = 0: D = −(0.96 + 0)/2 = −0.48.
            NDArray p = m.create(new float[][] {{3, 4}, {1, 0}});
            NDArray z = m.create(new float[][] {{4, 3}, {0, 2}});
            assertEquals(-0.48f, SimSiamLoss.negativeCosine(p, z).getFloat(), 1e-6f);
            assertEquals(-1f, SimSiamLoss.negativeCosine(p, p.mul(3)).getFloat(), 1e-6f, "the minimum, −1");
            assertEquals(1f, SimSiamLoss.negativeCosine(p, p.neg()).getFloat(), 1e-6f, "the maximum, 1");
        }
    }

    @Test
    void symmetricHalvesBothViewOrders() {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            NDArray p1 = m.create(new float[][] {{1, 0}});
            NDArray p2 = m.create(new float[][] {{1, 0}});
            NDArray z1 = m.create(new float[][] {{0, 5}});
            NDArray z2 = m.create(new float[][] {{2, 0}});
            // ½ D(p1, z2) + ½ D(p2, z1) = ½ (−1) + ½ (0) = −0.5.
            assertEquals(-0.5f, SimSiamLoss.symmetric(p1, p2, z1, z2).getFloat(), 1e-6f);
        }
    }

    @Test
    void theProjectionSideGetsNoGradient() {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            NDArray p = m.create(new float[][] {{3, 4}});
            NDArray z = m.create(new float[][] {{4, 3}});
            p.setRequiresGradient(true);
            z.setRequiresGradient(true);
            try (GradientCollector gc = OfflineEngine.get().newGradientCollector()) {
                gc.backward(SimSiamLoss.negativeCosine(p, z));
            }
            // dD/dp = −1/(‖p‖‖z‖) · (z − (p·z)/‖p‖² · p) = −1/25 · ((4,3) − 0.96·(3,4)) = (−0.0448, 0.0336)
            assertArrayEquals(new float[] {-0.0448f, 0.0336f}, p.getGradient().toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0f, 0f}, z.getGradient().toFloatArray(), 0f);
        }
    }
}
