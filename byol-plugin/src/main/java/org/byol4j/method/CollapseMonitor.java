package org.byol4j.method;

import ai.djl.ndarray.NDArray;

/**
 * The collapse diagnostic of Grill et al. 2020 (§4 discussion; used by SimSiam, Chen &amp; He 2021): the
 * standard deviation over the batch of each dimension of L2-normalised projections, averaged over
 * dimensions. Healthy representations spread over the sphere and give about 1/√d; a collapsed one
 * (every image mapped to the same point) gives 0.
 */
public final class CollapseMonitor {

    /** The name under which methods report it in {@link org.byol4j.spi.TrainingProgress#metrics()}. */
    public static final String METRIC = "collapseStd";

    private CollapseMonitor() {}

    /**
     * @param projections (N, d) online projections, N ≥ 2
     * @return mean over dimensions of the per-dimension standard deviation of the normalised rows
     */
    public static float normalisedStd(NDArray projections) {
        try (NDArray n = Vectors.normalizeRows(projections.stopGradient());
                NDArray centred = n.sub(n.mean(new int[] {0}, true));
                NDArray var = centred.square().mean(new int[] {0});
                NDArray std = var.sqrt();
                NDArray mean = std.mean()) {
            return mean.getFloat();
        }
    }

    /**
     * @param dim projection dimension d
     * @return 1/√d, the value for projections spread evenly on the unit sphere
     */
    public static float healthyValue(int dim) {
        return (float) (1.0 / Math.sqrt(dim));
    }
}
