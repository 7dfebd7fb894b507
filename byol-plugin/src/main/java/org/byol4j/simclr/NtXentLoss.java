package org.byol4j.simclr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.byol4j.method.Vectors;
import org.byol4j.nn.Scalars;

/**
 * SimCLR's NT-Xent loss (Chen et al., ICML 2020, eq. 1): the 2N projections of a batch of N view pairs are
 * L2-normalised; for each, the softmax over its cosine similarities to the 2N − 1 others, divided by the temperature
 * T, is asked to pick its own pair's other view among the 2N − 2 negatives; the loss is the mean over all 2N of
 * −log of that probability: {@code ℓ(i, j) = −log(exp(s_ij / T) / Σ_{k ≠ i} exp(s_ik / T))}.
 */
public final class NtXentLoss {

    /** Added to each similarity with itself so that the softmax ignores it. */
    private static final float SELF_MASK = -1e9f;

    private NtXentLoss() {}

    /**
     * @param z1 (N, d) projections of the first views
     * @param z2 (N, d) projections of the second views of the same images
     * @param temperature T &gt; 0
     * @return the scalar mean of ℓ over the 2N views
     */
    public static NDArray loss(NDArray z1, NDArray z2, float temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        int n = Math.toIntExact(z1.getShape().get(0));
        NDManager m = z1.getManager();
        NDArray z = Vectors.normalizeRows(z1.concat(z2));
        NDArray logits = Scalars.dividedBy(z.matMul(z.transpose()), temperature).add(m.eye(2 * n).mul(SELF_MASK));
        NDArray logProbability = logits.logSoftmax(1);
        NDArray zeros = m.zeros(new Shape(n, n));
        NDArray eye = m.eye(n);
        NDArray positives = zeros.concat(eye, 1).concat(eye.concat(zeros, 1), 0);
        return Scalars.dividedBy(logProbability.mul(positives).sum(), -2f * n);
    }
}
