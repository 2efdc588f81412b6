package org.coar.workbench.fit;

import java.util.Map;
import java.util.function.Consumer;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.fit.linalg.SymmetricEigen;
import org.coar.workbench.fit.sparse.MaskBits;
import org.coar.workbench.fit.sparse.SparseProducts;
import org.coar.workbench.fit.sparse.TileMatrix;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;

/**
 * The dual (kernel) fits of a {@link LeastSquaresFit}, for more components than rows: the
 * eigendecompositions of K = ZZᵀ over the training rows and over all rows (in float64), the
 * validation-by-training kernel, and from them α = K⁺ (ỹ − mean), the training fit's validation
 * predictions and the final fit's weights w = Zᵀ α.
 */
final class DualKernels implements AutoCloseable {
    private final LinearAlgebra la;
    private final Precision precision;
    private final LeastSquaresProblem problem;
    private final MaskBits bitsT;
    private final MaskBits bitsV;
    private final StorePass.SetSums sumsT;
    private final StorePass.SetSums sumsV;
    private final MaskStatistics trainStats;
    private final MaskStatistics allStats;
    private final int[] order;
    private final int q;
    private final Consumer<Progress> progress;
    private final Cancellation cancel;
    private final Map<String, Object> details;

    private Matrix kernelTrainVectors;
    private double[] kernelTrainValues;
    private Matrix kernelValidationTrain;
    private Matrix kernelFinalVectors;
    private double[] kernelFinalValues;

    DualKernels(LinearAlgebra la, Precision precision, LeastSquaresProblem problem, Consumer<Progress> progress,
                Cancellation cancel, Map<String, Object> details) {
        this.la = la;
        this.precision = precision;
        this.problem = problem;
        this.bitsT = problem.train();
        this.bitsV = problem.validation();
        this.sumsT = problem.trainSums();
        this.sumsV = problem.validationSums();
        this.trainStats = problem.trainStats();
        this.allStats = problem.allStats();
        this.order = problem.order();
        this.q = problem.q();
        this.progress = progress;
        this.cancel = cancel;
        this.details = details;
    }

    /** The training rows' kernel and the validation-by-training kernel. */
    void makeTrainKernel() {
        progress.accept(FitStages.solving(0, 1, "kernel of the " + bitsT.rows() + " training rows (dual)"));
        long t = System.nanoTime();
        Matrix zt = problem.standardisedColumns(la, precision, bitsT, null, trainStats, true);
        Matrix zv = problem.standardisedColumns(la, precision, bitsV, null, trainStats, true);
        try {
            SymmetricEigen eigen = kernelEigen(zt);
            kernelTrainVectors = eigen.vectors();
            kernelTrainValues = eigen.values();
            Matrix cross = la.zeros(precision, bitsV.rows(), bitsT.rows());
            try {
                la.gemm(1, zv, true, zt, false, 0, cross);
                kernelValidationTrain = toDouble(cross);
            } finally {
                if (cross != kernelValidationTrain) {
                    la.free(cross);
                }
            }
        } finally {
            la.free(zt);
            la.free(zv);
        }
        details.put("training_kernel_seconds", LeastSquaresFit.seconds(t));
        details.put("training_kernel_rank", LeastSquaresGram.rank(kernelTrainValues));
    }

    /** All rows' kernel. */
    void makeFinalKernel() {
        progress.accept(FitStages.solving(0, 1, "kernel of all " + allStats.rows + " rows (dual)"));
        long t = System.nanoTime();
        Matrix za = problem.standardisedColumns(la, precision, bitsT, bitsV, allStats, false);
        try {
            SymmetricEigen eigen = kernelEigen(za);
            kernelFinalVectors = eigen.vectors();
            kernelFinalValues = eigen.values();
        } finally {
            la.free(za);
        }
        details.put("final_kernel_seconds", LeastSquaresFit.seconds(t));
        details.put("final_kernel_rank", LeastSquaresGram.rank(kernelFinalValues));
    }

    /** Eigendecomposition of K = Z Zᵀ for Zᵀ (q × n), in float64. */
    private SymmetricEigen kernelEigen(Matrix zt) {
        int n = zt.cols();
        Matrix k = la.zeros(precision, n, n);
        try {
            la.gramLower(1, zt, 0, k);
            Matrix kd = toDouble(k);
            try {
                for (int r = 0; r < n; r++) {
                    for (int c = 0; c < r; c++) {
                        kd.set(c, r, kd.get(r, c));
                    }
                }
                return la.symmetricEigen(kd);
            } finally {
                if (kd != k) {
                    la.free(kd);
                }
            }
        } finally {
            la.free(k);
        }
    }

