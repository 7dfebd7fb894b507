package org.byol4j.simclr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.byol4j.engine.OfflineEngine;
import org.junit.jupiter.api.Test;

class NtXentLossTest {

    @Test
    void matchesTheHandComputedValue() {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            // Two pairs of identical views, (1,0) and (0,1): each of the 4 views has similarity 1 with its positive
            // and 0 with its 2 negatives (itself excluded), so ℓ = −log(e / (e + 2)) = log(2 + e) − 1 for all.
            NDArray z1 = m.create(new float[][] {{1, 0}, {0, 1}});
            NDArray z2 = m.create(new float[][] {{3, 0}, {0, 2}});
            double expected = Math.log(2 + Math.E) - 1;
            assertEquals(expected, NtXentLoss.loss(z1, z2, 1f).getFloat(), 1e-6);
            // T = 0.5 doubles every similarity: log(2 + e²) − 2.
            assertEquals(Math.log(2 + Math.exp(2)) - 2, NtXentLoss.loss(z1, z2, 0.5f).getFloat(), 1e-6);
            // Swapped second views: each positive now has similarity 0 and one negative 1: ℓ = log(2 + e).
            NDArray swapped = m.create(new float[][] {{0, 1}, {1, 0}});
            assertEquals(Math.log(2 + Math.E), NtXentLoss.loss(z1, swapped, 1f).getFloat(), 1e-6);
        }
    }

    @Test
    void everyViewHasTwoNMinusTwoNegatives() {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            // N = 3 identical pairs of one direction: all 6 views equal, so each softmax is uniform over the
            // 2N − 1 = 5 others and ℓ = log 5 whatever the temperature.
            NDArray z = m.create(new float[][] {{1, 1}, {2, 2}, {3, 3}});
            assertEquals(Math.log(5), NtXentLoss.loss(z, z.mul(2), 0.1f).getFloat(), 1e-5);
        }
    }

    @Test
    void gradientsReachBothViews() {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            NDArray z1 = m.create(new float[][] {{1, 0.5f}, {0.2f, 1}});
            NDArray z2 = m.create(new float[][] {{0.9f, 0.4f}, {-0.3f, 1}});
            z1.setRequiresGradient(true);
            z2.setRequiresGradient(true);
            try (GradientCollector gc = OfflineEngine.get().newGradientCollector()) {
                gc.backward(NtXentLoss.loss(z1, z2, 0.5f));
            }
            assertTrue(z1.getGradient().abs().sum().getFloat() > 0, "no stop-gradient in SimCLR");
            assertTrue(z2.getGradient().abs().sum().getFloat() > 0, "no stop-gradient in SimCLR");
        }
    }

    @Test
    void aTemperatureThatIsNotPositiveIsRefused() {
        try (NDManager m = OfflineEngine.get().newBaseManager()) {
            NDArray z = m.create(new float[][] {{1, 0}, {0, 1}});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NtXentLoss.loss(z, z, 0f));
            assertTrue(e.getMessage().contains("temperature"), e.getMessage());
        }
    }
}
