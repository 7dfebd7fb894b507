package org.byol4j.byol;

import static org.byol4j.byol.ByolConfig.TAU_BASE;
import static org.byol4j.method.PretrainingConfig.SCHEDULE_STRETCH;
import static org.byol4j.method.PretrainingConfig.WARMUP_EPOCHS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.byol4j.method.RunLength;
import org.junit.jupiter.api.Test;

class RunLengthTest {

    private static ByolConfig derived() {
        return ByolConfig.builder().build();
    }

    @Test
    void tauBaseFollowsTheRunLengthAndStopsAtThePapersValue() {
        // 1 − max(0.004, 10/K), by hand:
        assertEquals(0.99, TauRule.derivedTauBase(1000), 1e-12);
        assertEquals(0.98, TauRule.derivedTauBase(500), 1e-12);
        assertEquals(0.996, TauRule.derivedTauBase(2500), 1e-12);
        assertEquals(0.996, TauRule.derivedTauBase(300_000), 1e-12);
        assertEquals(0.375, TauRule.derivedTauBase(16), 1e-12);
        assertEquals(0.0, TauRule.derivedTauBase(5), 0, "never below 0");
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
        assertEquals(0.996, TauRule.tauBase(paper, r), 0);
        assertEquals(999, r.warmupSteps(), "10 epochs of 312 steps, capped below K");
        RunLength d = RunLength.of(derived(), 468, 1000);
        assertEquals(new RunLength(1000, 50, 1000), d);
        assertEquals(0.99, TauRule.tauBase(derived(), d), 1e-12);
        ByolConfig explicit = ByolConfig.builder().set(WARMUP_EPOCHS, 0.5f).set(TAU_BASE, 0.9).build();
        RunLength w = RunLength.of(explicit, 100, 1000);
        assertEquals(new RunLength(1000, 50, 1000), w);
        assertEquals(0.9, TauRule.tauBase(explicit, w), 0);
    }

    @Test
    void aStretchedScheduleRunsOverALongerHorizon() {
        ByolConfig stretched = ByolConfig.builder().set(SCHEDULE_STRETCH, 4.0).build();
        RunLength r = RunLength.of(stretched, 468, 1000);
        assertEquals(new RunLength(1000, 50, 4000), r, "warm-up still follows K, not the horizon");
        assertEquals(0.99, TauRule.tauBase(stretched, r), 1e-12, "so does tau_base");
        assertEquals(0.99, TauRule.schedule(stretched, r).tau(0), 1e-12);
        assertEquals(1 - 0.01 * (Math.cos(Math.PI / 4) + 1) / 2, TauRule.schedule(stretched, r).tau(1000), 1e-12,
                "at K the stretched schedule is a quarter of the way");
        assertEquals(1000, RunLength.of(derived(), 468, 1000).horizon(), "stretch 1: anneal fully at K");
        assertThrows(IllegalArgumentException.class, () -> new RunLength(10, 1, 9));
    }

    @Test
    void outOfRangeValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RunLength(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RunLength(10, 10, 10));
    }
}
