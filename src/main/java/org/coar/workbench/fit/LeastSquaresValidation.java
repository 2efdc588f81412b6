package org.coar.workbench.fit;

import java.util.Arrays;
import org.coar.workbench.fit.FitPlan.Method;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.fit.sparse.MaskBits;
import org.coar.workbench.fit.sparse.SparseProducts;
import org.coar.workbench.fit.sparse.TileMatrix;
import org.coar.workbench.job.Cancellation;

/**
 * The validation scores of a {@link LeastSquaresFit}'s training fit: the validation rows'
 * predictions (through the dual kernels, the projection, or the solved weights), and from them the
 * MSE and R² of every output, NaN where not scored.
 */
final class LeastSquaresValidation {
    private final LinearAlgebra la;
    private final Precision precision;
    private final LeastSquaresProblem problem;
    private final MaskBits bitsV;
    private final StorePass.SetSums sumsT;
    private final StorePass.SetSums sumsV;
    private final MaskStatistics trainStats;
    private final MaskStatistics allStats;
    private final int[] order;
    private final int q;
    private final Method trainMethod;
    private final boolean useBias;
    /** The outputs' shifts (ỹ = y − shift). */
    private final float[] shift;
    private final Cancellation cancel;

    final double[] validationMse;
    final double[] validationR2;

    LeastSquaresValidation(LinearAlgebra la, Precision precision, LeastSquaresProblem problem, Method trainMethod, boolean useBias,
                           float[] shift, int examples, Cancellation cancel) {
        this.la = la;
        this.precision = precision;
        this.problem = problem;
        this.bitsV = problem.validation();
        this.sumsT = problem.trainSums();
        this.sumsV = problem.validationSums();
        this.trainStats = problem.trainStats();
        this.allStats = problem.allStats();
        this.order = problem.order();
        this.q = problem.q();
        this.trainMethod = trainMethod;
        this.useBias = useBias;
        this.shift = shift;
        this.cancel = cancel;
        this.validationMse = new double[examples];
        this.validationR2 = new double[examples];
        Arrays.fill(validationMse, Double.NaN);
        Arrays.fill(validationR2, Double.NaN);
    }

    /** Intercept of a fit in ỹ units (ỹ = y − shift): its rows' mean, or −shift without cfg.use_bias. */
    private double interceptShifted(boolean all, int j) {
        if (!useBias) {
            return -shift[j];
        }
        double sum = sumsT.outputSums[j] + (all ? sumsV.outputSums[j] : 0);
        return sum / (all ? allStats.rows : trainStats.rows);
    }

    /**
     * Validation MSE and R² of the training fit for this block; C_t (cross[0]) becomes the training fit's c_t, then
     * scratch. {@code gram} serves a primal training fit, {@code kernels} a dual one.
     */
    void validate(LeastSquaresGram gram, DualKernels kernels, int first, int w, TileMatrix[] tiles, Matrix[] cross) {
        int nv = bitsV.rows();
        TileMatrix yv = tiles[RowSplit.VALIDATION];
        double[] none = new double[w];
        if (trainMethod == Method.DUAL) {
            Matrix p = kernels.kernelPredictions(first, w, tiles[RowSplit.TRAIN]);
            try {
                score(first, yv, ValidationErrors.ofRows(p), none);
            } finally {
                la.free(p);
            }
        } else if (gram.projection() != null) {
            Matrix ct = cross[0];
            problem.rightHandSides(ct, null, false, first, w, ct);
            Matrix c = precision == Precision.DOUBLE ? ct : la.zeros(precision, q, w);
            Matrix p = la.zeros(precision, nv, w);
            try {
                if (c != ct) {
                    LeastSquaresGram.copyInto(ct, c);
                }
                la.gemm(1, gram.projection(), true, c, false, 0, p);
                score(first, yv, ValidationErrors.ofRows(p), none);
            } finally {
                la.free(p);
                if (c != ct) {
                    la.free(c);
                }
            }
        } else {
            try (TileMatrix predictions = TileMatrix.doubles(nv, w)) {
                double[] offset = weightPredictions(gram, first, w, cross[0], predictions);
                score(first, yv, ValidationErrors.ofTiles(predictions), offset);
            }
        }
    }

    /** MSE and R² per output of the block from the validation rows' predictions (plus {@code offset} per column). */
    private void score(int first, TileMatrix yv, ValidationErrors.Predictions predictions, double[] offset) {
        int nv = bitsV.rows();
        int w = offset.length;
        double[] intercept = new double[w];
        for (int j = 0; j < w; j++) {
            intercept[j] = interceptShifted(false, first + j) + offset[j];
        }
        double[] sse = ValidationErrors.sumOfSquares(yv, nv, intercept, predictions);
        for (int j = 0; j < w; j++) {
            double mse = sse[j] / nv;
            validationMse[first + j] = mse;
            double variance = sumsV.variance(first + j);
            validationR2[first + j] = variance > 0 ? 1 - mse / variance : Double.NaN;
        }
    }

    /**
     * z_v · w_t − offset for every validation row, w_t = G_t⁻¹ c_t solved for this block: S_v U with
     * U = w/σ; returns the offset −μᵀU per column, which the caller adds.
     */
    private double[] weightPredictions(LeastSquaresGram gram, int first, int w, Matrix u, TileMatrix predictions) {
        problem.rightHandSides(u, null, false, first, w, u);
        gram.solve(true, u);
        double[] offset = problem.toRaw(u, trainStats, true);
        SparseProducts.scatter(bitsV, order, u, predictions, cancel);
        return offset;
    }

    /** Scores the constant fit (no component varies) of this block. */
    void scoreConstant(int first, int w, TileMatrix[] tiles) {
        score(first, tiles[RowSplit.VALIDATION], ValidationErrors.NONE, new double[w]);
    }

}
