package org.byol4j.pretrain;

import static org.byol4j.method.PretrainingConfig.MOMENTUM;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.byol4j.method.PretrainingConfig;
import org.byol4j.method.PretrainingMethod;
import org.byol4j.method.RunLength;
import org.byol4j.method.StepPhases;
import org.byol4j.optim.Lars;
import org.byol4j.optim.StatefulOptimizer;
import org.byol4j.spi.PretrainingListener;
import org.byol4j.spi.TrainingStoppedException;
import org.byol4j.views.ViewBatch;
import org.byol4j.views.ViewLoader;

/**
 * Measures how many training steps per second this machine runs for a recipe, so that a time-budgeted run can
 * plan its length K before its schedules are built ({@link TimeBudget} keeps it on time after that). It trains a
 * scratch copy of the method on the loader's first batches, data generation included: {@value #UNTIMED} untimed
 * steps (allocator pools, JIT), then timed steps until {@value #MIN_STEPS} steps and the given time have passed, or
 * {@value #MAX_STEPS} steps; the rate is that of the second half of the timed steps. However slow the model, the
 * measurement ends once it has taken {@value #MAX_BUDGET_SHARE} of the budget and at least two steps (the rate is then
 * that of the later half of the steps after the first), so that it cannot eat a short budget; and it asks the
 * listener before every step whether to stop ({@link TrainingStoppedException}, before the run's first step). The
 * scratch copy is closed afterwards; the run itself starts from the seed as usual.
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
    /** The most of the budget the measurement may take, once it has two steps. */
    static final double MAX_BUDGET_SHARE = 0.1;
    /** The nominal run length of the scratch method (only its own schedules see it). */
    private static final int SCRATCH_STEPS = 1000;

    private final PretrainingConfig config;
    private final Function<RunLength, PretrainingMethod> methods;

    /**
     * @param config the recipe
     * @param methods builds the method the run will train (with joint training's head, when it has one), so that
     *     the measured step is the run's step
     */
    StepRate(PretrainingConfig config, Function<RunLength, PretrainingMethod> methods) {
        this.config = config;
        this.methods = methods;
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
     * @param budgetSeconds the run's budget, which sets how long to time steps ({@link #timedSeconds}) and the most
     *     the measurement may take ({@value #MAX_BUDGET_SHARE} of it)
     * @param listener asked before every step whether to stop
     * @return steps per second
     * @throws TrainingStoppedException when the listener asks to stop (no step of the run has been taken)
     */
    double measure(ViewLoader loader, double budgetSeconds, PretrainingListener listener) {
        double minSeconds = timedSeconds(budgetSeconds);
        double maxSeconds = MAX_BUDGET_SHARE * budgetSeconds;
        try (PretrainingMethod scratch = methods.apply(new RunLength(SCRATCH_STEPS, 0, SCRATCH_STEPS));
                StatefulOptimizer optimiser = Lars.builder().setLearningRateTracker((id, n) -> 0f)
                        .optMomentum(config.get(MOMENTUM)).build()) {
            PretrainingStep step = new PretrainingStep(scratch, optimiser);
            StepPhases untracked = new StepPhases();
            long started = System.nanoTime();
            List<Long> ends = new ArrayList<>();
            while (true) {
                Iterator<ViewBatch> batches = loader.epoch(0, 0);
                while (batches.hasNext()) {
                    if (listener.stopRequested()) {
                        throw new TrainingStoppedException(0, 0, null);
                    }
                    step.run(batches.next(), ends.size(), untracked);
                    long now = System.nanoTime();
                    ends.add(now);
                    if (ends.size() > UNTIMED) {
                        List<Long> timed = ends.subList(UNTIMED - 1, ends.size());
                        double seconds = (now - timed.get(0)) / 1e9;
                        int n = timed.size() - 1;
                        if ((n >= MIN_STEPS && seconds >= minSeconds) || n >= MAX_STEPS) {
                            return rate(timed);
                        }
                    }
                    if (ends.size() >= 2 && (now - started) / 1e9 >= maxSeconds) {
                        return rate(ends);
                    }
                }
            }
        }
    }
}
