package org.coar.workbench.fit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.coar.workbench.Sizes;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.fit.FitPlan.Method;
import org.coar.workbench.fit.FitPlan.Validation;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.fit.linalg.SymmetricEigen;
import org.coar.workbench.fit.linalg.Triangle;
import org.coar.workbench.fit.sparse.MaskBits;
import org.coar.workbench.fit.sparse.PopcountGram;
import org.coar.workbench.fit.sparse.SparseProducts;
import org.coar.workbench.fit.sparse.TileMatrix;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;

/**
 * Least squares (λ = 0) for every output, following a {@link FitPlan}: a fit on the training rows
 * scored on the validation rows, and the fit on all rows that is written, each primal or dual.
 *
 * <p>Everything is computed in the standardised space of the masks' sparse side s (DESIGN.md,
 * "Solving"): z = (s − μ)/σ per component over the fit's rows, G = ZᵀZ/n, c = Zᵀ(ỹ − mean)/n. When s
 * is the ablated side (s = 1 − x) the keep-mask's z is −z, so weights change sign on writing; G is
 * the same. Primal fits share one square buffer: the training rows' G below the diagonal, all rows'
 * above (both have unit diagonals), each factorised in its own triangle, the two diagonals of the
 * factors kept aside and swapped in for each solve. Dual fits use w = Zᵀ K⁺ (ỹ − mean), K = ZZᵀ.
 */
final class LeastSquaresFit implements AutoCloseable {
    /** Cholesky retries with this jitter on the diagonal (G has a unit diagonal) before the eigendecomposition. */
    private static final double[] JITTERS = {0, 1e-12, 1e-10, 1e-8};
    /** Eigenvalues below this fraction of the largest count as zero for minimum-norm solutions. */
    static final double RANK_TOLERANCE = 1e-10;
    /** float32 solves get one step of refinement when κ₁ · 2⁻²⁴ exceeds this. */
    private static final double REFINE_ABOVE = 1e-4;
    /** The measured error (the sampled refinement's correction) above which every output column is refined. */
    private static final double REFINE_MEASURED_ABOVE = 1e-5;
    private static final double FLOAT_EPS = 0x1p-24;

    /** Receives the final fit's standardised weights (s-space), one block of outputs at a time. */
    interface WeightSink {
        void block(int firstExample, Matrix weights);
    }

    private final LinearAlgebra la;
    private final FitPlan plan;
    private final StorePass pass;
    private final StorePass.Masks read;
    private final boolean useBias;
    private final Consumer<Progress> progress;
    private final Cancellation cancel;
    private final Precision precision;
    private final String statisticsOption;

    final MaskStatistics trainStats;
    final MaskStatistics allStats;
    /** The fit's components: those varying over all rows, in order. */
    final int[] order;
    private final boolean[] trainActive;
    private final MaskBits bitsT;
    private final MaskBits bitsV;
    private final StorePass.SetSums sumsT;
    private final StorePass.SetSums sumsV;
    private final int m;
    private final int q;
    private final boolean hasValidation;
    private final Method trainMethod;
    private final Method finalMethod;
    private final Triangle finalTriangle;

    private Matrix gram;
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
    private Matrix kernelTrainVectors;
    private double[] kernelTrainValues;
    private Matrix kernelValidationTrain;
    private Matrix kernelFinalVectors;
    private double[] kernelFinalValues;

    final double[] validationMse;
    final double[] validationR2;
    final Map<String, Object> details = new LinkedHashMap<>();
    private int refinements;
    /** The largest relative correction the sampled refinement found: the float32 solve's measured error. */
    private double sampledCorrection = Double.NaN;
    private boolean denseStatistics;

