package org.byol4j.byol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RunLengthTest {

    private static ByolConfig derived() {
        return ByolConfig.builder().build();
    }

    @Test
    void tauBaseFollowsTheRunLengthAndStopsAtThePapersValue() {
        // 1 − max(0.004, 10/K), by hand:
        assertEquals(0.99, RunLength.derivedTauBase(1000), 1e-12);
        assertEquals(0.98, RunLength.derivedTauBase(500), 1e-12);
        assertEquals(0.996, RunLength.derivedTauBase(2500), 1e-12);
        assertEquals(0.996, RunLength.derivedTauBase(300_000), 1e-12);
        assertEquals(0.375, RunLength.derivedTauBase(16), 1e-12);
        assertEquals(0.0, RunLength.derivedTauBase(5), 0, "never below 0");
    }

    @Test
    void warmupIsFivePercentCappedAtTenEpochs() {
        assertEquals(50, RunLength.derivedWarmup(468, 1000), "5 % of 1,000");
        assertEquals(3120, RunLength.derivedWarmup(312, 312_000), "the paper's 10 epochs of a 1,000-epoch run");
        assertEquals(1, RunLength.derivedWarmup(8, 16), "5 % of 16 = 0.8, rounded");
    }

    @Test
    void explicitValuesWinOverTheRules() {
        ByolConfig paper = ByolConfig.builder(ByolPreset.PAPER_IMAGENET).build();
        RunLength r = RunLength.of(paper, 312, 1000);
        assertEquals(0.996, r.tauBase(), 0);
        assertEquals(999, r.warmupSteps(), "10 epochs of 312 steps, capped below K");
        RunLength d = RunLength.of(derived(), 468, 1000);
        assertEquals(new RunLength(1000, 50, 0.99, 1000), d);
        RunLength w = RunLength.of(ByolConfig.builder().optWarmupEpochs(0.5f).optTauBase(0.9).build(), 100, 1000);
        assertEquals(new RunLength(1000, 50, 0.9, 1000), w);
    }

    @Test
    void aStretchedScheduleRunsOverALongerHorizon() {
        RunLength r = RunLength.of(ByolConfig.builder().optScheduleStretch(4).build(), 468, 1000);
        assertEquals(new RunLength(1000, 50, 0.99, 4000), r, "warm-up and tau_base still follow K, not the horizon");
        assertEquals(1000, RunLength.of(derived(), 468, 1000).horizon(), "stretch 1: anneal fully at K");
        assertThrows(IllegalArgumentException.class, () -> new RunLength(10, 1, 0.9, 9));
    }

    @Test
    void outOfRangeValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RunLength(0, 0, 0.9, 1));
        assertThrows(IllegalArgumentException.class, () -> new RunLength(10, 10, 0.9, 10));
        assertThrows(IllegalArgumentException.class, () -> new RunLength(10, 1, 1.5, 10));
    }
}
