package org.byol4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The embedding plot's principal components, on a cloud whose axes are known. */
class PcaTest {

    @Test
    void pcaRecoversTheAxesOfAKnownCloud() {
        // A full grid of a in {-3, -1, 1, 3} and b in {-1, 1}: a along (1, 1, 0)/√2 (variance 5), b along z
        // (variance 1), exactly uncorrelated, so the components are these axes and the projections ±a, ±b.
        double[] as = {-3, -1, 1, 3};
        double[] bs = {-1, 1};
        float[][] pts = new float[8][];
        double[][] expected = new double[8][];
        int i = 0;
        for (double a : as) {
            for (double b : bs) {
                pts[i] = new float[] {(float) (a / Math.sqrt(2) + 5), (float) (a / Math.sqrt(2) - 2), (float) b};
                expected[i++] = new double[] {a, b};
            }
        }
        double[][] p = Pca.project(pts, 2);
        for (int k = 0; k < 2; k++) {
            double sign = Math.signum(p[7][k] * expected[7][k]);
            for (int j = 0; j < 8; j++) {
                assertEquals(expected[j][k], sign * p[j][k], 1e-5, "point " + j + " component " + k);
            }
        }
    }
}
