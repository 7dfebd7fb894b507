package org.byol4j.method;

import static org.byol4j.method.PretrainingConfig.SCHEDULE_STRETCH;
import static org.byol4j.method.PretrainingConfig.WARMUP_EPOCHS;

import java.util.Locale;

/**
 * How long a run is: K optimiser steps, W warm-up steps and the horizon H of its schedules. The papers' warm-up
 * (BYOL: 10 epochs; Grill et al. 2020, appendix C) belongs to ImageNet runs of 300–1,000 epochs. Set explicitly in
 * the {@link PretrainingConfig}, the warm-up is used as given; left at its "derived" default (negative) it follows K:
 * <b>W = min(10 epochs, {@value #WARMUP_FRACTION} K)</b>, because 10 epochs are 1 % of a 1,000-epoch run and three
 * times a run of three epochs. A method derives its own constants from K too (BYOL's τ_base, in {@code TauRule}).
 *
 * <p>The learning-rate schedule (and a method's own schedules) run over the horizon H = stretch × K
 * ({@link PretrainingConfig#SCHEDULE_STRETCH}): with stretch 1 they anneal fully at the end of the run, as in the
 * papers; with a larger stretch the run stops where a longer run would still be learning.
 *
 * @param totalSteps K, ≥ 1
 * @param warmupSteps W, in [0, K)
 * @param horizon H ≥ K, the step at which the schedules would reach their end
 */
public record RunLength(int totalSteps, int warmupSteps, int horizon) {

    /** The derived warm-up's share of the run. */
    public static final double WARMUP_FRACTION = 0.05;
    /** The derived warm-up's cap in epochs (the BYOL paper's warm-up). */
    public static final float MAX_WARMUP_EPOCHS = 10f;

    /** Validates the values. */
    public RunLength {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
        }
        if (warmupSteps < 0 || (warmupSteps >= totalSteps && totalSteps > 1)) {
            throw new IllegalArgumentException("warmupSteps must be in [0, totalSteps), got " + warmupSteps);
        }
        if (horizon < totalSteps) {
            throw new IllegalArgumentException("horizon must be >= totalSteps " + totalSteps + ", got " + horizon);
        }
    }

    /**
     * @param config the recipe (its explicit warm-up wins over the derived one)
     * @param batchesPerEpoch optimiser steps per pass over the data, ≥ 1
     * @param totalSteps K, ≥ 1
     * @return the run's length and its warm-up
     */
    public static RunLength of(PretrainingConfig config, int batchesPerEpoch, int totalSteps) {
        int warmup = config.get(WARMUP_EPOCHS) >= 0 ? Math.round(config.get(WARMUP_EPOCHS) * batchesPerEpoch)
                : derivedWarmup(batchesPerEpoch, totalSteps);
        long horizon = horizonOf(config.get(SCHEDULE_STRETCH), totalSteps);
        return new RunLength(totalSteps, Math.max(0, Math.min(totalSteps - 1, warmup)),
                (int) Math.min(Integer.MAX_VALUE, Math.max(totalSteps, horizon)));
    }

    /**
     * @param stretch how many times K the schedules run over
     * @param scheduleSteps K
     * @return the step at which the schedules end, stretch × K rounded (before any cap)
     */
    static long horizonOf(double stretch, int scheduleSteps) {
        return Math.round(stretch * scheduleSteps);
    }

    /**
     * @param batchesPerEpoch steps per epoch
     * @param totalSteps K
     * @return min(10 epochs, 5 % of K), rounded
     */
    public static int derivedWarmup(int batchesPerEpoch, int totalSteps) {
        return (int) Math.round(Math.min(MAX_WARMUP_EPOCHS * batchesPerEpoch, WARMUP_FRACTION * totalSteps));
    }

    /** @return the values, for the log */
    public String describe() {
        return String.format(Locale.ROOT, "K=%d W=%d horizon=%d", totalSteps, warmupSteps, horizon);
    }
}
