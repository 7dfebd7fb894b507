package org.byol4j.simsiam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
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
    void multiCropAveragesEveryGlobalProjectionAgainstEveryOtherViewByHand() {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            NDArray z0 = m.create(new float[][] {{1, 0}});
            NDArray z1 = m.create(new float[][] {{0, 3}});
            NDArray p0 = m.create(new float[][] {{2, 0}});
            NDArray p1 = m.create(new float[][] {{1, 1}});
            NDArray local = m.create(new float[][] {{0, 5}});
            // z0 against p1 (−1/√2) and the local view (0); z1 against p0 (0) and the local view (−1): mean of four.
            float expected = (float) (-(1 + 1 / Math.sqrt(2)) / 4);
            assertEquals(expected, SimSiamLoss.multiCrop(List.of(p0, p1, local), List.of(z0, z1)).getFloat(), 1e-6f);
            assertThrows(IllegalArgumentException.class, () -> SimSiamLoss.multiCrop(List.of(p0, p1), List.of(z0)));
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
