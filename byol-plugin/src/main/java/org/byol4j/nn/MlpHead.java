package org.byol4j.nn;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.Initializer;

/**
 * The two-layer heads of the self-supervised methods: Linear(hidden) → BatchNorm → ReLU → Linear(output), optionally
 * followed by a BatchNorm of the output. BYOL's projector g and predictor q (Grill et al. 2020, §3.3; hidden 4096,
 * output 256 at ImageNet scale) and SimCLR's projector have no output BatchNorm; SimSiam's projector has one without
 * learnable γ/β (Chen &amp; He 2021, §4; its reference code's {@code BatchNorm1d(dim, affine=False)}). Linear weights
 * start as PyTorch's default ({@link LinearDefaultInitializer}), biases at zero.
 */
public final class MlpHead {

    private final int hidden;
    private final int output;
    private final boolean outputBatchNorm;
    private final boolean outputAffine;

    private MlpHead(Builder builder) {
        this.hidden = builder.hidden;
        this.output = builder.output;
        this.outputBatchNorm = builder.outputBatchNorm;
        this.outputAffine = builder.outputAffine;
    }

    /** @return a builder; both sizes are required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the hidden layer width */
    public int hidden() {
        return hidden;
    }

    /** @return the output dimension */
    public int output() {
        return output;
    }

    /** @return whether the output is batch-normalised */
    public boolean outputBatchNorm() {
        return outputBatchNorm;
    }

    /** @return whether the output BatchNorm, if any, has learnable γ and β */
    public boolean outputAffine() {
        return outputAffine;
    }

    /** @return a fresh, uninitialised block mapping (N, in) to (N, output) */
    public Block newBlock() {
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(hidden).build())
                .add(BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(output).build());
        if (outputBatchNorm) {
            block.add(BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).optCenter(outputAffine)
                    .optScale(outputAffine).build());
        }
        block.setInitializer(new LinearDefaultInitializer(), Parameter.Type.WEIGHT);
        block.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        return block;
    }

    /** Builder in DJL's style. */
    public static final class Builder {
        private int hidden;
        private int output;
        private boolean outputBatchNorm;
        private boolean outputAffine = true;

        private Builder() {}

        /**
         * @param hidden hidden layer width (paper: 4096)
         * @return this builder
         */
        public Builder setHidden(int hidden) {
            this.hidden = hidden;
            return this;
        }

        /**
         * @param output output dimension (paper: 256)
         * @return this builder
         */
        public Builder setOutput(int output) {
            this.output = output;
            return this;
        }

        /**
         * @param batchNorm whether to batch-normalise the output (SimSiam's projector)
         * @return this builder
         */
        public Builder optOutputBatchNorm(boolean batchNorm) {
            this.outputBatchNorm = batchNorm;
            return this;
        }

        /**
         * @param affine whether the output BatchNorm learns γ and β (default true); false keeps γ = 1 and β = 0, out
         *     of the optimiser's reach, as SimSiam's projector does
         * @return this builder
         */
        public Builder optOutputAffine(boolean affine) {
            this.outputAffine = affine;
            return this;
        }

        /**
         * @return the validated head
         * @throws IllegalArgumentException when a size is not positive
         */
        public MlpHead build() {
            if (hidden < 1) {
                throw new IllegalArgumentException("hidden must be >= 1, got " + hidden);
            }
            if (output < 1) {
                throw new IllegalArgumentException("output must be >= 1, got " + output);
            }
            return new MlpHead(this);
        }
    }
}