    /** The same matrix in float64 (itself when it is already). */
    private Matrix toDouble(Matrix a) {
        if (a.precision() == Precision.DOUBLE) {
            return a;
        }
        Matrix d = la.zeros(Precision.DOUBLE, a.rows(), a.cols());
        for (int r = 0; r < a.rows(); r++) {
            for (int c = 0; c < a.cols(); c++) {
                d.set(r, c, a.get(r, c));
            }
        }
        return d;
    }

    /** K_vt α with α = K_t⁺ (ỹ_t − mean) for this block (validation rows × outputs, float64). */
    Matrix kernelPredictions(int first, int w, TileMatrix yt) {
        Matrix alpha = dualCoefficients(kernelTrainVectors, kernelTrainValues, new TileMatrix[] {yt}, first, w, false);
        try {
            Matrix p = la.zeros(Precision.DOUBLE, bitsV.rows(), w);
            la.gemm(1, kernelValidationTrain, false, alpha, false, 0, p);
            return p;
        } finally {
            la.free(alpha);
        }
    }

    /** α = K⁺ (ỹ − mean) for the rows of {@code sets} stacked (n × w, float64), through the eigenvectors Q: Qᵀ Λ⁺ Q ỹ. */
    private Matrix dualCoefficients(Matrix vectors, double[] values, TileMatrix[] sets, int first, int w, boolean all) {
        int n = vectors.rows();
        Matrix y = la.zeros(Precision.DOUBLE, n, w);
        Matrix projected = la.zeros(Precision.DOUBLE, n, w);
        try {
            double[] mean = new double[w];
            for (int j = 0; j < w; j++) {
                double sum = sumsT.outputSums[first + j] + (all ? sumsV.outputSums[first + j] : 0);
                mean[j] = sum / n;
            }
            int at = 0;
            double[] row = new double[w];
            for (int s = 0; s < sets.length; s++) {
                TileMatrix set = sets[s];
                if (set == null) {
                    continue;
                }
                // Tiles may have room for rows excluded as non-finite; the bits say how many rows there are.
                int rows = s == 0 ? bitsT.rows() : bitsV.rows();
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < w; j++) {
                        row[j] = set.get(r, j) - mean[j];
                    }
                    y.setRow(at++, row);
                }
            }
            la.gemm(1, vectors, false, y, false, 0, projected);
            double largest = values.length == 0 ? 0 : values[values.length - 1];
            for (int k = 0; k < n; k++) {
                double inv = values[k] > LeastSquaresGram.RANK_TOLERANCE * largest ? 1 / values[k] : 0;
                projected.getRow(k, row);
                for (int j = 0; j < w; j++) {
                    row[j] *= inv;
                }
                projected.setRow(k, row);
            }
            la.gemm(1, vectors, true, projected, false, 0, y);
            return y;
        } catch (RuntimeException | Error e) {
            la.free(y);
            throw e;
        } finally {
            la.free(projected);
        }
    }

    /** W = Zᵀ α = D⁻¹ (Sᵀ α − μ Σα) for the final dual fit, through the mask bits. */
    void dualWeights(int first, int w, TileMatrix[] tiles, Matrix weights) {
        Matrix alpha = dualCoefficients(kernelFinalVectors, kernelFinalValues,
                new TileMatrix[] {tiles[RowSplit.TRAIN], tiles[RowSplit.VALIDATION]}, first, w, true);
        int nt = bitsT.rows();
        int nv = bitsV.rows();
        TileMatrix at = TileMatrix.doubles(nt, w);
        TileMatrix av = TileMatrix.doubles(nv, w);
        try {
            double[] total = new double[w];
            double[] row = new double[w];
            for (int r = 0; r < nt + nv; r++) {
                alpha.getRow(r, row);
                for (int j = 0; j < w; j++) {
                    total[j] += row[j];
                    if (r < nt) {
                        at.set(r, j, row[j]);
                    } else {
                        av.set(r - nt, j, row[j]);
                    }
                }
            }
            weights.fill(0);
            SparseProducts.gather(bitsT, order, at, weights, cancel);
            if (nv > 0) {
                SparseProducts.gather(bitsV, order, av, weights, cancel);
            }
            for (int a = 0; a < q; a++) {
                int i = order[a];
                weights.getRow(a, row);
                for (int j = 0; j < w; j++) {
                    row[j] = (row[j] - allStats.mean[i] * total[j]) / allStats.std[i];
                }
                weights.setRow(a, row);
            }
        } finally {
            la.free(alpha);
            at.close();
            av.close();
        }
    }

    @Override
    public void close() {
        for (Matrix mtx : new Matrix[] {kernelTrainVectors, kernelValidationTrain, kernelFinalVectors}) {
            if (mtx != null) {
                la.free(mtx);
            }
        }
    }
}
