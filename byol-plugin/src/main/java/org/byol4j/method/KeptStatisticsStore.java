package org.byol4j.method;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.Map;

/**
 * The parameter store of a forward pass on inputs the saved network will not embed (multi-crop's small local views):
 * it hands each BatchNorm a copy of its running mean and variance, on the step's manager, so the pass trains as usual
 * (in training mode BatchNorm normalises with the batch's own statistics) but leaves the real running statistics,
 * which the saved backbone uses, to the global views. The copies are not written to afterwards, so autograd, which
 * records them, is content.
 */
public final class KeptStatisticsStore extends ParameterStore {

    private final Map<String, NDArray> copies = new HashMap<>();

    /** @param manager the step's manager, which the copies live on */
    public KeptStatisticsStore(NDManager manager) {
        super(manager, false);
    }

    /** @return the parameter's array (null for an absent one), or a copy of it for a running mean or variance */
    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        NDArray value = super.getValue(parameter, device, training);
        if (parameter == null || (parameter.getType() != Parameter.Type.RUNNING_MEAN
                && parameter.getType() != Parameter.Type.RUNNING_VAR)) {
            return value; // a layer's absent parameter (a convolution without bias) is null
        }
        return copies.computeIfAbsent(parameter.getId(), id -> {
            NDArray copy = value.duplicate();
            copy.attach(getManager());
            return copy;
        });
    }
}
