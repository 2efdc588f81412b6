package org.coar.workbench.fit;

import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;

/**
 * The regression of one set of rows in the reference's standardised space, in Gram form: with
 * z = (x − mean) / std over the components that vary (the others are dropped and get weight 0),
 * every example j minimises (1/2n)·‖y_j − b_j − Z w_j‖² + penalty, i.e.
 * ½ wᵀ G w − c_jᵀ w + penalty with G = ZᵀZ / n and c_j = Zᵀ(y_j − ȳ_j) / n, and b_j = ȳ_j.
 */
final class StandardisedProblem implements AutoCloseable {
    private final LinearAlgebra la;
    final long rows;
    /** Mean and (population) standard deviation of every component's mask over these rows. */
    final double[] mean;
    final double[] std;
    /** Indices of the components with non-zero variance, in order; the problem's columns. */
    final int[] active;
    /** G, active × active. */
    final Matrix gram;
    /** c_j as rows, examples × active. */
    final Matrix cross;
    /** Output mean and (population) variance per example over these rows. */
    final double[] outputMean;
    final double[] outputVariance;

    private StandardisedProblem(LinearAlgebra la, long rows, double[] mean, double[] std, int[] active, Matrix gram, Matrix cross,
                                double[] outputMean, double[] outputVariance) {
        this.la = la;
        this.rows = rows;
        this.mean = mean;
        this.std = std;
        this.active = active;
        this.gram = gram;
        this.cross = cross;
        this.outputMean = outputMean;
        this.outputVariance = outputVariance;
    }

    static StandardisedProblem of(LinearAlgebra la, SufficientStatistics s) {
        int p = s.components;
        int m = s.examples;
        double n = s.rows;
        double[] mean = new double[p];
        double[] std = new double[p];
        int[] activeAll = new int[p];
        int count = 0;
        for (int i = 0; i < p; i++) {
            mean[i] = s.maskSums[i] / n;
            // n·Σx² − (Σx)² is an exact integer for 0/1 masks, so constant components give exactly 0.
            double numerator = n * s.gram.get(i, i) - s.maskSums[i] * s.maskSums[i];
            std[i] = numerator > 0 ? Math.sqrt(numerator) / n : 0;
            if (std[i] > 0) {
                activeAll[count++] = i;
            }
        }
        int[] active = java.util.Arrays.copyOf(activeAll, count);
        Matrix gram = la.zeros(Precision.DOUBLE, count, count);
        for (int a = 0; a < count; a++) {
            int i = active[a];
            for (int b = 0; b <= a; b++) {
                int k = active[b];
                double v = (n * s.gram.get(i, k) - s.maskSums[i] * s.maskSums[k]) / (n * n * std[i] * std[k]);
                gram.set(a, b, v);
                gram.set(b, a, v);
            }
        }
        Matrix cross = la.zeros(Precision.DOUBLE, m, count);
        double[] row = new double[p];
        double[] out = new double[count];
        double[] outputMean = new double[m];
        double[] outputVariance = new double[m];
        for (int j = 0; j < m; j++) {
            double shiftedMean = s.outputSums[j] / n;
            outputMean[j] = s.shift[j] + shiftedMean;
            outputVariance[j] = Math.max(0, s.outputSquares[j] / n - shiftedMean * shiftedMean);
            s.cross.getRow(j, row);
            for (int a = 0; a < count; a++) {
                int i = active[a];
                out[a] = (row[i] - s.maskSums[i] * shiftedMean) / (n * std[i]);
            }
            cross.setRow(j, out);
        }
        return new StandardisedProblem(la, s.rows, mean, std, active, gram, cross, outputMean, outputVariance);
    }

    int examples() {
        return cross.rows();
    }

    int size() {
        return active.length;
    }

    @Override
    public void close() {
        la.free(gram);
        la.free(cross);
    }
}
