package org.byol4j.byol;

import java.util.Locale;

/**
 * How long a run is and the two schedule constants that must follow from its length: K optimiser steps, W
 * warm-up steps and τ_base. The paper's constants (10 warm-up epochs, τ_base 0.996; Grill et al. 2020, §3.2
 * and appendix C) belong to ImageNet runs of 300–1,000 epochs, K ≈ 10⁵ steps. Set explicitly in the
 * {@link ByolConfig}, they are used as given; left at their "derived" default (negative), they follow K:
 *
 * <ul>
 *   <li><b>τ_base = 1 − max(0.004, {@value #TAU_HORIZONS}/K).</b> Σ_k (1 − τ_k) ≈ K (1 − τ_base)/2 counts how
 *       many times over the target network is renewed from the online one. With the paper's 0.996 a run of
 *       K = 1,000 steps renews it only twice, so the target still carries much of its random initialisation
 *       when the run ends (measured: such a run learns worse features than it started with). The rule keeps at
 *       least five renewals in any run, and gives back the paper's 0.996 from K = 2,500 on.
 *   <li><b>W = min(10 epochs, {@value #WARMUP_FRACTION} K).</b> The paper's 10 epochs are 1 % of a
 *       1,000-epoch run; in a run of three epochs they would be three times the run. 5 % of K bounds it.
 * </ul>
 *
 * <p>The learning-rate and τ schedules run over the horizon H = stretch × K ({@link ByolConfig#scheduleStretch()}):
 * with stretch 1 they anneal fully at the end of the run, as in the paper; with a larger stretch the run stops
 * where a longer run would still be learning.
 *
 * @param totalSteps K, ≥ 1
 * @param warmupSteps W, in [0, K)
 * @param tauBase τ_base in [0, 1]
 * @param horizon H ≥ K, the step at which the schedules would reach their end
 */
public record RunLength(int totalSteps, int warmupSteps, double tauBase, int horizon) {

    /** The paper's τ_base, the largest the derived rule gives. */
    public static final double PAPER_TAU_BASE = 0.996;
    /** Target renewals the derived τ_base guarantees over a run at least: 2 × 5. */
    public static final double TAU_HORIZONS = 10;
    /** The derived warm-up's share of the run. */
    public static final double WARMUP_FRACTION = 0.05;
    /** The derived warm-up's cap in epochs (the paper's warm-up). */
    public static final float MAX_WARMUP_EPOCHS = 10f;

    /** Validates the values. */
    public RunLength {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
        }
        if (warmupSteps < 0 || (warmupSteps >= totalSteps && totalSteps > 1)) {
            throw new IllegalArgumentException("warmupSteps must be in [0, totalSteps), got " + warmupSteps);
        }
        if (!(tauBase >= 0 && tauBase <= 1)) {
            throw new IllegalArgumentException("tauBase must be in [0, 1], got " + tauBase);
        }
        if (horizon < totalSteps) {
            throw new IllegalArgumentException("horizon must be >= totalSteps " + totalSteps + ", got " + horizon);
        }
    }

    /**
     * @param config the recipe (its explicit warm-up and τ_base win over the derived ones)
     * @param batchesPerEpoch optimiser steps per pass over the data, ≥ 1
     * @param totalSteps K, ≥ 1
     * @return the run's length and its schedule constants
     */
    public static RunLength of(ByolConfig config, int batchesPerEpoch, int totalSteps) {
        double tau = config.tauBase() >= 0 ? config.tauBase() : derivedTauBase(totalSteps);
        int warmup = config.warmupEpochs() >= 0 ? Math.round(config.warmupEpochs() * batchesPerEpoch)
                : derivedWarmup(batchesPerEpoch, totalSteps);
        long horizon = Math.round(config.scheduleStretch() * totalSteps);
        return new RunLength(totalSteps, Math.max(0, Math.min(totalSteps - 1, warmup)), tau,
                (int) Math.min(Integer.MAX_VALUE, Math.max(totalSteps, horizon)));
    }

    /**
     * @param totalSteps K
     * @return 1 − max(1 − 0.996, {@value #TAU_HORIZONS}/K), at least 0
     */
    public static double derivedTauBase(int totalSteps) {
        return Math.max(0, 1 - Math.max(1 - PAPER_TAU_BASE, TAU_HORIZONS / totalSteps));
    }

    /**
     * @param batchesPerEpoch steps per epoch
     * @param totalSteps K
     * @return min(10 epochs, 5 % of K), rounded
     */
    public static int derivedWarmup(int batchesPerEpoch, int totalSteps) {
        return (int) Math.round(Math.min(MAX_WARMUP_EPOCHS * batchesPerEpoch, WARMUP_FRACTION * totalSteps));
    }

    /** @return the values as recorded in a backbone's recipe */
    public String describe() {
        return String.format(Locale.ROOT, "K=%d W=%d tauBase=%s horizon=%d", totalSteps, warmupSteps, tauBase,
                horizon);
    }
}