    LeastSquaresFit(LinearAlgebra la, FitPlan plan, String statistics, StorePass pass, StorePass.Masks read, boolean useBias,
                    Consumer<Progress> progress, Cancellation cancel) {
        this.la = la;
        this.statisticsOption = statistics;
        this.plan = plan;
        this.pass = pass;
        this.read = read;
        this.useBias = useBias;
        this.progress = progress;
        this.cancel = cancel;
        this.precision = plan.precision();
        this.bitsT = read.train();
        this.bitsV = read.validation();
        this.sumsT = read.sums()[RowSplit.TRAIN];
        this.sumsV = read.sums()[RowSplit.VALIDATION];
        this.m = plan.shape().examples();
        this.hasValidation = bitsV.rows() > 0;
        this.trainStats = MaskStatistics.of(bitsT, bitsV, false);
        this.allStats = MaskStatistics.of(bitsT, bitsV, true);
        this.order = allStats.varying();
        this.q = order.length;
        this.trainActive = new boolean[q];
        int trainQ = 0;
        for (int a = 0; a < q; a++) {
            trainActive[a] = trainStats.varies(order[a]);
            trainQ += trainActive[a] ? 1 : 0;
        }
        // The plan chose with p components; with the rows and components actually kept, re-decide.
        this.trainMethod = !hasValidation ? Method.NONE : (bitsT.rows() - 1 >= trainQ ? Method.PRIMAL : Method.DUAL);
        this.finalMethod = allStats.rows - 1 >= q ? Method.PRIMAL : Method.DUAL;
        this.finalTriangle = hasValidation ? Triangle.UPPER : Triangle.LOWER;
        this.validationMse = new double[m];
        this.validationR2 = new double[m];
        Arrays.fill(validationMse, Double.NaN);
        Arrays.fill(validationR2, Double.NaN);
        details.put("training_fit", trainMethod.name().toLowerCase(java.util.Locale.ROOT));
        details.put("final_fit", finalMethod.name().toLowerCase(java.util.Locale.ROOT));
    }

    int varying() {
        return q;
    }

    /** Runs the plan, handing the final weights to {@code sink} block by block. */
    void run(WeightSink sink) {
        details.put("row_lists", listRows(plan, bitsT, bitsV));
        long t = System.nanoTime();
        if (q > 0) {
            setUp();
        }
        details.put("setup_seconds", seconds(t));
        denseStatistics = chooseStatistics();
        int width = plan.blockWidth();
        int blocks = (m + width - 1) / width;
        double statisticsSeconds = 0;
        double solveSeconds = 0;
        double readSeconds = 0;
        for (int k = 0; k < blocks; k++) {
            cancel.throwIfCancelled();
            int first = k * width;
            int w = Math.min(width, m - first);
            String label = blocks == 1 ? "" : "block " + (k + 1) + " of " + blocks + ": ";
            long r0 = System.nanoTime();
            TileMatrix[] tiles = outputs(first, w, k, label);
            readSeconds += seconds(r0);
            try {
                if (q == 0) {
                    if (trainMethod != Method.NONE) {
                        scoreConstant(first, w, tiles);
                    }
                    Matrix none = la.zeros(Precision.DOUBLE, 0, w);
                    try {
                        sink.block(first, none);
                    } finally {
                        la.free(none);
                    }
                } else {
                    long s0 = System.nanoTime();
                    Matrix[] cross = needsCross() ? cross(tiles, w, label) : null;
                    statisticsSeconds += seconds(s0);
                    long v0 = System.nanoTime();
                    Matrix weights = null;
                    try {
                        if (finalMethod == Method.PRIMAL) {
                            // c_a replaces C_v first (it needs C_t and C_v); C_t then serves the training fit.
                            rightHandSides(cross[0], cross[1], true, first, w, cross[1]);
                        }
                        if (trainMethod != Method.NONE) {
                            progress.accept(FitStages.solving(k, blocks, label + "training fit and validation"));
                            validate(first, w, tiles, cross);
                        }
                        progress.accept(FitStages.solving(k, blocks, label + "final fit"));
                        weights = solveFinal(first, w, tiles, cross);
                        solveSeconds += seconds(v0);
                        sink.block(first, weights);
                    } finally {
                        if (weights != null && (cross == null || weights != cross[1])) {
                            la.free(weights);
                        }
                        if (cross != null) {
                            la.free(cross[0]);
                            la.free(cross[1]);
                        }
                    }
                }
            } finally {
                for (TileMatrix tile : tiles) {
                    if (tile != null && !isFirstBlock(tile)) {
                        tile.close();
                    }
                }
            }
        }
        details.put("statistics", denseStatistics ? "dense GEMMs over the expanded masks" : "sparse: gathers over the set mask bits");
        details.put("reading_blocks_seconds", readSeconds);
        details.put("statistics_seconds", statisticsSeconds);
        details.put("solving_seconds", solveSeconds);
        details.put("refinement_steps", refinements);
        if (!Double.isNaN(sampledCorrection)) {
            details.put("float32_error_measured_on_" + REFINE_SAMPLE + "_columns", sampledCorrection);
        }
        if (!Double.isNaN(rcondTrain)) {
            details.put("training_gram_condition_estimate", 1 / rcondTrain);
        }
        if (!Double.isNaN(rcondFinal)) {
            details.put("final_gram_condition_estimate", 1 / rcondFinal);
        }
    }

