package org.coar.workbench.fit;

import java.util.function.Consumer;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.fit.sparse.MaskBits;
import org.coar.workbench.fit.sparse.PopcountGram;
import org.coar.workbench.fit.sparse.SparseProducts;
import org.coar.workbench.fit.sparse.TileMatrix;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;

/**
 * The raw sufficient statistics of the lasso and ridge paths (XᵀX, ỸᵀX, Σx per set, in the
 * keep-mask's own space) from the mask bits: counts by popcount, Sᵀ Ỹ by gathering, block of
 * outputs by block, then x = 1 − s where s is the ablated side.
 */
final class GramPathStatistics {
    private GramPathStatistics() {
    }

    /** Train and validation statistics (index {@link RowSplit#TRAIN}, {@link RowSplit#VALIDATION}). */
    static SufficientStatistics[] of(LinearAlgebra la, FitPlan plan, StorePass pass, StorePass.Masks read,
                                     Consumer<Progress> progress, Cancellation cancel) {
        int blockWidth = plan.blockWidth();
        MaskBits bt = read.train();
        MaskBits bv = read.validation();
        LeastSquaresFit.listRows(plan, bt, bv);
        int p = bt.components();
        int m = read.sums()[RowSplit.TRAIN].examples;
        int[] all = java.util.stream.IntStream.range(0, p).toArray();
        Matrix[] grams = {null, la.zeros(Precision.DOUBLE, p, p), la.zeros(Precision.DOUBLE, p, p)};
        Matrix[] crosses = {null, la.zeros(Precision.DOUBLE, m, p), la.zeros(Precision.DOUBLE, m, p)};
        boolean ok = false;
        try {
            progress.accept(FitStages.solving(0, 1, "Grams of the masks (popcount)"));
            long[] nt = {0, bt.rows(), bv.rows()};
            MaskBits[] bits = {null, bt, bv};
            boolean ablated = bt.ablatedSide();
            PopcountGram.count(bt, bv.rows() > 0 ? bv : null, all, (a0, b0, rowsA, colsB, ct, cv) -> {
                for (int i = 0; i < rowsA; i++) {
                    int a = a0 + i;
                    int limit = a0 == b0 ? i + 1 : colsB;
                    for (int k = 0; k < limit; k++) {
                        int b = b0 + k;
                        int cell = i * PopcountGram.BLOCK + k;
                        for (int s = RowSplit.TRAIN; s <= RowSplit.VALIDATION; s++) {
                            long c = s == RowSplit.TRAIN ? ct[cell] : cv[cell];
                            double x = ablated ? nt[s] - bits[s].count(a) - bits[s].count(b) + c : c;
                            grams[s].set(a, b, x);
                            grams[s].set(b, a, x);
                        }
                    }
                }
            }, cancel, ib -> { });
            for (int first = 0; first < m; first += blockWidth) {
                cancel.throwIfCancelled();
                int w = Math.min(blockWidth, m - first);
                progress.accept(FitStages.solving(first, m, "Sᵀ Y for outputs " + first + ".." + (first + w - 1)));
                for (int s = RowSplit.TRAIN; s <= RowSplit.VALIDATION; s++) {
                    if (bits[s].rows() == 0) {
                        continue;
                    }
                    TileMatrix tile = read.firstBlock()[s];
                    boolean own = first > 0 || tile == null || tile.cols() != w;
                    if (own) {
                        tile = TileMatrix.floats(bits[s].rows(), w);
                        pass.readOutputs(read, s, first, w, tile);
                    }
                    Matrix c = la.zeros(Precision.DOUBLE, p, w);
                    try {
                        SparseProducts.gather(bits[s], all, tile, c, cancel);
                        double[] sums = read.sums()[s].outputSums;
                        for (int i = 0; i < p; i++) {
                            for (int j = 0; j < w; j++) {
                                double v = c.get(i, j);
                                crosses[s].set(first + j, i, ablated ? sums[first + j] - v : v);
                            }
                        }
                    } finally {
                        la.free(c);
                        if (own) {
                            tile.close();
                        }
                    }
                }
            }
            SufficientStatistics[] out = new SufficientStatistics[3];
            for (int s = RowSplit.TRAIN; s <= RowSplit.VALIDATION; s++) {
                double[] maskSums = new double[p];
                for (int i = 0; i < p; i++) {
                    maskSums[i] = ablated ? nt[s] - bits[s].count(i) : bits[s].count(i);
                }
                StorePass.SetSums sums = read.sums()[s];
                out[s] = new SufficientStatistics(la, nt[s], maskSums, grams[s], crosses[s], sums.outputSums.clone(),
                        sums.outputSquares.clone(), read.shift());
            }
            ok = true;
            return out;
        } finally {
            if (!ok) {
                for (int s = 1; s <= 2; s++) {
                    la.free(grams[s]);
                    la.free(crosses[s]);
                }
            }
        }
    }
}
