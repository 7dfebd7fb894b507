package org.byol4j.byol;

import ai.djl.ndarray.NDArray;
import org.byol4j.method.Vectors;

/**
 * BYOL's loss (Grill et al. 2020, eq. 2): for online predictions q and target projections z',
 * {@code L = 2 − 2·⟨q/‖q‖, z'/‖z'‖⟩}, averaged over the batch, and symmetrised over the two view orders
 * (eq. 3 with L̃): {@code L_total = L(q1, z'2) + L(q2, z'1)}, so it lies in [0, 8]. The target side is
 * detached ({@link NDArray#stopGradient()}), the paper's stop-gradient.
 */
public final class ByolLoss {

    private ByolLoss() {}

    /**
     * @param online (N, d) online predictions q(z)
     * @param target (N, d) target projections z'
     * @return scalar mean of 2 − 2·cos(online_i, target_i)
     */
    public static NDArray regression(NDArray online, NDArray target) {
        NDArray cosine = Vectors.cosineRows(online, target.stopGradient());
        return cosine.mul(-2f).add(2f).mean();
    }

    /**
     * @param online1 predictions for view 1
     * @param online2 predictions for view 2
     * @param target1 target projections for view 1
     * @param target2 target projections for view 2
     * @return L(q1, z'2) + L(q2, z'1)
     */
    public static NDArray symmetric(NDArray online1, NDArray online2, NDArray target1, NDArray target2) {
        return regression(online1, target2).add(regression(online2, target1));
    }
}