    /**
     * Lists the set bits of both sets by block and component (faster gathers) when the plan leaves
     * room for them in its budget; says what it did, for report.json.
     */
    static String listRows(FitPlan plan, MaskBits... sets) {
        long need = 0;
        for (MaskBits b : sets) {
            need += org.coar.workbench.fit.sparse.RowLists.bytesFor(b);
        }
        long room = plan.budget().bytes() - plan.peakBytes();
        if (need > room) {
            return "not listed: " + Sizes.human(need) + " would exceed the budget's " + Sizes.human(Math.max(0, room))
                    + " left; the kernels decode the bits instead";
        }
        for (MaskBits b : sets) {
            b.listRows();
        }
        return "listed by block and component: " + Sizes.human(need);
    }

    private boolean isFirstBlock(TileMatrix tile) {
        for (TileMatrix t : read.firstBlock()) {
            if (t == tile) {
                return true;
            }
        }
        return false;
    }

    private boolean needsCross() {
        return trainMethod == Method.PRIMAL || finalMethod == Method.PRIMAL;
    }

    // ---------------------------------------------------------------- setup

    private void setUp() {
        boolean lower = trainMethod == Method.PRIMAL || (!hasValidation && finalMethod == Method.PRIMAL);
        boolean upper = hasValidation && finalMethod == Method.PRIMAL;
        if (lower || upper) {
            gram = la.zeros(precision, q, q);
            fillGram(gram, lower, upper, 0);
            if (trainMethod == Method.PRIMAL) {
                factor(Triangle.LOWER, true);
            }
            if (finalMethod == Method.PRIMAL) {
                factor(finalTriangle, false);
            }
            if (plan.validation() == Validation.PROJECTION && trainMethod == Method.PRIMAL && eigenTrain == null) {
                makeProjection();
            }
        }
        if (trainMethod == Method.DUAL) {
            makeTrainKernel();
        }
        if (finalMethod == Method.DUAL) {
            makeFinalKernel();
        }
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
        java.util.concurrent.atomic.AtomicLong blocksDone = new java.util.concurrent.atomic.AtomicLong();
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
        details.merge("gram_seconds", seconds(t), (x, y) -> (double) x + (double) y);
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
            info.put("factorisation_seconds", seconds(t0));
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

    private static int rank(double[] values) {
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
    private void makeProjection() {
        progress.accept(FitStages.solving(0, 1, "projecting the " + bitsV.rows() + " validation rows through the training Gram"));
        long t = System.nanoTime();
        projection = standardisedColumns(bitsV, null, trainStats, true);
        useDiagonal(diagonalTrain);
        la.choleskySolveColumns(gram, Triangle.LOWER, projection);
        details.put("projection_seconds", seconds(t));
    }

    /** Zᵀ (q × rows) of the given sets (rows of the first, then of the second) standardised with {@code stats}. */
    private Matrix standardisedColumns(MaskBits first, MaskBits second, MaskStatistics stats, boolean trainOnly) {
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

    private void makeTrainKernel() {
        progress.accept(FitStages.solving(0, 1, "kernel of the " + bitsT.rows() + " training rows (dual)"));
        long t = System.nanoTime();
        Matrix zt = standardisedColumns(bitsT, null, trainStats, true);
        Matrix zv = standardisedColumns(bitsV, null, trainStats, true);
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
        details.put("training_kernel_seconds", seconds(t));
        details.put("training_kernel_rank", rank(kernelTrainValues));
    }

    private void makeFinalKernel() {
        progress.accept(FitStages.solving(0, 1, "kernel of all " + allStats.rows + " rows (dual)"));
        long t = System.nanoTime();
        Matrix za = standardisedColumns(bitsT, bitsV, allStats, false);
        try {
            SymmetricEigen eigen = kernelEigen(za);
            kernelFinalVectors = eigen.vectors();
            kernelFinalValues = eigen.values();
        } finally {
            la.free(za);
        }
        details.put("final_kernel_seconds", seconds(t));
        details.put("final_kernel_rank", rank(kernelFinalValues));
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

    // ---------------------------------------------------------------- blocks

    private TileMatrix[] outputs(int first, int w, int k, String label) {
        TileMatrix[] firstBlock = read.firstBlock();
        TileMatrix[] tiles = new TileMatrix[3];
        for (int s = RowSplit.TRAIN; s <= RowSplit.VALIDATION; s++) {
            int rows = read.bits()[s].rows();
            if (rows == 0) {
                continue;
            }
            if (k == 0 && firstBlock[s] != null && firstBlock[s].cols() == w) {
                tiles[s] = firstBlock[s];
            } else {
                progress.accept(FitStages.reading(k, plan.blocks(), label + "reading outputs " + first + ".." + (first + w - 1)));
                tiles[s] = TileMatrix.floats(rows, w);
                pass.readOutputs(read, s, first, w, tiles[s]);
            }
        }
        return tiles;
    }

    /** Sᵀ Ỹ per set for this block (q × w, float64). */
    private Matrix[] cross(TileMatrix[] tiles, int w, String label) {
        progress.accept(FitStages.solving(0, 1, label + "Sᵀ Y (" + (denseStatistics ? "dense" : "sparse") + ")"));
        Matrix ct = la.zeros(Precision.DOUBLE, q, w);
        Matrix cv = la.zeros(Precision.DOUBLE, q, w);
        if (tiles[RowSplit.TRAIN] != null) {
            gather(bitsT, tiles[RowSplit.TRAIN], ct);
        }
        if (tiles[RowSplit.VALIDATION] != null) {
            gather(bitsV, tiles[RowSplit.VALIDATION], cv);
        }
        return new Matrix[] {ct, cv};
    }

    private void gather(MaskBits bits, TileMatrix y, Matrix c) {
        if (denseStatistics) {
            DenseStatistics.gather(la, bits, order, y, c, cancel);
        } else {
            SparseProducts.gather(bits, order, y, c, cancel);
        }
    }

    /** Times the sparse gather and the dense GEMM on a sample of the first block; the faster one serves every block. */
    private boolean chooseStatistics() {
        String forced = statisticsOption;
        if (!needsCross() || q == 0) {
            return false;
        }
        if (!forced.equals("auto")) {
            details.put("statistics_choice", forced + " (workbench.statistics)");
            return forced.equals("dense");
        }
        DenseStatistics.Timing timing = DenseStatistics.compare(la, bitsT, order, read.firstBlock()[RowSplit.TRAIN],
                allStats.rows, m, plan.blocks(), cancel);
        details.put("statistics_choice", timing.describe());
        return timing.denseFaster();
    }

    /**
     * Writes into {@code into} (q × w, float64; may be {@code cv}) the standardised right-hand sides
     * c = (C − μ Σỹ)/(n σ) of the training fit (from C_t) or of the final fit (from C_t + C_v).
     */
    private void rightHandSides(Matrix ct, Matrix cv, boolean all, int first, int w, Matrix into) {
        MaskStatistics stats = all ? allStats : trainStats;
        double n = stats.rows;
        double[] row = new double[w];
        double[] rowV = new double[w];
        double[] outSums = new double[w];
        for (int j = 0; j < w; j++) {
            outSums[j] = sumsT.outputSums[first + j] + (all ? sumsV.outputSums[first + j] : 0);
        }
        for (int a = 0; a < q; a++) {
            int i = order[a];
            if (!all && !trainActive[a]) {
                java.util.Arrays.fill(row, 0);
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

    /** Solves G W = C of the training (or final) fit: {@code rhs} (float64) becomes W, in the plan's precision. */
    private void solve(boolean train, Matrix rhs) {
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

    private static void copyInto(Matrix from, Matrix to) {
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

    /** Intercept of a fit in ỹ units (ỹ = y − shift): its rows' mean, or −shift without cfg.use_bias. */
    private double interceptShifted(boolean all, int j) {
        if (!useBias) {
            return -read.shift()[j];
        }
        double sum = sumsT.outputSums[j] + (all ? sumsV.outputSums[j] : 0);
        return sum / (all ? allStats.rows : trainStats.rows);
    }

    /** Validation MSE and R² of the training fit for this block; C_t (cross[0]) becomes the training fit's c_t, then scratch. */
    private void validate(int first, int w, TileMatrix[] tiles, Matrix[] cross) {
        int nv = bitsV.rows();
        TileMatrix yv = tiles[RowSplit.VALIDATION];
        double[] none = new double[w];
        if (trainMethod == Method.DUAL) {
            Matrix p = kernelPredictions(first, w, tiles[RowSplit.TRAIN]);
            try {
                score(first, yv, ValidationErrors.ofRows(p), none);
            } finally {
                la.free(p);
            }
        } else if (projection != null) {
            Matrix ct = cross[0];
            rightHandSides(ct, null, false, first, w, ct);
            Matrix c = precision == Precision.DOUBLE ? ct : la.zeros(precision, q, w);
            Matrix p = la.zeros(precision, nv, w);
            try {
                if (c != ct) {
                    copyInto(ct, c);
                }
                la.gemm(1, projection, true, c, false, 0, p);
                score(first, yv, ValidationErrors.ofRows(p), none);
            } finally {
                la.free(p);
                if (c != ct) {
                    la.free(c);
                }
            }
        } else {
            try (TileMatrix predictions = TileMatrix.doubles(nv, w)) {
                double[] offset = weightPredictions(first, w, cross[0], predictions);
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
    private double[] weightPredictions(int first, int w, Matrix u, TileMatrix predictions) {
        rightHandSides(u, null, false, first, w, u);
        solve(true, u);
        double[] offset = toRaw(u, trainStats, true);
        SparseProducts.scatter(bitsV, order, u, predictions, cancel);
        return offset;
    }

    /** W ↦ U = W/σ in place (0 for components outside the fit); returns −μᵀU per column. */
    private double[] toRaw(Matrix weights, MaskStatistics stats, boolean trainOnly) {
        int w = weights.cols();
        double[] row = new double[w];
        double[] offset = new double[w];
        for (int a = 0; a < q; a++) {
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

    /** K_vt α with α = K_t⁺ (ỹ_t − mean) for this block (validation rows × outputs, float64). */
    private Matrix kernelPredictions(int first, int w, TileMatrix yt) {
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
                double inv = values[k] > RANK_TOLERANCE * largest ? 1 / values[k] : 0;
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

    /**
     * The final fit's standardised weights (s-space) for this block: for the primal fit solved in
     * place in cross[1], which already holds c_a (cross[0] is scratch); for the dual a new matrix.
     */
    private Matrix solveFinal(int first, int w, TileMatrix[] tiles, Matrix[] cross) {
        if (finalMethod == Method.DUAL) {
            Matrix weights = la.zeros(Precision.DOUBLE, q, w);
            try {
                dualWeights(first, w, tiles, weights);
                return weights;
            } catch (RuntimeException | Error e) {
                la.free(weights);
                throw e;
            }
        }
        Matrix weights = cross[1];
        int steps = 0;
        if (precision == Precision.FLOAT && eigenFinalPrimal == null) {
            double error = FLOAT_EPS / rcondFinal;
            // No estimate (a GPU backend): refine once, which is cheap next to the solve there.
            steps = Double.isNaN(error) ? 1 : error > REFINE_ABOVE ? (error > 1e-2 ? 2 : 1) : 0;
        }
        Matrix c = cross[0];
        if (steps > 0) {
            c.copyFrom(weights); // keep c_a for the residuals
        }
        solve(false, weights);
        if (steps > 0) {
            // The condition estimate bounds the error from above, often far above. The first refinement step's
            // correction measures it: refine a sample of columns, and the rest only where the sample needs it
            // (each step re-reads the mask bits for every output column, the cost of the whole statistics pass).
            int sample = Math.min(w, REFINE_SAMPLE);
            double correction = refine(c, weights, 0, sample);
            sampledCorrection = Double.isNaN(sampledCorrection) ? correction : Math.max(sampledCorrection, correction);
            if (correction > REFINE_MEASURED_ABOVE) {
                refine(c, weights, sample, w);
                refinements++;
                for (int step = 1; step < steps; step++) {
                    refine(c, weights, 0, w);
                    refinements++;
                }
            }
        }
        return weights;
    }

    /** Output columns whose refinement measures the float32 solve's error before all columns are refined. */
    static final int REFINE_SAMPLE = 64;

    /** Output columns refined at a time: bounds the refinement's scratch to a few hundred MiB at any width. */
    static final int REFINE_COLUMNS = 512;

    /**
     * One step of iterative refinement of output columns [from, to): W += G⁻¹ (c − G W), with G W
     * computed exactly (float64) through the mask bits, {@link #REFINE_COLUMNS} columns at a time.
     * Returns the largest correction relative to its column of W (the float32 solve's error).
     */
    private double refine(Matrix c, Matrix weights, int from, int to) {
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
                    double[] offset = toRaw(uk, allStats, false); // U = W/σ; offset = −μᵀU
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
                    solve(false, uk);
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

    /** W = Zᵀ α = D⁻¹ (Sᵀ α − μ Σα) for the final dual fit, through the mask bits. */
    private void dualWeights(int first, int w, TileMatrix[] tiles, Matrix weights) {
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

    private void scoreConstant(int first, int w, TileMatrix[] tiles) {
        score(first, tiles[RowSplit.VALIDATION], ValidationErrors.NONE, new double[w]);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    @Override
    public void close() {
        for (Matrix mtx : new Matrix[] {gram, eigenTrain, eigenFinalPrimal, projection, kernelTrainVectors, kernelValidationTrain,
                kernelFinalVectors}) {
            if (mtx != null) {
                la.free(mtx);
            }
        }
    }
}
