package org.byol4j.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.training.tracker.ParameterTracker;

/**
 * AdamW (Loshchilov &amp; Hutter 2019) with exportable state: m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
 * w ← w − lr·(m̂ / (√v̂ + ε) + λ·w) with bias-corrected m̂, v̂. Biases and BatchNorm parameters get no
 * decay. Learning rates here are Adam-scale (≈ 1e-3); BYOL's LARS rates (0.2 × batch/256) make it
 * collapse, which {@code PretrainingConfig.warnings()} warns about.
 */
public final class AdamW extends StatefulOptimizer {

    private final ParameterTracker learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;

    private AdamW(Builder builder) {
        super(builder, 2);
        this.learningRate = builder.learningRate;
        this.beta1 = builder.beta1;
        this.beta2 = builder.beta2;
        this.epsilon = builder.epsilon;
    }

    /** @return a builder; the learning-rate tracker is required */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    protected void apply(String parameterId, NDArray weight, NDArray grad, NDArray[] buffers, int numUpdate,
            float learningRateScale) {
        float lr = learningRate.getNewValue(parameterId, numUpdate) * learningRateScale;
        NDArray m = buffers[0];
        NDArray v = buffers[1];
        try (NDArray g = grad.mul(rescaleGrad); NDArray g1 = g.mul(1 - beta1); NDArray g2 = g.square()) {
            m.muli(beta1).addi(g1);
            v.muli(beta2).addi(g2.muli(1 - beta2));
        }
        float c1 = (float) (1 - Math.pow(beta1, numUpdate));
        float c2 = (float) (1 - Math.pow(beta2, numUpdate));
        try (NDArray vHat = v.div(c2);
                NDArray denom = vHat.sqrt();
                NDArray step = m.div(c1)) {
            step.divi(denom.addi(epsilon));
            if (!isBiasOrNorm(weight) && getWeightDecay() != 0f) {
                try (NDArray d = weight.mul(getWeightDecay())) {
                    step.addi(d);
                }
            }
            weight.subi(step.muli(lr));
        }
    }

    /** Builder in DJL's optimiser style. */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private ParameterTracker learningRate;
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;

        private Builder() {
            optWeightDecays(0.01f);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * @param tracker the learning rate per update
         * @return this builder
         */
        public Builder setLearningRateTracker(ParameterTracker tracker) {
            this.learningRate = tracker;
            return this;
        }

        /**
         * @param beta1 first-moment decay in [0, 1); default 0.9
         * @return this builder
         */
        public Builder optBeta1(float beta1) {
            this.beta1 = beta1;
            return this;
        }

        /**
         * @param beta2 second-moment decay in [0, 1); default 0.999
         * @return this builder
         */
        public Builder optBeta2(float beta2) {
            this.beta2 = beta2;
            return this;
        }

        /**
         * @return the optimiser
         * @throws IllegalArgumentException naming the value out of range
         */
        public AdamW build() {
            if (learningRate == null) {
                throw new IllegalArgumentException("learningRateTracker is required");
            }
            if (!(beta1 >= 0f && beta1 < 1f) || !(beta2 >= 0f && beta2 < 1f)) {
                throw new IllegalArgumentException("beta1 and beta2 must be in [0, 1), got " + beta1 + ", " + beta2);
            }
            return new AdamW(this);
        }
    }
}
