package org.coar.workbench.fit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.fit.linalg.SymmetricEigen;
import org.coar.workbench.fit.linalg.Triangle;
import org.coar.workbench.fit.sparse.MaskBits;
import org.coar.workbench.fit.sparse.PopcountGram;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;

/**
 * The primal fits' standardised Gram of a {@link LeastSquaresFit} and its factorisations: one square
 * buffer with the training rows' G below the diagonal and all rows' above, each factorised (Cholesky,
 * with jitter if needed, else an eigendecomposition for the minimum-norm solution) in its own triangle,
 * the factors' diagonals kept aside and swapped in for each solve; and the validation projection
 * G_t⁻¹ Z_vᵀ made from the training factor.
 */
final class LeastSquaresGram implements AutoCloseable {
    /** Cholesky retries with this jitter on the diagonal (G has a unit diagonal) before the eigendecomposition. */
    private static final double[] JITTERS = {0, 1e-12, 1e-10, 1e-8};
    /** Eigenvalues below this fraction of the largest count as zero for minimum-norm solutions. */
    static final double RANK_TOLERANCE = 1e-10;

    private final LinearAlgebra la;
    private final Precision precision;
    private final LeastSquaresProblem problem;
    private final MaskBits bitsT;
    private final MaskBits bitsV;
    private final int q;
    private final int[] order;
    private final boolean[] trainActive;
    private final MaskStatistics trainStats;
    private final MaskStatistics allStats;
    /** The triangle that holds the final fit's Gram: the upper one when the lower holds the training fit's. */
    private final Triangle finalTriangle;
    private final Consumer<Progress> progress;
    private final Cancellation cancel;
    private final Map<String, Object> details;

    private final Matrix gram;
    private double normLower;
    private double normUpper;
    private double[] diagonalTrain;
    private double[] diagonalFinal;
    private double rcondTrain = Double.NaN;
    private double rcondFinal = Double.NaN;
    private Matrix eigenTrain;
    private double[] eigenTrainValues;
    private Matrix eigenFinalPrimal;
    private double[] eigenFinalPrimalValues;
    private Matrix projection;

    /** An empty q × q buffer in the plan's precision; {@link #fill} fills it. */
    LeastSquaresGram(LinearAlgebra la, Precision precision, LeastSquaresProblem problem, Triangle finalTriangle,
                     Consumer<Progress> progress, Cancellation cancel, Map<String, Object> details) {
        this.la = la;
        this.precision = precision;
        this.problem = problem;
        this.bitsT = problem.train();
        this.bitsV = problem.validation();
        this.q = problem.q();
        this.order = problem.order();
        this.trainActive = problem.trainActive();
        this.trainStats = problem.trainStats();
        this.allStats = problem.allStats();
        this.finalTriangle = finalTriangle;
        this.progress = progress;
        this.cancel = cancel;
        this.details = details;
        this.gram = la.zeros(precision, q, q);
    }

    /** Fills the training rows' Gram below the diagonal and/or all rows' above it. */
    void fill(boolean lower, boolean upper) {
        fillGram(gram, lower, upper, 0);
    }

