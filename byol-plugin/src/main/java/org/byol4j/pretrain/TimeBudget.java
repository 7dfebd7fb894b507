package org.byol4j.pretrain;

/**
 * Keeps a time-budgeted run on time after its start: every few steps it measures the rate of the steps since its
 * last look and moves the run's last step so that the run ends when the budget does. Only the end moves: the
 * schedules (warm-up, learning rate, τ) stay those planned from the first measurement ({@link StepRate}), so a
 * machine that speeds up or slows down mid-run changes how long the run is, not what each step does, and the run
 * can be repeated exactly from its recorded {@code totalSteps} and {@code scheduleSteps}.
 *
 * <p>The end may pass the schedules' horizon (stretch × K): a machine that sped up after the plan still uses its
 * budget, as a wall-clock budget promises, and the steps past the horizon train at the schedules' final values
 * ({@link org.byol4j.optim.WarmupCosineTracker}'s final rate, τ = 1). With stretch 1 (the papers' full annealing)
 * those steps change the weights little; a stretch above 1, as the small presets use, leaves the run room to learn.
 * Before this, a stretch-1 run whose machine went from 360 to 600 pairs/s after the plan ended after about 60 % of
 * its budget.
 *
 * <p>Measured before this existed: with the rate taken once at the start, a 30-minute run ended after 1,528 s when
 * the machine sped up, and the 10-minute demo ran 670 s when it slowed down.
 */
final class TimeBudget {

    /** Re-plans per planned run: the window of each rate measurement is this share of the run. */
    static final int LOOKS = 40;
    /** The shortest window, in steps. */
    static final int MIN_WINDOW = 5;

    private final double budgetSeconds;
    private final int window;
    private long windowStep;
    private long windowNanos;

    /**
     * @param budgetSeconds the whole budget
     * @param plannedSteps the K the run planned, which sets the window
     * @param step the step the loop starts at: the first window starts here, so that what came before it (rate
     *     measurement, network construction, a resume) does not count towards the rate
     * @param nowNanos the time ({@link System#nanoTime})
     */
    TimeBudget(double budgetSeconds, int plannedSteps, long step, long nowNanos) {
        this.budgetSeconds = budgetSeconds;
        this.window = Math.max(MIN_WINDOW, plannedSteps / LOOKS);
        this.windowStep = step;
        this.windowNanos = nowNanos;
    }

    /**
     * Called after every step.
     *
     * @param step steps done
     * @param end the run's current last step
     * @param nowNanos the time
     * @param elapsedSeconds budget spent so far (a resumed run: with what the processes before it spent)
     * @return the run's new last step: {@code end} until a window is full, then re-planned from that window's rate
     */
    int afterStep(long step, int end, long nowNanos, double elapsedSeconds) {
        if (step - windowStep < window || nowNanos <= windowNanos) {
            return end;
        }
        double rate = (step - windowStep) / ((nowNanos - windowNanos) / 1e9);
        windowStep = step;
        windowNanos = nowNanos;
        return plannedEnd(step, budgetSeconds - elapsedSeconds, rate);
    }

    /**
     * @param step steps done
     * @param secondsLeft budget left (may be negative)
     * @param stepsPerSecond the current rate
     * @return the step at which the budget runs out at this rate, at least {@code step} (step: stop now), at most
     *     {@link Integer#MAX_VALUE}
     */
    static int plannedEnd(long step, double secondsLeft, double stepsPerSecond) {
        double more = Math.floor(Math.max(0, secondsLeft) * stepsPerSecond);
        return (int) Math.min(Integer.MAX_VALUE, step + more);
    }
}
