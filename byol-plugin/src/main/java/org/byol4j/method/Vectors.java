package org.byol4j.method;

import ai.djl.ndarray.NDArray;
import org.byol4j.nn.Scalars;

/** Row-vector operations the methods' losses share: L2 normalisation and row-wise cosine similarity. */
public final class Vectors {

    private static final float NORM_EPSILON = 1e-12f;

    private Vectors() {}

    /**
     * @param x (N, d)
     * @return each row divided by max(‖row‖, 1e-12), like PyTorch's {@code F.normalize}
     */
    public static NDArray normalizeRows(NDArray x) {
        return x.div(Scalars.atLeast(x.norm(new int[] {1}, true), NORM_EPSILON));
    }

    /**
     * @param a (N, d)
     * @param b (N, d)
     * @return (N) cosine similarity of each row of {@code a} with the same row of {@code b}
     */
    public static NDArray cosineRows(NDArray a, NDArray b) {
        return normalizeRows(a).mul(normalizeRows(b)).sum(new int[] {1});
    }
}