    /**
     * Fills {@code target}'s strict lower triangle with the training rows' standardised Gram and its
     * strict upper triangle with all rows' (only the ones asked for), from popcounts of the mask
     * bits; records each filled triangle's 1-norm (with a diagonal of 1 + jitter) for pocon.
     */
    private void fillGram(Matrix target, boolean lower, boolean upper, double jitter) {
        progress.accept(FitStages.solving(0, PopcountGram.blockCount(q), "Gram of the masks (popcount)"));
        long t = System.nanoTime();
        double nT = bitsT.rows();
        double nA = allStats.rows;
        long[] countT = new long[q];
        long[] countA = new long[q];
        double[] invT = new double[q];
        double[] invA = new double[q];
        for (int a = 0; a < q; a++) {
            countT[a] = bitsT.count(order[a]);
            countA[a] = countT[a] + bitsV.count(order[a]);
            invT[a] = trainActive[a] ? 1 / (nT * trainStats.std[order[a]]) : 0;
            invA[a] = 1 / (nA * allStats.std[order[a]]);
        }
        double[] sumsLower = new double[q];
        double[] sumsUpper = new double[q];
        MemorySegment g = target.segment();
        boolean isFloat = target.precision() == Precision.FLOAT;
        long totalBlocks = PopcountGram.blockCount(q);
        AtomicLong blocksDone = new AtomicLong();
        int blockRows = (q + PopcountGram.BLOCK - 1) / PopcountGram.BLOCK;
        PopcountGram.Sink sink = (a0, b0, rowsA, colsB, ct, cv) -> {
            double[] localLower = new double[PopcountGram.BLOCK * 2];
            double[] localUpper = new double[PopcountGram.BLOCK * 2];
            for (int i = 0; i < rowsA; i++) {
                int a = a0 + i;
                int limit = a0 == b0 ? i : colsB;
                for (int k = 0; k < limit; k++) {
                    int b = b0 + k;
                    int cell = i * PopcountGram.BLOCK + k;
                    if (lower) {
                        double v = trainActive[a] && trainActive[b]
                                ? (nT * ct[cell] - (double) countT[a] * countT[b]) * invT[a] * invT[b] : 0;
                        put(g, isFloat, (long) a * q + b, v);
                        localLower[i] += Math.abs(v);
                        localLower[PopcountGram.BLOCK + k] += Math.abs(v);
                    }
                    if (upper) {
                        double v = (nA * ((double) ct[cell] + cv[cell]) - (double) countA[a] * countA[b]) * invA[a] * invA[b];
                        put(g, isFloat, (long) b * q + a, v);
                        localUpper[i] += Math.abs(v);
                        localUpper[PopcountGram.BLOCK + k] += Math.abs(v);
                    }
                }
            }
            synchronized (sumsLower) {
                for (int i = 0; i < rowsA; i++) {
                    sumsLower[a0 + i] += localLower[i];
                    sumsUpper[a0 + i] += localUpper[i];
                }
                for (int k = 0; k < colsB; k++) {
                    sumsLower[b0 + k] += localLower[PopcountGram.BLOCK + k];
                    sumsUpper[b0 + k] += localUpper[PopcountGram.BLOCK + k];
                }
            }
        };
        PopcountGram.count(bitsT, upper ? bitsV : null, order, sink, cancel, ib -> progress.accept(FitStages.solving(
                Math.min(totalBlocks, blocksDone.addAndGet(ib + 1)), totalBlocks, "Gram of the masks (popcount)")));
        details.merge("gram_seconds", LeastSquaresFit.seconds(t), (x, y) -> (double) x + (double) y);
        double maxLower = 0;
        double maxUpper = 0;
        for (int a = 0; a < q; a++) {
            maxLower = Math.max(maxLower, sumsLower[a]);
            maxUpper = Math.max(maxUpper, sumsUpper[a]);
        }
        if (lower) {
            normLower = maxLower + 1 + jitter;
        }
        if (upper) {
            normUpper = maxUpper + 1 + jitter;
        }
    }

    private static void put(MemorySegment g, boolean isFloat, long index, double v) {
        if (isFloat) {
            g.setAtIndex(ValueLayout.JAVA_FLOAT, index, (float) v);
        } else {
            g.setAtIndex(ValueLayout.JAVA_DOUBLE, index, v);
        }
    }

    private void setDiagonal(Matrix target, double value) {
        for (int a = 0; a < q; a++) {
            target.set(a, a, value);
        }
    }

    private double[] diagonal() {
        double[] d = new double[q];
        for (int a = 0; a < q; a++) {
            d[a] = gram.get(a, a);
        }
        return d;
    }

    private void useDiagonal(double[] d) {
        for (int a = 0; a < q; a++) {
            gram.set(a, a, d[a]);
        }
    }

    void factorTraining() {
        factor(Triangle.LOWER, true);
    }

    void factorFinal() {
        factor(finalTriangle, false);
    }

    /** Factorises triangle t (the training fit when {@code train}), retrying with jitter; else the eigendecomposition. */
    private void factor(Triangle t, boolean train) {
        String which = train ? "training" : "final";
        Map<String, Object> info = new LinkedHashMap<>();
        for (double jitter : JITTERS) {
            cancel.throwIfCancelled();
            if (jitter > 0) {
                fillGram(gram, t == Triangle.LOWER, t == Triangle.UPPER, jitter);
            }
            setDiagonal(gram, 1 + jitter);
            progress.accept(FitStages.solving(0, 1, "Cholesky factorisation of the " + which + " Gram (" + q + " × " + q + ", "
                    + (precision == Precision.DOUBLE ? "float64" : "float32") + ")"));
            long t0 = System.nanoTime();
            boolean ok = la.cholesky(gram, t);
            info.put("factorisation_seconds", LeastSquaresFit.seconds(t0));
            if (ok) {
                double rcond = la.reciprocalCondition(gram, t, t == Triangle.LOWER ? normLower : normUpper);
                info.put("method", jitter == 0 ? "cholesky" : "cholesky with jitter (the standardised Gram is numerically "
                        + "singular: some components are (nearly) collinear)");
                info.put("jitter", jitter);
                info.put("condition_estimate_1norm", 1 / rcond);
                if (train) {
                    diagonalTrain = diagonal();
                    rcondTrain = rcond;
                } else {
                    diagonalFinal = diagonal();
                    rcondFinal = rcond;
                }
                details.put(which + "_factor", info);
                return;
            }
        }
        // Still singular: the minimum-norm solution from the eigendecomposition, in float64.
        info.put("method", "minimum-norm (pseudo-inverse by eigendecomposition): the Gram is singular even with jitter");
        Matrix full = la.zeros(Precision.DOUBLE, q, q);
        try {
            fillGram(full, t == Triangle.LOWER, t == Triangle.UPPER, 0);
            for (int a = 0; a < q; a++) {
                for (int b = 0; b < a; b++) {
                    if (t == Triangle.LOWER) {
                        full.set(b, a, full.get(a, b));
                    } else {
                        full.set(a, b, full.get(b, a));
                    }
                }
                full.set(a, a, 1);
            }
            SymmetricEigen eigen = la.symmetricEigen(full);
            if (train) {
                eigenTrain = eigen.vectors();
                eigenTrainValues = eigen.values();
            } else {
                eigenFinalPrimal = eigen.vectors();
                eigenFinalPrimalValues = eigen.values();
            }
            info.put("rank", rank(eigen.values()));
        } finally {
            la.free(full);
        }
        details.put(which + "_factor", info);
    }

