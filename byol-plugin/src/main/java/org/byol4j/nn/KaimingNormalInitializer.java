package org.byol4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * He et al. (2015) normal initialisation in torchvision's ResNet form:
 * {@code kaiming_normal_(mode="fan_out", nonlinearity="relu")}, i.e. N(0, 2 / fan_out) with
 * fan_out = output channels × kernel area.
 */
public final class KaimingNormalInitializer implements Initializer {

    /** {@inheritDoc} */
    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException("Kaiming initialisation needs a weight of rank >= 2, got " + shape);
        }
        long receptive = 1;
        for (int i = 2; i < shape.dimension(); i++) {
            receptive *= shape.get(i);
        }
        double fanOut = shape.get(0) * receptive;
        float std = (float) Math.sqrt(2.0 / fanOut);
        return manager.randomNormal(0f, std, shape, dataType);
    }
}
