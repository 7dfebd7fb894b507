package org.byol4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds which of some named arrays hold NaN or ±∞: one sum per array on the engine and one transfer of all the sums,
 * so that the training loop can check every gradient and BatchNorm statistic of a step at the cost of a few
 * milliseconds. A sum is finite exactly when every element is finite, unless the finite elements add up past
 * 3.4e38: such an array is reported too, which for weights, gradients or BatchNorm statistics means a network that
 * has already blown up.
 */
public final class FiniteCheck {

    private FiniteCheck() {}

    /**
     * @param names a name per array, for messages
     * @param arrays the arrays, float32, any shapes (not changed)
     * @return the names of the arrays holding a non-finite value, in order; empty when all are finite
     */
    public static List<String> nonFinite(List<String> names, List<NDArray> arrays) {
        if (names.size() != arrays.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + arrays.size() + " arrays");
        }
        List<String> out = new ArrayList<>();
        if (arrays.isEmpty()) {
            return out;
        }
        float[] sums;
        try (NDManager scope = arrays.get(0).getManager().newSubManager()) {
            NDList each = new NDList(arrays.size());
            for (NDArray a : arrays) {
                NDArray s = a.sum();
                s.attach(scope);
                each.add(s);
            }
            sums = NDArrays.stack(each).toFloatArray();
        }
        for (int i = 0; i < sums.length; i++) {
            if (!Float.isFinite(sums[i])) {
                out.add(names.get(i));
            }
        }
        return out;
    }

    /**
     * @param block an initialised block
     * @return the names of its parameters (weights and BatchNorm running statistics alike) holding a non-finite
     *     value; empty when all are finite
     */
    public static List<String> nonFiniteParameters(Block block) {
        List<String> names = new ArrayList<>();
        List<NDArray> arrays = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().isInitialized()) {
                names.add(p.getKey());
                arrays.add(p.getValue().getArray());
            }
        }
        return nonFinite(names, arrays);
    }
}
