package org.byol4j.byol;

import static org.byol4j.byol.ByolConfig.FIXED_TAU;
import static org.byol4j.byol.ByolConfig.TAU_BASE;

import org.byol4j.method.RunLength;

/**
 * BYOL's target decay for a run of a given length. The paper's τ_base = 0.996 (Grill et al. 2020, §3.2) belongs
 * to ImageNet runs of K ≈ 10⁵ steps. Set explicitly ({@link ByolConfig#TAU_BASE}) it is used as given; left at its
 * "derived" default (negative) it follows K: <b>τ_base = 1 − max(0.004, {@value #TAU_HORIZONS}/K)</b>.
 * Σ_k (1 − τ_k) ≈ K (1 − τ_base)/2 counts how many times over the target network is renewed from the online one.
 * With 0.996 a run of K = 1,000 steps renews it only twice, so the target still carries much of its random
 * initialisation when the run ends (measured: such a run learns worse features than it started with). The rule
 * keeps at least five renewals in any run, and gives back the paper's 0.996 from K = 2,500 on.
 */
public final class TauRule {

    /** The paper's τ_base, the largest the derived rule gives. */
    public static final double PAPER_TAU_BASE = 0.996;
    /** Target renewals the derived τ_base guarantees over a run at least: 2 × 5. */
    public static final double TAU_HORIZONS = 10;

    private TauRule() {}

    /**
     * @param totalSteps K
     * @return 1 − max(1 − 0.996, {@value #TAU_HORIZONS}/K), at least 0
     */
    public static double derivedTauBase(int totalSteps) {
        return Math.max(0, 1 - Math.max(1 - PAPER_TAU_BASE, TAU_HORIZONS / totalSteps));
    }

    /**
     * @param config the recipe
     * @param length the run's length
     * @return τ_base of this run: the configured one, or the derived one
     */
    public static double tauBase(ByolConfig config, RunLength length) {
        return config.get(TAU_BASE) >= 0 ? config.get(TAU_BASE) : derivedTauBase(length.totalSteps());
    }

    /**
     * @param config the recipe
     * @param length the run's length
     * @return the run's schedule: the fixed τ of an ablation, or the cosine schedule from τ_base over the horizon
     */
    public static TauSchedule schedule(ByolConfig config, RunLength length) {
        return config.get(FIXED_TAU) >= 0 ? TauSchedule.constant(config.get(FIXED_TAU))
                : TauSchedule.cosine(tauBase(config, length), length.horizon());
    }
}
