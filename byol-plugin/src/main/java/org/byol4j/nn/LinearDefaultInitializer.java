package org.byol4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * PyTorch's default {@code nn.Linear} weight initialisation, {@code kaiming_uniform_(a=√5)}, which is
 * U(−1/√fan_in, 1/√fan_in). Used for the projector and predictor so that their scale matches the
 * published PyTorch recipes.
 */
public final class LinearDefaultInitializer implements Initializer {

    /** {@inheritDoc} */
    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("Linear weight must be (out, in), got " + shape);
        }
        float bound = (float) (1.0 / Math.sqrt(shape.get(1)));
        return manager.randomUniform(-bound, bound, shape, dataType);
    }
}
