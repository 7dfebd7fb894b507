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
}
