package org.byol4j.optim;

import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import java.util.Set;

/**
 * The BYOL learning-rate schedule (Grill et al. 2020, appendix C.1): linear warm-up from 0 to the peak over
 * the first {@code warmupUpdates} updates, then cosine decay to {@code finalValue} at {@code totalUpdates}.
 *
 * <p>Update numbers start at 1, as DJL's {@code Optimizer} counts them: lr(n) = peak · n / W for n ≤ W,
 * and lr(n) = final + (peak − final) · (1 + cos(π (n − W) / (K − W))) / 2 for W &lt; n ≤ K; beyond K the
 * final value. The peak is normally {@code baseLearningRate × batchSize / 256} (see {@link #scaledPeak}).
 */
public final class WarmupCosineTracker implements Tracker {

    private final float peak;
    private final float finalValue;
    private final int warmupUpdates;
    private final int totalUpdates;

    private WarmupCosineTracker(Builder builder) {
        this.peak = builder.peak;
        this.finalValue = builder.finalValue;
        this.warmupUpdates = builder.warmupUpdates;
        this.totalUpdates = builder.totalUpdates;
    }

    /** @return a builder; peak and total updates are required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The paper's linear scaling rule.
     *
     * @param baseLearningRate learning rate at batch size 256 (paper: 0.2 for LARS)
     * @param batchSize the number of image pairs per update
     * @return {@code baseLearningRate × batchSize / 256}
     */
    public static float scaledPeak(float baseLearningRate, int batchSize) {
        return baseLearningRate * batchSize / 256f;
    }

    /** {@inheritDoc} */
    @Override
    public float getNewValue(int numUpdate) {
        if (numUpdate <= warmupUpdates) {
            return peak * numUpdate / warmupUpdates;
        }
        if (numUpdate >= totalUpdates) {
            return finalValue;
        }
        double progress = (double) (numUpdate - warmupUpdates) / (totalUpdates - warmupUpdates);
        return (float) (finalValue + (peak - finalValue) * (1 + Math.cos(Math.PI * progress)) / 2);
    }

    /**
     * @param parameterIds parameters that keep the peak rate for the whole run (SimSiam's "fix lr for predictor")
     * @return a per-parameter tracker: the peak for those ids, this schedule for every other parameter
     */
    public ParameterTracker withPeakFor(Set<String> parameterIds) {
        Set<String> ids = Set.copyOf(parameterIds);
        return (id, numUpdate) -> ids.contains(id) ? peak : getNewValue(numUpdate);
    }

    /** Builder in DJL's tracker style. */
    public static final class Builder {
        private float peak = Float.NaN;
        private float finalValue;
        private int warmupUpdates;
        private int totalUpdates;

        private Builder() {}

        /**
         * @param peak the learning rate reached at the end of warm-up, &gt; 0
         * @return this builder
         */
        public Builder setPeakValue(float peak) {
            this.peak = peak;
            return this;
        }

        /**
         * @param totalUpdates K, the number of the last update, ≥ 1
         * @return this builder
         */
        public Builder setTotalUpdates(int totalUpdates) {
            this.totalUpdates = totalUpdates;
            return this;
        }

        /**
         * @param warmupUpdates W, updates of linear warm-up, 0 ≤ W &lt; K; default 0
         * @return this builder
         */
        public Builder optWarmupUpdates(int warmupUpdates) {
            this.warmupUpdates = warmupUpdates;
            return this;
        }

        /**
         * @param finalValue learning rate at update K; default 0
         * @return this builder
         */
        public Builder optFinalValue(float finalValue) {
            this.finalValue = finalValue;
            return this;
        }

        /**
         * @return the tracker
         * @throws IllegalArgumentException naming the value out of range
         */
        public WarmupCosineTracker build() {
            if (!(peak > 0f) || Float.isInfinite(peak)) {
                throw new IllegalArgumentException("peak learning rate must be a positive number, got " + peak);
            }
            if (totalUpdates < 1) {
                throw new IllegalArgumentException("totalUpdates must be >= 1, got " + totalUpdates);
            }
            if (warmupUpdates < 0 || (warmupUpdates >= totalUpdates && totalUpdates > 1)) {
                throw new IllegalArgumentException("warmupUpdates must be in [0, totalUpdates), got "
                        + warmupUpdates + " of " + totalUpdates);
            }
            if (!(finalValue >= 0f) || finalValue > peak) {
                throw new IllegalArgumentException("finalValue must be in [0, peak], got " + finalValue);
            }
            return new WarmupCosineTracker(this);
        }
    }
}
