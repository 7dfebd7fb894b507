package org.byol4j.report;

/**
 * Principal component analysis by power iteration with deflation on the covariance matrix: enough for the 2-D
 * projection of a few thousand embeddings of a few hundred dimensions that the embedding plot draws.
 */
final class Pca {

    private static final int ITERATIONS = 300;

    private Pca() {}

    /**
     * @param rows n points of dimension d (n ≥ 2)
     * @param components how many leading components, ≤ d
     * @return the points projected on the leading components of their covariance (centred), n × components; each
     *     component's sign is fixed so that its largest-magnitude coefficient is positive
     */
    static double[][] project(float[][] rows, int components) {
        int n = rows.length;
        int d = rows[0].length;
        if (n < 2 || components < 1 || components > d) {
            throw new IllegalArgumentException("need >= 2 points and 1 <= components <= " + d + ", got " + n
                    + " points and " + components + " components");
        }
        double[] mean = new double[d];
        for (float[] r : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / (double) n;
            }
        }
        double[][] cov = new double[d][d];
        for (float[] r : rows) {
            for (int a = 0; a < d; a++) {
                double ca = r[a] - mean[a];
                for (int b = a; b < d; b++) {
                    cov[a][b] += ca * (r[b] - mean[b]) / (n - 1);
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                cov[a][b] = cov[b][a];
            }
        }
        double[][] axes = new double[components][];
        for (int k = 0; k < components; k++) {
            double[] v = leadingEigenvector(cov, k);
            double lambda = rayleigh(cov, v);
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cov[a][b] -= lambda * v[a] * v[b];
                }
            }
            axes[k] = v;
        }
        double[][] out = new double[n][components];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < components; k++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += (rows[i][j] - mean[j]) * axes[k][j];
                }
                out[i][k] = s;
            }
        }
        return out;
    }

    private static double[] leadingEigenvector(double[][] m, int seed) {
        int d = m.length;
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = 1.0 + 0.1 * ((j * 31 + seed * 17) % 7);
        }
        normalise(v);
        for (int it = 0; it < ITERATIONS; it++) {
            double[] w = new double[d];
            for (int a = 0; a < d; a++) {
                double s = 0;
                for (int b = 0; b < d; b++) {
                    s += m[a][b] * v[b];
                }
                w[a] = s;
            }
            if (normalise(w) == 0) {
                break;
            }
            v = w;
        }
        int largest = 0;
        for (int j = 1; j < d; j++) {
            if (Math.abs(v[j]) > Math.abs(v[largest])) {
                largest = j;
            }
        }
        if (v[largest] < 0) {
            for (int j = 0; j < d; j++) {
                v[j] = -v[j];
            }
        }
        return v;
    }

    private static double rayleigh(double[][] m, double[] v) {
        double s = 0;
        for (int a = 0; a < m.length; a++) {
            for (int b = 0; b < m.length; b++) {
                s += v[a] * m[a][b] * v[b];
            }
        }
        return s;
    }

    private static double normalise(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int j = 0; j < v.length; j++) {
                v[j] /= norm;
            }
        }
        return norm;
    }
}
