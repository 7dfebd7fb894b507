package org.byol4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.byol4j.backbone.Backbone;
import org.byol4j.byol.ByolConfig;
import org.byol4j.byol.TauRule;
import org.byol4j.data.ImageSource;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeBudgetTest {

    private static ByolConfig.Builder tiny() {
        return TinyRuns.tinyConfig().optWarmupEpochs(-1f).optTauBase(-1);
    }

    /** The step rate is that of the second half of the timed steps: the first half is slower warm-up. */
    @Test
    void theStepRateIsTakenOverTheSecondHalfOfTheTimedSteps() {
        long s = 1_000_000_000L;
        // four steps timed: 1 s, 1 s (warm-up half), then 0.5 s, 0.5 s: 2 steps in the last second
        assertEquals(2.0, StepRate.rate(List.of(0L, s, 2 * s, 5 * s / 2, 3 * s)), 1e-9);
        // an odd count: steps 3..5 of 0.25 s after the middle
        assertEquals(4.0, StepRate.rate(List.of(0L, s, 2 * s, 9 * s / 4, 10 * s / 4, 11 * s / 4)), 1e-9);
    }

    /**
     * A budgeted run fixes K from its measured step rate and records it; the same options with that K instead of
     * the budget give the same weights, so the budget decides only how long the run is.
     */
    @Test
    void aBudgetedRunRecordsItsLengthAndAFixedLengthRerunRepeatsIt(@TempDir Path dir) throws IOException {
        ImageSource images = TinyRuns.squares(64, 12);
        Map<String, String> recipe;
        String sha;
        long[] seen = {0, -1}; // last step, K reported with the first step
        PretrainingListener count = new PretrainingListener() {
            @Override
            public void onStep(TrainingProgress p) {
                seen[0] = p.step();
                seen[1] = seen[1] < 0 ? p.totalSteps() : seen[1];
                assertEquals(seen[1], p.totalSteps(), "K is fixed before the first step");
            }
        };
        try (Backbone b = new Pretrainer(tiny().optTimeBudgetSeconds(5).build(), null, 1000, 1).train(images, count)) {
            recipe = b.recipe();
            sha = b.sha256();
        }
        int k = Integer.parseInt(recipe.get("totalSteps"));
        assertTrue(k >= 1, "K " + k);
        assertEquals(k, seen[0], "the run took exactly K steps");
        assertEquals(k, seen[1]);
        assertEquals("5.0", recipe.get("chosenForBudgetSeconds"));
        assertEquals("0", recipe.get("timeBudgetSeconds"), "replaying the recipe must not measure again");
        assertEquals(Double.toString(TauRule.derivedTauBase(k)), recipe.get("tauBaseUsed"));
        assertEquals(Integer.toString(RunLength.derivedWarmup(8, k)), recipe.get("warmupSteps"));
        try (Backbone again = new Pretrainer(tiny().optTotalSteps(k).build(), null, 1000, 1).train(images,
                PretrainingListener.NONE)) {
            assertEquals(sha, again.sha256(), "same seed and K, same weights");
        }
    }

    @Test
    void aFixedStepCountEndsMidEpoch() {
        ImageSource images = TinyRuns.squares(64, 12);   // 8 steps per epoch at batch 8
        long[] last = new long[2];
        PretrainingListener l = new PretrainingListener() {
            @Override
            public void onEpoch(TrainingProgress p) {
                last[0] = p.epoch();
                last[1] = p.step();
            }
        };
        try (Backbone b = new Pretrainer(tiny().optTotalSteps(11).build(), null, 1000, 1).train(images, l)) {
            assertEquals("11", b.recipe().get("totalSteps"));
        }
        assertEquals(1, last[0], "the second epoch is the last, cut short");
        assertEquals(11, last[1]);
    }
}
