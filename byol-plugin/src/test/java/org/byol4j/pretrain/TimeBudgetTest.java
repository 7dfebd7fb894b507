package org.byol4j.pretrain;

import static org.byol4j.byol.ByolConfig.TAU_BASE;
import static org.byol4j.method.PretrainingConfig.SCHEDULE_STEPS;
import static org.byol4j.method.PretrainingConfig.SCHEDULE_STRETCH;
import static org.byol4j.method.PretrainingConfig.TIME_BUDGET_SECONDS;
import static org.byol4j.method.PretrainingConfig.TOTAL_STEPS;
import static org.byol4j.method.PretrainingConfig.WARMUP_EPOCHS;
import static org.byol4j.pretrain.RunSettings.CHECKPOINT_EVERY;
import static org.byol4j.pretrain.RunSettings.WORKERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.byol4j.backbone.Backbone;
import org.byol4j.byol.ByolConfig;
import org.byol4j.byol.TauRule;
import org.byol4j.checkpoint.Checkpoint;
import org.byol4j.data.ImageSource;
import org.byol4j.method.PretrainingConfig;
import org.byol4j.method.RunLength;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.TrainingProgress;
import org.byol4j.spi.TrainingStoppedException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("slow")
class TimeBudgetTest {

    /** Sleeps, as a listener that makes steps slower does. */
    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static PretrainingConfig.Builder<ByolConfig> tiny() {
        return TinyRuns.tinyConfig().set(WARMUP_EPOCHS, -1f).set(TAU_BASE, -1.0);
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
     * The end at the current rate, worked by hand: steps done + ⌊seconds left × rate⌋, never before now, and past the
     * schedules' horizon when the budget lasts that long (the run keeps its budget whatever the stretch).
     */
    @Test
    void theEndIsWhereTheBudgetRunsOutAtTheCurrentRate() {
        assertEquals(150, TimeBudget.plannedEnd(100, 10.0, 5.0));
        assertEquals(131, TimeBudget.plannedEnd(100, 10.5, 3.0), "31.5 more steps round down");
        assertEquals(100, TimeBudget.plannedEnd(100, -2.0, 5.0), "budget spent: stop now");
        assertEquals(Integer.MAX_VALUE, TimeBudget.plannedEnd(100, 1e9, 1e9), "at most the largest step number");
    }

    /**
     * The end moves once per window (max(5, K / 40) steps), from that window's rate alone: K = 400 gives windows
     * of 10 steps. A 60 s budget: 10 steps in 10 s (1 step/s, 50 s left) end at 60; the next 10 in 2 s (5 steps/s,
     * 48 s left) at 20 + 240 = 260.
     */
    @Test
    void theEndFollowsTheRateOfTheLatestWindow() {
        long s = 1_000_000_000L;
        TimeBudget budget = new TimeBudget(60, 400, 0, 0);
        assertEquals(400, budget.afterStep(5, 400, 5 * s, 5.0), "the window is not full yet");
        assertEquals(60, budget.afterStep(10, 400, 10 * s, 10.0));
        assertEquals(60, budget.afterStep(15, 60, 11 * s, 11.0));
        assertEquals(260, budget.afterStep(20, 60, 12 * s, 12.0), "a faster machine moves the end out");
    }

    /**
     * A budgeted run plans K from its measured step rate and records the steps it took and the K its schedules
     * were built for; the same options with those two instead of the budget give the same weights, so the budget
     * decides only how long the run is.
     */
    @Test
    void aBudgetedRunRecordsItsLengthAndAFixedLengthRerunRepeatsIt() {
        ImageSource images = TinyRuns.squares(64, 12);
        Map<String, String> recipe;
        String sha;
        long[] seen = {0, 0}; // last step, the end it reported with it
        PretrainingListener count = new PretrainingListener() {
            @Override
            public void onStep(TrainingProgress p) {
                seen[0] = p.step();
                seen[1] = p.totalSteps();
            }
        };
        try (Backbone b = new Pretrainer(tiny().set(TIME_BUDGET_SECONDS, 5.0).build(), RunSettings.defaults()
                .with(WORKERS, 1)).train(images, count)) {
            recipe = b.recipe();
            sha = b.sha256();
        }
        int steps = Integer.parseInt(recipe.get("totalSteps"));
        int k = Integer.parseInt(recipe.get("scheduleSteps"));
        assertTrue(steps >= StepRate.UNTIMED, "a 5 s budget buys more steps than the rate measurement's warm-up: steps "
                + steps + ", K " + k);
        assertEquals(steps, seen[0], "the recipe records the steps taken");
        assertEquals(steps, seen[1], "the last step reports itself as the end");
        assertEquals("5.0", recipe.get("chosenForBudgetSeconds"));
        assertEquals("0", recipe.get("timeBudgetSeconds"), "replaying the recipe must not measure again");
        assertEquals(Double.toString(TauRule.derivedTauBase(k)), recipe.get("tauBaseUsed"));
        assertEquals(Integer.toString(RunLength.derivedWarmup(8, k)), recipe.get("warmupSteps"));
        try (Backbone again = new Pretrainer(tiny().set(TOTAL_STEPS, steps).set(SCHEDULE_STEPS, k).build(),
                RunSettings.defaults().with(WORKERS, 1))
                .train(images, PretrainingListener.NONE)) {
            assertEquals(sha, again.sha256(), "same seed, steps and schedules, same weights");
        }
    }

    /**
     * A machine that slows down after the rate was measured (here every step then waits three times as long as it
     * computed, so steps take four times as long as those the plan was measured on, however fast the machine
     * running the test is) shortens the run instead of overrunning the budget: planned for K steps, the run takes
     * about K / 4 and ends near its budget, where a K fixed at the start would have run about four times over.
     */
    @Test
    void aRunOnAMachineThatSlowsDownStillEndsOnTime() {
        ImageSource images = TinyRuns.squares(64, 12);
        double budget = 10;
        PretrainingListener slow = new PretrainingListener() {
            private long stepStarted; // 0 until the first step, whose start the listener does not see

            @Override
            public void onStep(TrainingProgress p) {
                pause(stepStarted == 0 ? 0 : 3 * (System.nanoTime() - stepStarted) / 1_000_000);
                stepStarted = System.nanoTime();
            }
        };
        long t0 = System.nanoTime();
        Map<String, String> recipe;
        try (Backbone b = new Pretrainer(tiny().set(TIME_BUDGET_SECONDS, budget).build(), RunSettings.defaults()
                .with(WORKERS, 1))
                .train(images, slow)) {
            recipe = b.recipe();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int steps = Integer.parseInt(recipe.get("totalSteps"));
        int k = Integer.parseInt(recipe.get("scheduleSteps"));
        assertTrue(steps < 0.6 * k, "planned " + k + " steps, took " + steps);
        assertTrue(seconds > 0.9 * budget && seconds < 1.1 * budget, "took " + seconds + " s of a " + budget
                + " s budget (" + steps + " steps of " + k + " planned)");
    }

    /** A budgeted run stopped and resumed keeps the K it planned and counts the time it spent before the stop. */
    @Test
    void aResumedBudgetedRunKeepsItsPlanAndTheTimeItSpent(@TempDir Path dir) throws IOException {
        ImageSource images = TinyRuns.squares(64, 12);
        ByolConfig config = tiny().set(TIME_BUDGET_SECONDS, 6.0).build();
        PretrainingListener stopAfterTheFirstStep = new PretrainingListener() {
            private boolean stepped;

            @Override
            public void onStep(TrainingProgress p) {
                stepped = true;
            }

            @Override
            public boolean stopRequested() {
                return stepped;
            }
        };
        assertThrows(TrainingStoppedException.class,
                () -> new Pretrainer(config, RunSettings.defaults().withCheckpointDir(dir).with(CHECKPOINT_EVERY, 1000)
                .with(WORKERS, 1)).train(images, stopAfterTheFirstStep));
        Checkpoint.Length saved = Checkpoint.savedLength(dir, config.recipe()).orElseThrow();
        assertTrue(saved.elapsedSeconds() >= StepRate.MAX_BUDGET_SHARE * 6, "the rate measurement counts: " + saved);
        try (Backbone b = new Pretrainer(config, RunSettings.defaults().withCheckpointDir(dir).with(CHECKPOINT_EVERY,
                1000)
                .with(WORKERS, 1)).train(images, PretrainingListener.NONE)) {
            assertEquals(Integer.toString(saved.scheduleSteps()), b.recipe().get("scheduleSteps"));
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
        try (Backbone b = new Pretrainer(tiny().set(TOTAL_STEPS, 11).build(), RunSettings.defaults().with(WORKERS,
                1)).train(images, l)) {
            assertEquals("11", b.recipe().get("totalSteps"));
        }
        assertEquals(1, last[0], "the second epoch is the last, cut short");
        assertEquals(11, last[1]);
    }

    /**
     * The opposite of the slow-down: the machine speeds up after the plan (here each step of the rate measurement
     * waits 3 times as long as it computed, the run's steps do not), with the schedules annealed fully over the
     * planned K (stretch 1, the papers' setting). The run must still use its budget, not end at K after a third of
     * it: it goes past K, at the schedules' final values.
     */
    @Test
    void aRunOnAMachineThatSpeedsUpStillUsesItsBudgetWithStretchOne() {
        ImageSource images = TinyRuns.squares(64, 12);
        double budget = 8;
        PretrainingListener fastAfterThePlan = new PretrainingListener() {
            private boolean running;
            private long asked;

            @Override
            public boolean stopRequested() {
                if (!running && asked > 0) { // the rate measurement asks before each of its steps
                    pause(3 * (System.nanoTime() - asked) / 1_000_000);
                }
                asked = System.nanoTime();
                return false;
            }

            @Override
            public void onStep(TrainingProgress p) {
                running = true;
            }
        };
        long t0 = System.nanoTime();
        Map<String, String> recipe;
        try (Backbone b = new Pretrainer(tiny().set(TIME_BUDGET_SECONDS, budget).set(SCHEDULE_STRETCH, 1.0).build(),
                RunSettings.defaults().with(WORKERS, 1)).train(images, fastAfterThePlan)) {
            recipe = b.recipe();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int steps = Integer.parseInt(recipe.get("totalSteps"));
        int k = Integer.parseInt(recipe.get("scheduleSteps"));
        assertTrue(steps > 2 * k, "planned " + k + " steps on the slow measurement, took " + steps);
        assertTrue(seconds > 0.95 * budget && seconds < 1.1 * budget, "took " + seconds + " s of a " + budget
                + " s budget (" + steps + " steps of " + k + " planned)");
    }

    /**
     * However slow a step, the rate measurement stops after a tenth of the budget once it has two steps: here every
     * step of it takes about 0.4 s (a listener's wait), so the old rule (5 untimed steps, then 10 timed) would have
     * spent 6 s of a 4 s budget before the run began.
     */
    @Test
    void theRateMeasurementOfASlowModelTakesATenthOfTheBudget() {
        ImageSource images = TinyRuns.squares(64, 12);
        double budget = 4;
        PretrainingListener slowMeasurement = new PretrainingListener() {
            private boolean running;

            @Override
            public boolean stopRequested() {
                if (!running) {
                    pause(400);
                }
                return false;
            }

            @Override
            public void onStep(TrainingProgress p) {
                running = true;
            }
        };
        long t0 = System.nanoTime();
        try (Backbone b = new Pretrainer(tiny().set(TIME_BUDGET_SECONDS, budget).build(), RunSettings.defaults()
                .with(WORKERS, 1))
                .train(images, slowMeasurement)) {
            assertTrue(Integer.parseInt(b.recipe().get("totalSteps")) >= 1);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 1.25 * budget, "took " + seconds + " s of a " + budget + " s budget");
    }

    /**
     * Ctrl-C while the step rate is measured: the stop is honoured before the next measured step, not minutes later
     * when the run's first step would have looked (observed before: more than 2 minutes).
     */
    @Test
    void aStopRequestedWhileMeasuringEndsTheRunBeforeItsFirstStep(@TempDir Path dir) {
        ImageSource images = TinyRuns.squares(64, 12);
        int[] asked = {0};
        PretrainingListener stopAtTheThirdMeasuredStep = new PretrainingListener() {
            @Override
            public boolean stopRequested() {
                return ++asked[0] >= 3;
            }

            @Override
            public void onStep(TrainingProgress p) {
                throw new AssertionError("the run took a step after the stop: " + p);
            }
        };
        long t0 = System.nanoTime();
        TrainingStoppedException e = assertThrows(TrainingStoppedException.class, () -> new Pretrainer(
                tiny().set(TIME_BUDGET_SECONDS, 600.0).build(), RunSettings.defaults().withCheckpointDir(dir)
                        .with(CHECKPOINT_EVERY, 1000)
                .with(WORKERS, 1)).train(images, stopAtTheThirdMeasuredStep));
        assertEquals(3, asked[0], "asked before each measured step, stopped at the third");
        assertEquals(0, e.totalSteps());
        assertTrue(e.checkpoint().isEmpty(), "no step ran, so nothing to checkpoint");
        assertTrue((System.nanoTime() - t0) / 1e9 < StepRate.MIN_SECONDS, "stopped within a step or two");
    }
}
