package org.byol4j.tribuo;

import org.tribuo.Example;
import org.tribuo.Output;
import org.tribuo.impl.ArrayExample;

/**
 * Turns a vector into a Tribuo {@link Example} with stable feature names {@code <prefix>-0000},
 * {@code <prefix>-0001}, …: zero-padded so that Tribuo's lexicographic feature order is the index order,
 * and the same for every image, so models trained on one source apply to another from the same backbone.
 */
public final class DenseFeatures {

    private DenseFeatures() {}

    /**
     * @param prefix e.g. {@code px} or {@code emb}
     * @param dim the vector's length
     * @return {@code <prefix>-0000} … {@code <prefix>-(dim − 1)}, zero-padded to at least four digits
     */
    public static String[] names(String prefix, int dim) {
        String[] names = new String[dim];
        int width = Math.max(4, Integer.toString(dim - 1).length());
        for (int i = 0; i < dim; i++) {
            names[i] = prefix + "-" + String.format("%0" + width + "d", i);
        }
        return names;
    }

    /**
     * @param output the example's output (e.g. a label, or {@code LabelFactory.UNKNOWN_LABEL} to predict)
     * @param names the feature names, from {@link #names}
     * @param values one value per name
     * @param <T> the output type
     * @return the example
     */
    public static <T extends Output<T>> Example<T> example(T output, String[] names, float[] values) {
        double[] v = new double[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = values[i];
        }
        return new ArrayExample<>(output, names, v);
    }
}
