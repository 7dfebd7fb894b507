package org.byol4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.tracker.ParameterTracker;

/**
 * LARS, layer-wise adaptive rate scaling (You et al. 2017), as BYOL uses it (Grill et al. 2020, appendix
 * C.1): for each parameter w with gradient g,
 * <pre>
 *   g ← g + λ·w                                  (weight decay λ)
 *   g ← g · η‖w‖/‖g‖   (1 where a norm is 0)      (trust ratio, coefficient η)
 *   v ← m·v + g ;  w ← w − lr·v                   (momentum m)
 * </pre>
 * Biases and BatchNorm parameters (rank ≤ 1) skip both decay and adaptation: they get plain momentum SGD (BYOL,
 * appendix C.1; SimCLR, §B.1). Paper defaults: η = 0.001, m = 0.9, λ = 1.5e-6.
 *
 * <p>{@link #sgdBuilder()} is plain SGD with momentum and coupled weight decay, as PyTorch's {@code torch.optim.SGD}
 * and the SimSiam paper use it: no adaptation anywhere, and the decay applies to every parameter, biases and
 * BatchNorm γ/β included.
 */
public final class Lars extends StatefulOptimizer {

    private final ParameterTracker learningRate;
    private final float momentum;
    private final float trustCoefficient;
    private final boolean decayBiasAndNorm;

    private Lars(Builder builder) {
        super(builder, 1);
        this.learningRate = builder.learningRate;
        this.momentum = builder.momentum;
        this.trustCoefficient = builder.trustCoefficient;
        this.decayBiasAndNorm = builder.decayBiasAndNorm;
    }

    /** @return a LARS builder with the paper's defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return a builder for plain SGD with momentum: the trust ratio switched off, and weight decay on every
     *     parameter (biases and BatchNorm γ/β too), as {@code torch.optim.SGD} applies it
     */
    public static Builder sgdBuilder() {
        return new Builder().optTrustCoefficient(0f).optDecayBiasAndNorm(true);
    }

    /** {@inheritDoc} */
    @Override
    protected void apply(String parameterId, NDArray weight, NDArray grad, NDArray[] buffers, int numUpdate,
            float learningRateScale) {
        float lr = learningRate.getNewValue(parameterId, numUpdate) * learningRateScale;
        NDArray velocity = buffers[0];
        // The gradient is this step's scratch space (the caller zeroes it after): no temporary copy of it.
        if (rescaleGrad != 1f) {
            grad.muli(rescaleGrad);
        }
        if (clipGrad > 0) {
            try (NDArray clipped = grad.clip(-clipGrad, clipGrad)) {
                grad.set(new NDIndex("..."), clipped); // in place on the engine (copyTo goes through a Java buffer)
            }
        }
        boolean biasOrNorm = isBiasOrNorm(weight);
        float decay = getWeightDecay();
        if (decay != 0f && (decayBiasAndNorm || !biasOrNorm)) {
            try (NDArray d = weight.mul(decay)) {
                grad.addi(d);
            }
        }
        if (trustCoefficient > 0f && !biasOrNorm && !withoutTrustRatio(parameterId)) {
            grad.muli(trustRatio(weight, grad));
        }
        velocity.muli(momentum).addi(grad);
        try (NDArray step = velocity.mul(lr)) {
            weight.subi(step);
        }
    }

    private float trustRatio(NDArray weight, NDArray update) {
        float wNorm;
        float gNorm;
        try (NDArray w = weight.norm(); NDArray u = update.norm()) {
            wNorm = w.getFloat();
            gNorm = u.getFloat();
        }
        return wNorm > 0f && gNorm > 0f ? trustCoefficient * wNorm / gNorm : 1f;
    }

    /** Builder in DJL's optimiser style; the learning-rate tracker is required. */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private ParameterTracker learningRate;
        private float momentum = 0.9f;
        private float trustCoefficient = 1e-3f;
        private boolean decayBiasAndNorm;

        private Builder() {
            optWeightDecays(1.5e-6f);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * @param tracker the learning rate per update, e.g. {@link WarmupCosineTracker}
         * @return this builder
         */
        public Builder setLearningRateTracker(ParameterTracker tracker) {
            this.learningRate = tracker;
            return this;
        }

        /**
         * @param momentum m in [0, 1); default 0.9
         * @return this builder
         */
        public Builder optMomentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        /**
         * @param trustCoefficient η ≥ 0; default 0.001; 0 turns adaptation off
         * @return this builder
         */
        public Builder optTrustCoefficient(float trustCoefficient) {
            this.trustCoefficient = trustCoefficient;
            return this;
        }

        /**
         * @param decayAll whether weight decay also applies to biases and BatchNorm parameters (plain SGD; LARS as
         *     the papers use it excludes them); default false
         * @return this builder
         */
        public Builder optDecayBiasAndNorm(boolean decayAll) {
            this.decayBiasAndNorm = decayAll;
            return this;
        }

        /**
         * @return the optimiser
         * @throws IllegalArgumentException naming the value out of range
         */
        public Lars build() {
            if (learningRate == null) {
                throw new IllegalArgumentException("learningRateTracker is required");
            }
            if (!(momentum >= 0f && momentum < 1f)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            }
            if (!(trustCoefficient >= 0f)) {
                throw new IllegalArgumentException("trustCoefficient must be >= 0, got " + trustCoefficient);
            }
            return new Lars(this);
        }
    }
}
