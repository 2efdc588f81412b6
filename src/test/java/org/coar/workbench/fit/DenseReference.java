package org.coar.workbench.fit;

/**
 * Independent double-precision linear algebra for expectations: Householder QR least squares
 * and Gaussian elimination. Deliberately simple and unlike the code under test.
 */
final class DenseReference {
    private DenseReference() {
    }

    /** Least-squares solution of a·x ≈ b (a: n × k, full column rank) by Householder QR. */
    static double[] leastSquares(double[][] a, double[] b) {
        int n = a.length;
        int k = a[0].length;
        double[][] r = new double[n][];
        for (int i = 0; i < n; i++) {
            r[i] = a[i].clone();
        }
        double[] y = b.clone();
        for (int col = 0; col < k; col++) {
            double norm = 0;
            for (int i = col; i < n; i++) {
                norm += r[i][col] * r[i][col];
            }
            norm = Math.sqrt(norm);
            double alpha = r[col][col] > 0 ? -norm : norm;
            double[] v = new double[n];
            for (int i = col; i < n; i++) {
                v[i] = r[i][col];
            }
            v[col] -= alpha;
            double vv = 0;
            for (int i = col; i < n; i++) {
                vv += v[i] * v[i];
            }
            if (vv == 0) {
                continue;
            }
            for (int c = col; c < k; c++) {
                double dot = 0;
                for (int i = col; i < n; i++) {
                    dot += v[i] * r[i][c];
                }
                double f = 2 * dot / vv;
                for (int i = col; i < n; i++) {
                    r[i][c] -= f * v[i];
                }
            }
            double dot = 0;
            for (int i = col; i < n; i++) {
                dot += v[i] * y[i];
            }
            double f = 2 * dot / vv;
            for (int i = col; i < n; i++) {
                y[i] -= f * v[i];
            }
        }
        double[] x = new double[k];
        for (int i = k - 1; i >= 0; i--) {
            double s = y[i];
            for (int c = i + 1; c < k; c++) {
                s -= r[i][c] * x[c];
            }
            x[i] = s / r[i][i];
        }
        return x;
    }

    /** Solves the square system a·x = b by Gaussian elimination with partial pivoting. */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = java.util.Arrays.copyOf(a[i], n + 1);
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int i = col + 1; i < n; i++) {
                if (Math.abs(m[i][col]) > Math.abs(m[pivot][col])) {
                    pivot = i;
                }
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            for (int i = col + 1; i < n; i++) {
                double f = m[i][col] / m[col][col];
                for (int c = col; c <= n; c++) {
                    m[i][c] -= f * m[col][c];
                }
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = m[i][n];
            for (int c = i + 1; c < n; c++) {
                s -= m[i][c] * x[c];
            }
            x[i] = s / m[i][i];
        }
        return x;
    }
}
