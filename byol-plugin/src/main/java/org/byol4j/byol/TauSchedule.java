package org.byol4j.byol;

/**
 * The target decay rate of BYOL (Grill et al. 2020, §3.2): τ_k = 1 − (1 − τ_base) · (cos(π k / K) + 1) / 2,
 * rising from τ_base at step 0 to 1 at step K. A fixed τ (the ablations τ = 0 and τ = 1 of Table 5) is
 * {@link #constant(double)}.
 */
public final class TauSchedule {

    private final double base;
    private final int totalSteps;
    private final boolean constant;

    private TauSchedule(double base, int totalSteps, boolean constant) {
        this.base = base;
        this.totalSteps = totalSteps;
        this.constant = constant;
    }

    /**
     * @param base τ_base in [0, 1] (paper: 0.996)
     * @param totalSteps K, the total number of optimiser steps, ≥ 1
     * @return the cosine schedule
     * @throws IllegalArgumentException when a value is out of range
     */
    public static TauSchedule cosine(double base, int totalSteps) {
        checkTau(base);
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
        }
        return new TauSchedule(base, totalSteps, false);
    }

    /**
     * @param tau the fixed τ in [0, 1]; 0 copies the online network, 1 freezes the random target
     * @return a schedule that always returns {@code tau}
     */
    public static TauSchedule constant(double tau) {
        checkTau(tau);
        return new TauSchedule(tau, 1, true);
    }

    /**
     * @param step k, the number of optimiser steps taken so far (0-based)
     * @return τ_k
     */
    public double tau(long step) {
        if (constant) {
            return base;
        }
        double k = Math.min(step, totalSteps);
        return 1 - (1 - base) * (Math.cos(Math.PI * k / totalSteps) + 1) / 2;
    }

    private static void checkTau(double tau) {
        if (!(tau >= 0 && tau <= 1)) {
            throw new IllegalArgumentException("tau must be in [0, 1], got " + tau);
        }
    }
}
