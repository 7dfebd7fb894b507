package org.byol4j.simsiam;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.byol4j.method.MultiCropPairs;
import org.byol4j.method.Vectors;
import org.byol4j.nn.Scalars;

/**
 * SimSiam's loss (Chen &amp; He, CVPR 2021, eq. 1–2): the negative cosine similarity D(p, z) = −⟨p/‖p‖, z/‖z‖⟩ of a
 * prediction and the other view's projection, averaged over the batch, with a stop-gradient on z, symmetrised:
 * {@code L = ½ D(p1, stopgrad(z2)) + ½ D(p2, stopgrad(z1))}, so it lies in [−1, 1] and reaches −1 when every
 * prediction points at the other view's projection.
 */
public final class SimSiamLoss {

    private SimSiamLoss() {}

    /**
     * @param prediction (N, d) predictions p of one view
     * @param projection (N, d) projections z of the other view (detached here)
     * @return scalar mean of −cos(p_i, z_i)
     */
    public static NDArray negativeCosine(NDArray prediction, NDArray projection) {
        return Vectors.cosineRows(prediction, projection.stopGradient()).mean().neg();
    }

    /**
     * @param p1 predictions of view 1
     * @param p2 predictions of view 2
     * @param z1 projections of view 1
     * @param z2 projections of view 2
     * @return ½ D(p1, z2) + ½ D(p2, z1)
     */
    public static NDArray symmetric(NDArray p1, NDArray p2, NDArray z1, NDArray z2) {
        return multiCrop(List.of(p1, p2), List.of(z1, z2));
    }

    /**
     * The multi-crop loss: the mean of D(p_j, z_i) over the G global views i (whose projections are the
     * stop-gradient side) and every other view j (G global, then the local ones), P = G · (V − 1) pairs; two views
     * give {@link #symmetric}.
     *
     * @param predictions the predictions p of every view: the global views first, in the projections' order
     * @param projections the projections z of the global views (detached here)
     * @return the scalar loss, in [−1, 1]
     * @throws IllegalArgumentException with fewer than two projections, or fewer predictions than projections
     */
    public static NDArray multiCrop(List<NDArray> predictions, List<NDArray> projections) {
        return Scalars.times(MultiCropPairs.sum(predictions, projections, SimSiamLoss::negativeCosine),
                1f / MultiCropPairs.count(projections.size(), predictions.size()));
    }
}
