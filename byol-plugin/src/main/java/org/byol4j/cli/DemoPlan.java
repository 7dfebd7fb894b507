package org.byol4j.cli;

/**
 * How long {@code byol demo} may pretrain within its total budget: what is left after the time already spent
 * (starting, loading, the baselines) and after the closing evaluation, whose cost is known before pretraining
 * because the baselines measured it: the untrained network has the trained one's architecture, so embedding the
 * same images and fitting the same probe and kNN on them take the same time. The estimate is taken
 * {@link #SAFETY} times over, plus {@link #MARGIN_SECONDS} for the pretraining's own start and the summary.
 *
 * @param totalSeconds the whole demo's budget, from the start of the command
 * @param spentSeconds time spent when the pretraining is about to start
 * @param closingSeconds measured cost of embedding, probing and kNN on the untrained network
 */
record DemoPlan(double totalSeconds, double spentSeconds, double closingSeconds) {

    /** Factor on the measured closing cost (a shared machine's speed varies by about ±15 % between minutes). */
    static final double SAFETY = 1.25;

    /** Seconds kept for building the networks before the first step, and for printing the summary. */
    static final double MARGIN_SECONDS = 15;

    /** Shortest pretraining the demo agrees to plan: less would not show the method doing anything. */
    static final double MIN_PRETRAIN_SECONDS = 60;

    /**
     * Steps from which every two-seed run of the preset measured in docs/RECIPE.md beat raw pixels on both seeds
     * (runs W and AC: 2,414 to 2,691 steps); runs of 657 to 800 steps did on one seed of two (runs AA and AD).
     */
    static final long STEPS_THAT_PAY = 2_400;

    /** @return the pretraining budget in seconds (may be below {@link #MIN_PRETRAIN_SECONDS}: see {@link #fits}) */
    double pretrainSeconds() {
        return totalSeconds - spentSeconds - SAFETY * closingSeconds - MARGIN_SECONDS;
    }

    /** @return whether the budget leaves at least {@link #MIN_PRETRAIN_SECONDS} of pretraining */
    boolean fits() {
        return pretrainSeconds() >= MIN_PRETRAIN_SECONDS;
    }

    /**
     * @param targetSteps the steps the pretraining should run
     * @param stepsRun the steps this plan's pretraining ran
     * @param secondsRun how long they took
     * @return the whole minutes of {@code --total-minutes} that would leave this machine time for {@code targetSteps}
     *     at the measured rate, with the same time kept for everything else as this plan
     */
    int totalMinutesFor(long targetSteps, long stepsRun, double secondsRun) {
        return (int) Math.ceil((totalSeconds - pretrainSeconds() + targetSteps * secondsRun / stepsRun) / 60);
    }

    /**
     * @param targetSteps the steps the pretraining should run
     * @param stepsRun the steps a pretraining ran
     * @param secondsRun how long they took
     * @return the whole minutes of pretraining ({@code --minutes}) that would run {@code targetSteps} at that rate
     */
    static int pretrainMinutesFor(long targetSteps, long stepsRun, double secondsRun) {
        return (int) Math.ceil(targetSteps * secondsRun / stepsRun / 60);
    }
}
