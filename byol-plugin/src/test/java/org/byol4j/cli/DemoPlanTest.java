package org.byol4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DemoPlanTest {

    @Test
    void pretrainingGetsWhatTheBudgetLeavesAfterTheClosingEvaluationWithItsSafety() {
        // 14.5 minutes = 870 s; 200 s spent; closing measured 100 s, kept 125 s; 15 s margin: 870 - 200 - 125 - 15.
        DemoPlan plan = new DemoPlan(870, 200, 100);
        assertEquals(530, plan.pretrainSeconds(), 1e-9);
        assertTrue(plan.fits());
    }

    @Test
    void aBudgetThatLeavesUnderAMinuteDoesNotFit() {
        // 300 - 150 - 1.25 * 80 - 15 = 35 s: under the 60 s minimum.
        DemoPlan tight = new DemoPlan(300, 150, 80);
        assertEquals(35, tight.pretrainSeconds(), 1e-9);
        assertFalse(tight.fits());
        // Exactly the minimum fits: 300 - 125 - 100 - 15 = 60.
        assertTrue(new DemoPlan(300, 125, 80).fits());
    }

    @Test
    void aMachineThatBoughtTooFewStepsIsToldTheBudgetThatBuysEnough() {
        // Planned 870 - 123 - 1.25 * 80 - 15 = 632 s; it ran 857 steps in 632 s. 2,400 steps at that rate take
        // 2,400 * 632 / 857 = 1,769.9 s, and the plan keeps 870 - 632 = 238 s for the rest: 2,007.9 s = 33.5 min -> 34.
        DemoPlan plan = new DemoPlan(870, 123, 80);
        assertEquals(632, plan.pretrainSeconds(), 1e-9);
        assertEquals(34, plan.totalMinutesFor(2_400, 857, 632));
        // With --minutes: 2,400 steps at 800 steps per 600 s take exactly 1,800 s = 30 minutes.
        assertEquals(30, DemoPlan.pretrainMinutesFor(2_400, 800, 600));
        assertEquals(31, DemoPlan.pretrainMinutesFor(2_400, 800, 601));

        String note = DemoCommand.tooFewSteps(plan, 857, 632);
        assertTrue(note.startsWith("Note: this machine ran 857 steps in 632 s of pretraining."), note);
        assertTrue(note.endsWith("./byol demo --total-minutes 34 would run about 2,400 steps here."), note);
        assertTrue(DemoCommand.tooFewSteps(null, 800, 600).contains("./byol demo --minutes 30 would run"));
    }
}
