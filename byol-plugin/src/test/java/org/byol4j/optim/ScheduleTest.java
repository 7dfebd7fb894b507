package org.byol4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** τ and learning-rate schedules at the points the paper's formulas make easy to compute by hand. */
class ScheduleTest {

    @Test
    void tauFollowsTheCosineScheduleFromBaseToOne() {
        TauSchedule tau = TauSchedule.cosine(0.996, 100);
        assertEquals(0.996, tau.tau(0), 1e-12);
        // k = K/2: cos(π/2) = 0, so τ = 1 − 0.004 / 2.
        assertEquals(0.998, tau.tau(50), 1e-12);
        assertEquals(1.0, tau.tau(100), 1e-12);
        // k = K/4: 1 − 0.004·(cos(π/4) + 1)/2 = 0.99831716...
        assertEquals(1 - 0.004 * (Math.sqrt(0.5) + 1) / 2, tau.tau(25), 1e-12);
        assertEquals(1.0, tau.tau(500), 1e-12, "past K it stays at 1");
    }

    @Test
    void fixedTauIsConstantAndOutOfRangeIsRefused() {
        assertEquals(0.0, TauSchedule.constant(0).tau(17), 0);
        assertEquals(1.0, TauSchedule.constant(1).tau(0), 0);
        assertThrows(IllegalArgumentException.class, () -> TauSchedule.constant(1.5));
        assertThrows(IllegalArgumentException.class, () -> TauSchedule.cosine(0.99, 0));
    }

    @Test
    void learningRateWarmsUpLinearlyThenDecaysByCosine() {
        WarmupCosineTracker lr = WarmupCosineTracker.builder().setPeakValue(2f).setTotalUpdates(110)
                .optWarmupUpdates(10).build();
        assertEquals(0.2f, lr.getNewValue(1), 1e-6f);
        assertEquals(1.0f, lr.getNewValue(5), 1e-6f);
        assertEquals(2.0f, lr.getNewValue(10), 1e-6f);
        // Half-way through the 100 decay updates: (1 + cos(π/2))/2 = 0.5 of the peak.
        assertEquals(1.0f, lr.getNewValue(60), 1e-6f);
        assertEquals((float) (1 + Math.cos(Math.PI / 4)), lr.getNewValue(35), 1e-6f);
        assertEquals(0f, lr.getNewValue(110), 0f);
        assertEquals(0f, lr.getNewValue(200), 0f);
    }

    @Test
    void peakScalesWithBatchOver256() {
        assertEquals(3.2f, WarmupCosineTracker.scaledPeak(0.2f, 4096), 1e-6f);
        assertEquals(0.1f, WarmupCosineTracker.scaledPeak(0.2f, 128), 1e-7f);
    }
}
