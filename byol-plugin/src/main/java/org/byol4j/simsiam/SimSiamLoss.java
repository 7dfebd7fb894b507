package org.byol4j.simsiam;

import ai.djl.ndarray.NDArray;
import org.byol4j.method.Vectors;

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
        return negativeCosine(p1, z2).add(negativeCosine(p2, z1)).mul(0.5f);
    }
}
