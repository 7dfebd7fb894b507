package org.byol4j.byol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** BYOL's τ schedule at the points the paper's formula makes easy to compute by hand. */
class TauScheduleTest {

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
}
