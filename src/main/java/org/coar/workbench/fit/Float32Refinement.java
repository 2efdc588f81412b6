package org.coar.workbench.fit;

import java.util.Map;
import java.util.function.Consumer;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.fit.sparse.MaskBits;
import org.coar.workbench.fit.sparse.SparseProducts;
import org.coar.workbench.fit.sparse.TileMatrix;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;

/**
 * The final primal solve of a {@link LeastSquaresFit} with iterative refinement of float32 solutions:
 * how many steps the condition estimate asks for, the error a sample of columns measures, and the
 * steps themselves, with G W computed exactly (float64) through the mask bits.
 */
final class Float32Refinement {
    /** float32 solves get one step of refinement when κ₁ · 2⁻²⁴ exceeds this. */
    private static final double REFINE_ABOVE = 1e-4;
    /** The measured error (the sampled refinement's correction) above which every output column is refined. */
    private static final double REFINE_MEASURED_ABOVE = 1e-5;
    private static final double FLOAT_EPS = 0x1p-24;

    /** Output columns whose refinement measures the float32 solve's error before all columns are refined. */
    static final int REFINE_SAMPLE = 64;

    /** Output columns refined at a time: bounds the refinement's scratch to a few hundred MiB at any width. */
    static final int REFINE_COLUMNS = 512;

    private final LinearAlgebra la;
    private final Precision precision;
    private final LeastSquaresProblem problem;
    private final MaskBits bitsT;
    private final MaskBits bitsV;
    private final MaskStatistics allStats;
    private final int[] order;
    private final int q;
    private final Consumer<Progress> progress;
    private final Cancellation cancel;

    private int refinements;
    /** The largest relative correction the sampled refinement found: the float32 solve's measured error. */
    private double sampledCorrection = Double.NaN;

    Float32Refinement(LinearAlgebra la, Precision precision, LeastSquaresProblem problem, Consumer<Progress> progress,
                      Cancellation cancel) {
        this.la = la;
        this.precision = precision;
        this.problem = problem;
        this.bitsT = problem.train();
        this.bitsV = problem.validation();
        this.allStats = problem.allStats();
        this.order = problem.order();
        this.q = problem.q();
        this.progress = progress;
        this.cancel = cancel;
    }

    /**
     * Solves the final fit in place in {@code weights}, which holds c_a (w columns), refining float32
     * solutions; {@code c} (same shape) is scratch.
     */
    void solveFinal(LeastSquaresGram gram, Matrix c, Matrix weights, int w) {
        int steps = 0;
        if (precision == Precision.FLOAT && gram.finalFactored()) {
            double error = FLOAT_EPS / gram.rcondFinal();
            // No estimate (a GPU backend): refine once, which is cheap next to the solve there.
            steps = Double.isNaN(error) ? 1 : error > REFINE_ABOVE ? (error > 1e-2 ? 2 : 1) : 0;
        }
        if (steps > 0) {
            c.copyFrom(weights); // keep c_a for the residuals
        }
        gram.solve(false, weights);
        if (steps > 0) {
            // The condition estimate bounds the error from above, often far above. The first refinement step's
            // correction measures it: refine a sample of columns, and the rest only where the sample needs it
            // (each step re-reads the mask bits for every output column, the cost of the whole statistics pass).
            int sample = Math.min(w, REFINE_SAMPLE);
            double correction = refine(gram, c, weights, 0, sample);
            sampledCorrection = Double.isNaN(sampledCorrection) ? correction : Math.max(sampledCorrection, correction);
            if (correction > REFINE_MEASURED_ABOVE) {
                refine(gram, c, weights, sample, w);
                refinements++;
                for (int step = 1; step < steps; step++) {
                    refine(gram, c, weights, 0, w);
                    refinements++;
                }
            }
        }
    }

