package org.coar.workbench.fit;

import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;

/**
 * Validation error of models fitted in a training problem's standardised space, from the
 * validation rows' own sufficient statistics: no second pass over the data. For example j with
 * weights w and bias b, e = y − b − z·w over validation rows, z standardised with the training
 * mean and std, and Σe² = Σ(y−b)² − 2 wᵀ Σz(y−b) + wᵀ (Σzzᵀ) w.
 */
final class ValidationScorer implements AutoCloseable {
    private final LinearAlgebra la;
    private final long rows;
    /** Σ z zᵀ, active × active. */
    private final Matrix gram;
    /** Σ z ỹ per example, examples × active. */
    private final Matrix cross;
    /** Σ z per active component. */
    private final double[] zSums;
    private final double[] outputSums;
    private final double[] outputSquares;
    private final float[] shift;

    private ValidationScorer(LinearAlgebra la, long rows, Matrix gram, Matrix cross, double[] zSums, double[] outputSums,
                             double[] outputSquares, float[] shift) {
        this.la = la;
        this.rows = rows;
        this.gram = gram;
        this.cross = cross;
        this.zSums = zSums;
        this.outputSums = outputSums;
        this.outputSquares = outputSquares;
        this.shift = shift;
    }

    static ValidationScorer of(LinearAlgebra la, SufficientStatistics v, StandardisedProblem train) {
        int[] active = train.active;
        int q = active.length;
        double[] mu = train.mean;
        double[] sd = train.std;
        double n = v.rows;
        Matrix gram = la.zeros(Precision.DOUBLE, q, q);
        for (int a = 0; a < q; a++) {
            int i = active[a];
            for (int b = 0; b <= a; b++) {
                int k = active[b];
                double raw = v.gram.get(i, k) - mu[i] * v.maskSums[k] - v.maskSums[i] * mu[k] + n * mu[i] * mu[k];
                double val = raw / (sd[i] * sd[k]);
                gram.set(a, b, val);
                gram.set(b, a, val);
            }
        }
        double[] zSums = new double[q];
        for (int a = 0; a < q; a++) {
            int i = active[a];
            zSums[a] = (v.maskSums[i] - n * mu[i]) / sd[i];
        }
        Matrix cross = la.zeros(Precision.DOUBLE, v.examples, q);
        double[] row = new double[v.components];
        double[] out = new double[q];
        for (int j = 0; j < v.examples; j++) {
            v.cross.getRow(j, row);
            for (int a = 0; a < q; a++) {
                int i = active[a];
                out[a] = (row[i] - mu[i] * v.outputSums[j]) / sd[i];
            }
            cross.setRow(j, out);
        }
        return new ValidationScorer(la, v.rows, gram, cross, zSums, v.outputSums, v.outputSquares, v.shift);
    }

    long rows() {
        return rows;
    }

    /**
     * Mean squared validation error of the models in the first {@code count} rows of
     * {@code weights} (row r models example {@code exampleAt[r]}, with bias {@code bias[r]}).
     */
    double[] meanSquaredError(Matrix weights, int count, int[] exampleAt, double[] bias) {
        double[] mse = new double[count];
        if (count == 0) {
            return mse;
        }
        int q = weights.cols();
        Matrix w = weights.topRows(count);
        Matrix wg = la.zeros(Precision.DOUBLE, count, q);
        try {
            la.gemm(1, w, false, gram, false, 0, wg);
            double[] wr = new double[q];
            double[] gr = new double[q];
            double[] cr = new double[q];
            for (int r = 0; r < count; r++) {
                int j = exampleAt[r];
                w.getRow(r, wr);
                wg.getRow(r, gr);
                cross.getRow(j, cr);
                double beta = bias[r] - shift[j];
                double quadratic = 0;
                double linear = 0;
                for (int a = 0; a < q; a++) {
                    quadratic += wr[a] * gr[a];
                    linear += wr[a] * (cr[a] - beta * zSums[a]);
                }
                double offset = outputSquares[j] - 2 * beta * outputSums[j] + rows * beta * beta;
                mse[r] = Math.max(0, offset - 2 * linear + quadratic) / rows;
            }
        } finally {
            la.free(wg);
        }
        return mse;
    }

    /** Validation variance of example j's outputs (population), the denominator of R². */
    double outputVariance(int j) {
        double m = outputSums[j] / rows;
        return Math.max(0, outputSquares[j] / rows - m * m);
    }

    @Override
    public void close() {
        la.free(gram);
        la.free(cross);
    }
}
