package org.byol4j.method;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The pairs a multi-crop loss sums over (Caron et al. 2020, SwAV §3.2): each global view i, whose target (projection
 * under a stop-gradient) the others regress, against every other view j, global or local. G global views among V
 * views give G · (V − 1) pairs; two views give the two view orders of a symmetric loss.
 */
public final class MultiCropPairs {

    private MultiCropPairs() {}

    /**
     * @param predictions the predicting side of every view: the global views first, in the targets' order, then the
     *     local ones
     * @param targets the target side of the global views
     * @param term the loss of one pair, (prediction j, target i) → scalar
     * @return the sum of {@code term} over every pair (i, j ≠ i)
     * @throws IllegalArgumentException with fewer than two targets, or fewer predictions than targets
     */
    public static NDArray sum(List<NDArray> predictions, List<NDArray> targets,
            BiFunction<NDArray, NDArray, NDArray> term) {
        if (targets.size() < 2 || predictions.size() < targets.size()) {
            throw new IllegalArgumentException("need >= 2 targets and a prediction for each (then the local views),"
                    + " got " + targets.size() + " targets and " + predictions.size() + " predictions");
        }
        NDArray sum = null;
        for (int i = 0; i < targets.size(); i++) {
            for (int j = 0; j < predictions.size(); j++) {
                if (j != i) {
                    NDArray t = term.apply(predictions.get(j), targets.get(i));
                    sum = sum == null ? t : sum.add(t);
                }
            }
        }
        return sum;
    }

    /**
     * @param targets G, the global views
     * @param views V, every view
     * @return G · (V − 1), the number of pairs {@link #sum} adds
     */
    public static int count(int targets, int views) {
        return targets * (views - 1);
    }
}
