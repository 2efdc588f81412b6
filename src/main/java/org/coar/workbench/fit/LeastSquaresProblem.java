package org.coar.workbench.fit;

import java.util.Arrays;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.fit.sparse.MaskBits;

/**
 * The rows and components a {@link LeastSquaresFit} solves for, shared by its parts: both sets' mask
 * bits and output sums, their standardisation, the fit's components ({@code order}: those varying over
 * all rows) and which of them vary over the training rows; and the maps between raw and standardised
 * space that every part uses.
 */
record LeastSquaresProblem(MaskBits train, MaskBits validation, StorePass.SetSums trainSums, StorePass.SetSums validationSums,
                           MaskStatistics trainStats, MaskStatistics allStats, int[] order, boolean[] trainActive) {

    static LeastSquaresProblem of(StorePass.Masks read) {
        MaskBits bitsT = read.train();
        MaskBits bitsV = read.validation();
        MaskStatistics trainStats = MaskStatistics.of(bitsT, bitsV, false);
        MaskStatistics allStats = MaskStatistics.of(bitsT, bitsV, true);
        int[] order = allStats.varying();
        boolean[] trainActive = new boolean[order.length];
        for (int a = 0; a < order.length; a++) {
            trainActive[a] = trainStats.varies(order[a]);
        }
        return new LeastSquaresProblem(bitsT, bitsV, read.sums()[RowSplit.TRAIN], read.sums()[RowSplit.VALIDATION],
                trainStats, allStats, order, trainActive);
    }

    /** The fit's components. */
    int q() {
        return order.length;
    }

    /** The fit's components that vary over the training rows. */
    int trainVarying() {
        int trainQ = 0;
        for (boolean active : trainActive) {
            trainQ += active ? 1 : 0;
        }
        return trainQ;
    }

    /**
     * Writes into {@code into} (q × w, float64; may be {@code cv}) the standardised right-hand sides
     * c = (C − μ Σỹ)/(n σ) of the training fit (from C_t) or of the final fit (from C_t + C_v).
     */
    void rightHandSides(Matrix ct, Matrix cv, boolean all, int first, int w, Matrix into) {
        MaskStatistics stats = all ? allStats : trainStats;
        double n = stats.rows;
        double[] row = new double[w];
        double[] rowV = new double[w];
        double[] outSums = new double[w];
        for (int j = 0; j < w; j++) {
            outSums[j] = trainSums.outputSums[first + j] + (all ? validationSums.outputSums[first + j] : 0);
        }
        for (int a = 0; a < q(); a++) {
            int i = order[a];
            if (!all && !trainActive[a]) {
                Arrays.fill(row, 0);
                into.setRow(a, row);
                continue;
            }
            ct.getRow(a, row);
            if (all) {
                cv.getRow(a, rowV);
                for (int j = 0; j < w; j++) {
                    row[j] += rowV[j];
                }
            }
            double mu = stats.mean[i];
            double scale = 1 / (n * stats.std[i]);
            for (int j = 0; j < w; j++) {
                row[j] = (row[j] - mu * outSums[j]) * scale;
            }
            into.setRow(a, row);
        }
    }

    /** W ↦ U = W/σ in place (0 for components outside the fit); returns −μᵀU per column. */
    double[] toRaw(Matrix weights, MaskStatistics stats, boolean trainOnly) {
        int w = weights.cols();
        double[] row = new double[w];
        double[] offset = new double[w];
        for (int a = 0; a < q(); a++) {
            weights.getRow(a, row);
            int i = order[a];
            double inv = !trainOnly || trainActive[a] ? 1 / stats.std[i] : 0;
            for (int j = 0; j < w; j++) {
                row[j] *= inv;
                offset[j] -= stats.mean[i] * row[j];
            }
            weights.setRow(a, row);
        }
        return offset;
    }

    /** Zᵀ (q × rows) of the given sets (rows of the first, then of the second) standardised with {@code stats}. */
    Matrix standardisedColumns(LinearAlgebra la, Precision precision, MaskBits first, MaskBits second, MaskStatistics stats,
                               boolean trainOnly) {
        int q = q();
        int n1 = first.rows();
        int n2 = second == null ? 0 : second.rows();
        Matrix zt = la.zeros(precision, q, n1 + n2);
        for (int a = 0; a < q; a++) {
            int i = order[a];
            if (trainOnly && !trainActive[a]) {
                continue;
            }
            double off = -stats.mean[i] / stats.std[i];
            double on = (1 - stats.mean[i]) / stats.std[i];
            for (int r = 0; r < n1; r++) {
                zt.set(a, r, first.get(r, i) ? on : off);
            }
            for (int r = 0; r < n2; r++) {
                zt.set(a, n1 + r, second.get(r, i) ? on : off);
            }
        }
        return zt;
    }
}
