package org.byol4j.byol;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.byol4j.method.MultiCropPairs;
import org.byol4j.method.Vectors;
import org.byol4j.nn.Scalars;

/**
 * BYOL's loss (Grill et al. 2020, eq. 2): for online predictions q and target projections z',
 * {@code L = 2 − 2·⟨q/‖q‖, z'/‖z'‖⟩}, averaged over the batch, and symmetrised over the two view orders
 * (eq. 3 with L̃): {@code L_total = L(q1, z'2) + L(q2, z'1)}, so it lies in [0, 8]. The target side is
 * detached ({@link NDArray#stopGradient()}), the paper's stop-gradient. With multi-crop ({@link #multiCrop}) every
 * global view's target is regressed by every other view's prediction, scaled so that the loss keeps the two-view
 * range.
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
        return Scalars.times(cosine, -2f).add(2f).mean();
    }

    /**
     * @param online1 predictions for view 1
     * @param online2 predictions for view 2
     * @param target1 target projections for view 1
     * @param target2 target projections for view 2
     * @return L(q1, z'2) + L(q2, z'1)
     */
    public static NDArray symmetric(NDArray online1, NDArray online2, NDArray target1, NDArray target2) {
        return multiCrop(List.of(online1, online2), List.of(target1, target2));
    }

    /**
     * The multi-crop loss: {@code (2 / P) Σ_i Σ_{j ≠ i} L(q_j, z'_i)} over the G global views i (which have targets)
     * and every view j (G global, then the local ones), P = G · (V − 1) pairs, so that two views give
     * {@link #symmetric}'s {@code L(q2, z'1) + L(q1, z'2)} and any number of views stays in [0, 8].
     *
     * @param online the online predictions q of every view: the global views first, in the targets' order, then the
     *     local ones
     * @param targets the target projections z' of the global views
     * @return the scalar loss
     * @throws IllegalArgumentException with fewer than two targets, or fewer predictions than targets
     */
    public static NDArray multiCrop(List<NDArray> online, List<NDArray> targets) {
        NDArray sum = MultiCropPairs.sum(online, targets, ByolLoss::regression);
        int pairs = MultiCropPairs.count(targets.size(), online.size());
        return pairs == 2 ? sum : Scalars.times(sum, 2f / pairs);
    }
}
