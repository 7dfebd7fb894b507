package org.byol4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Learning-rate schedules at the points the paper's formulas make easy to compute by hand. */
class ScheduleTest {

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