    static int rank(double[] values) {
        double largest = values.length == 0 ? 0 : values[values.length - 1];
        int rank = 0;
        for (double v : values) {
            if (v > RANK_TOLERANCE * largest) {
                rank++;
            }
        }
        return rank;
    }

    /**
     * Mᵀ = G_t⁻¹ Z_vᵀ (q × validation rows; the validation rows standardised with the training rows'
     * statistics), in the plan's precision: then z_v · w_t = (Mᵀ)ᵀ c_t for every block.
     */
    void makeProjection() {
        progress.accept(FitStages.solving(0, 1, "projecting the " + bitsV.rows() + " validation rows through the training Gram"));
        long t = System.nanoTime();
        projection = problem.standardisedColumns(la, precision, bitsV, null, trainStats, true);
        useDiagonal(diagonalTrain);
        la.choleskySolveColumns(gram, Triangle.LOWER, projection);
        details.put("projection_seconds", LeastSquaresFit.seconds(t));
    }

    /** The validation projection, or {@code null} when none was made. */
    Matrix projection() {
        return projection;
    }

    /** Whether the training Gram has a Cholesky factor (not the eigendecomposition). */
    boolean trainingFactored() {
        return eigenTrain == null;
    }

    /** Whether the final Gram has a Cholesky factor (not the eigendecomposition). */
    boolean finalFactored() {
        return eigenFinalPrimal == null;
    }

    /** The final Gram's reciprocal condition estimate; NaN when there is none. */
    double rcondFinal() {
        return rcondFinal;
    }

    /** Puts the factors' condition estimates into {@code details}. */
    void report(Map<String, Object> into) {
        if (!Double.isNaN(rcondTrain)) {
            into.put("training_gram_condition_estimate", 1 / rcondTrain);
        }
        if (!Double.isNaN(rcondFinal)) {
            into.put("final_gram_condition_estimate", 1 / rcondFinal);
        }
    }

    /** Solves G W = C of the training (or final) fit: {@code rhs} (float64) becomes W, in the plan's precision. */
    void solve(boolean train, Matrix rhs) {
        Matrix vectors = train ? eigenTrain : eigenFinalPrimal;
        if (vectors != null) {
            pseudoInverseSolve(vectors, train ? eigenTrainValues : eigenFinalPrimalValues, rhs);
            return;
        }
        Triangle t = train ? Triangle.LOWER : finalTriangle;
        useDiagonal(train ? diagonalTrain : diagonalFinal);
        if (precision == Precision.DOUBLE) {
            la.choleskySolveColumns(gram, t, rhs);
            return;
        }
        Matrix single = la.zeros(Precision.FLOAT, rhs.rows(), rhs.cols());
        try {
            copyInto(rhs, single);
            la.choleskySolveColumns(gram, t, single);
            copyInto(single, rhs);
        } finally {
            la.free(single);
        }
    }

    private void pseudoInverseSolve(Matrix vectors, double[] values, Matrix rhs) {
        Matrix projected = la.zeros(Precision.DOUBLE, q, rhs.cols());
        try {
            la.gemm(1, vectors, false, rhs, false, 0, projected);
            double largest = values[values.length - 1];
            double[] row = new double[rhs.cols()];
            for (int k = 0; k < q; k++) {
                double inv = values[k] > RANK_TOLERANCE * largest ? 1 / values[k] : 0;
                projected.getRow(k, row);
                for (int j = 0; j < row.length; j++) {
                    row[j] *= inv;
                }
                projected.setRow(k, row);
            }
            la.gemm(1, vectors, true, projected, false, 0, rhs);
        } finally {
            la.free(projected);
        }
    }

    static void copyInto(Matrix from, Matrix to) {
        if (from.precision() == to.precision()) {
            to.copyFrom(from);
            return;
        }
        double[] row = new double[from.cols()];
        for (int r = 0; r < from.rows(); r++) {
            from.getRow(r, row);
            to.setRow(r, row);
        }
    }

    @Override
    public void close() {
        for (Matrix mtx : new Matrix[] {gram, eigenTrain, eigenFinalPrimal, projection}) {
            if (mtx != null) {
                la.free(mtx);
            }
        }
    }
}
