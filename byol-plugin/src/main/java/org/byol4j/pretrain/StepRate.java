package org.byol4j.pretrain;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.byol4j.optim.Lars;
import org.byol4j.optim.StatefulOptimizer;

/**
 * Measures how many training steps per second this machine runs for a recipe, so that a time-budgeted run can
 * plan its length K before its schedules are built ({@link TimeBudget} keeps it on time after that). It trains a
 * scratch copy of the method on the loader's first batches, data generation included: {@value #UNTIMED} untimed
 * steps (allocator pools, JIT), then timed steps until {@value #MIN_STEPS} steps and the given time have passed, or
 * {@value #MAX_STEPS} steps; the rate is that of the second half of the timed steps. The scratch copy is closed
 * afterwards; the run itself starts from the seed as usual.
 *
 * <p>Measured: with 2 untimed steps and 3 s timed, a ResNet-20 run at batch 128 measured 164 pairs/s and then trained
 * at 209, ending 18 % early; the first steps are slow. With 5 untimed steps and a timed span that grows with the budget
 * ({@link #timedSeconds}) budgeted 10-minute runs still ended 7–9 % early (545–559 s of 600), most likely because the
 * JVM's compiler threads and the engine's allocator keep warming up for the first seconds and share the 2 cores. Hence
 * the rate is taken over the second half of the timed span only ({@link #rate}); the first half is further warm-up.
 * A larger cause was found later (bench/NOTES.md entry 9): under glibc's default malloc settings the first one to
 * five epochs page-fault freed tensors back in and run a third slower, so a run measured 360 pairs/s and then trained
 * at 600; {@code ./byol} and {@code bench/run} set malloc so that the measured rate is the steady one.
 */
final class StepRate {

    static final int UNTIMED = 5;
    static final int MIN_STEPS = 10;
    static final int MAX_STEPS = 200;
    static final double MIN_SECONDS = 3.0;
    static final double BUDGET_SHARE = 0.02;
    /** The nominal run length of the scratch method (only its own schedules see it). */
    private static final int SCRATCH_STEPS = 1000;

    private final PretrainingConfig config;

    StepRate(PretrainingConfig config) {
        this.config = config;
    }

    /**
     * @param budgetSeconds the run's budget
     * @return how long to time steps: {@value #MIN_SECONDS} s or {@value #BUDGET_SHARE} of the budget, the longer
     */
    static double timedSeconds(double budgetSeconds) {
        return Math.max(MIN_SECONDS, BUDGET_SHARE * budgetSeconds);
    }

    /**
     * @param times the end of each step, in nanoseconds, the first one the start of timing
     * @return steps per second over the second half of the span (at least one step)
     */
    static double rate(List<Long> times) {
        int last = times.size() - 1;
        int half = last / 2;
        return (last - half) / ((times.get(last) - times.get(half)) / 1e9);
    }

    /**
     * @param loader the run's loader (its epoch 0 is read again by the run; views are a function of the seed)
     * @param minSeconds how long to time steps at least
     * @return steps per second
     */
    double measure(ViewPairLoader loader, double minSeconds) {
        try (PretrainingMethod scratch = config.newMethod(new RunLength(SCRATCH_STEPS, 0, SCRATCH_STEPS));
                StatefulOptimizer optimiser = Lars.builder().setLearningRateTracker((id, n) -> 0f)
                        .optMomentum(config.momentum()).build()) {
            PretrainingStep step = new PretrainingStep(scratch, optimiser);
            StepPhases untracked = new StepPhases();
            List<Long> times = new ArrayList<>();
            int done = 0;
            while (true) {
                Iterator<ViewBatch> batches = loader.epoch(0, 0);
                while (batches.hasNext()) {
                    step.run(batches.next(), done, untracked);
                    done++;
                    if (done >= UNTIMED) {
                        times.add(System.nanoTime());
                        int timed = times.size() - 1;
                        double seconds = (times.get(timed) - times.get(0)) / 1e9;
                        if ((timed >= MIN_STEPS && seconds >= minSeconds) || timed >= MAX_STEPS) {
                            return rate(times);
                        }
                    }
                }
            }
        }
    }
}