    /**
     * One step of iterative refinement of output columns [from, to): W += G⁻¹ (c − G W), with G W
     * computed exactly (float64) through the mask bits, {@link #REFINE_COLUMNS} columns at a time.
     * Returns the largest correction relative to its column of W (the float32 solve's error).
     */
    private double refine(LeastSquaresGram gram, Matrix c, Matrix weights, int from, int to) {
        if (to <= from) {
            return 0;
        }
        progress.accept(FitStages.solving(0, 1, "refining the float32 solution"));
        double n = allStats.rows;
        int w = to - from;
        double largest = 0;
        int cw = Math.min(w, REFINE_COLUMNS);
        Matrix u = la.zeros(Precision.DOUBLE, q, cw);
        TileMatrix pt = TileMatrix.doubles(bitsT.rows(), cw);
        TileMatrix pv = TileMatrix.doubles(bitsV.rows(), cw);
        try {
            double[] row = new double[cw];
            double[] target = new double[cw];
            for (int j0 = from; j0 < to; j0 += cw) {
                int k = Math.min(cw, to - j0);
                Matrix uk = k == cw ? u : la.zeros(Precision.DOUBLE, q, k);
                TileMatrix ptk = k == cw ? pt : TileMatrix.doubles(bitsT.rows(), k);
                TileMatrix pvk = k == cw ? pv : TileMatrix.doubles(bitsV.rows(), k);
                try {
                    copyColumns(weights, j0, uk);
                    double[] offset = problem.toRaw(uk, allStats, false); // U = W/σ; offset = −μᵀU
                    ptk.fill(0);
                    pvk.fill(0);
                    SparseProducts.scatter(bitsT, order, uk, ptk, cancel);
                    if (bitsV.rows() > 0) {
                        SparseProducts.scatter(bitsV, order, uk, pvk, cancel);
                    }
                    uk.fill(0);
                    SparseProducts.gather(bitsT, order, ptk, uk, cancel);
                    if (bitsV.rows() > 0) {
                        SparseProducts.gather(bitsV, order, pvk, uk, cancel);
                    }
                    // G W = D⁻¹ [Sᵀ(S U) − n μ (μᵀU)] / n; the residual c − G W replaces it.
                    for (int a = 0; a < q; a++) {
                        int i = order[a];
                        uk.getRow(a, row);
                        for (int j = 0; j < k; j++) {
                            target[j] = c.get(a, j0 + j);
                        }
                        double mu = allStats.mean[i];
                        double scale = 1 / (n * allStats.std[i]);
                        for (int j = 0; j < k; j++) {
                            row[j] = target[j] - (row[j] + n * mu * offset[j]) * scale;
                        }
                        uk.setRow(a, row);
                    }
                    gram.solve(false, uk);
                    double[] change = new double[k];
                    double[] size = new double[k];
                    for (int a = 0; a < q; a++) {
                        for (int j = 0; j < k; j++) {
                            double d = uk.get(a, j);
                            double before = weights.get(a, j0 + j);
                            change[j] += d * d;
                            size[j] += before * before;
                            weights.set(a, j0 + j, before + d);
                        }
                    }
                    for (int j = 0; j < k; j++) {
                        if (size[j] > 0) {
                            largest = Math.max(largest, Math.sqrt(change[j] / size[j]));
                        }
                    }
                } finally {
                    if (uk != u) {
                        la.free(uk);
                        ptk.close();
                        pvk.close();
                    }
                }
            }
        } finally {
            la.free(u);
            pt.close();
            pv.close();
        }
        return largest;
    }

    private static void copyColumns(Matrix from, int first, Matrix to) {
        for (int a = 0; a < to.rows(); a++) {
            for (int j = 0; j < to.cols(); j++) {
                to.set(a, j, from.get(a, first + j));
            }
        }
    }

    /** Puts the refinement steps taken, and the error measured if any, into {@code details}. */
    void report(Map<String, Object> details) {
        details.put("refinement_steps", refinements);
        if (!Double.isNaN(sampledCorrection)) {
            details.put("float32_error_measured_on_" + REFINE_SAMPLE + "_columns", sampledCorrection);
        }
    }
}
