package org.coar.workbench.fit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.coar.workbench.Sizes;
import org.coar.workbench.fit.FitPlan.Method;
import org.coar.workbench.fit.FitPlan.Validation;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.fit.linalg.Triangle;
import org.coar.workbench.fit.sparse.MaskBits;
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
 *
 * <p>This class chooses each fit's method, reads the output blocks and computes their statistics Sᵀ Ỹ;
 * {@link LeastSquaresGram} owns the primal Gram and its factors, {@link DualKernels} the dual fits,
 * {@link Float32Refinement} the final primal solve's refinement, {@link LeastSquaresValidation} the
 * validation scores, and {@link LeastSquaresProblem} the rows, components and standardisation they share.
 */
final class LeastSquaresFit implements AutoCloseable {
    /** Receives the final fit's standardised weights (s-space), one block of outputs at a time. */
    interface WeightSink {
        void block(int firstExample, Matrix weights);
    }

    private final LinearAlgebra la;
    private final FitPlan plan;
    private final StorePass pass;
    private final StorePass.Masks read;
    private final Consumer<Progress> progress;
    private final Cancellation cancel;
    private final Precision precision;
    private final String statisticsOption;

    private final LeastSquaresProblem problem;
    final MaskStatistics trainStats;
    final MaskStatistics allStats;
    /** The fit's components: those varying over all rows, in order. */
    final int[] order;
    private final MaskBits bitsT;
    private final MaskBits bitsV;
    private final int m;
    private final int q;
    private final boolean hasValidation;
    private final Method trainMethod;
    private final Method finalMethod;
    private final Triangle finalTriangle;
    private final Float32Refinement refinement;
    private final LeastSquaresValidation validation;

    /** The primal fits' Gram; {@code null} when neither fit is primal. */
    private LeastSquaresGram gram;
    /** The dual fits' kernels; {@code null} when neither fit is dual. */
    private DualKernels kernels;

    final double[] validationMse;
    final double[] validationR2;
    final Map<String, Object> details = new LinkedHashMap<>();
    private boolean denseStatistics;

    LeastSquaresFit(LinearAlgebra la, FitPlan plan, String statistics, StorePass pass, StorePass.Masks read, boolean useBias,
                    Consumer<Progress> progress, Cancellation cancel) {
        this.la = la;
        this.statisticsOption = statistics;
        this.plan = plan;
        this.pass = pass;
        this.read = read;
        this.progress = progress;
        this.cancel = cancel;
        this.precision = plan.precision();
        this.problem = LeastSquaresProblem.of(read);
        this.bitsT = problem.train();
        this.bitsV = problem.validation();
        this.m = plan.shape().examples();
        this.hasValidation = bitsV.rows() > 0;
        this.trainStats = problem.trainStats();
        this.allStats = problem.allStats();
        this.order = problem.order();
        this.q = problem.q();
        int trainQ = problem.trainVarying();
        // The plan chose with p components; with the rows and components actually kept, re-decide.
        this.trainMethod = !hasValidation ? Method.NONE : (bitsT.rows() - 1 >= trainQ ? Method.PRIMAL : Method.DUAL);
        this.finalMethod = allStats.rows - 1 >= q ? Method.PRIMAL : Method.DUAL;
        this.finalTriangle = hasValidation ? Triangle.UPPER : Triangle.LOWER;
        this.refinement = new Float32Refinement(la, precision, problem, progress, cancel);
        this.validation = new LeastSquaresValidation(la, precision, problem, trainMethod, useBias, read.shift(), m, cancel);
        this.validationMse = validation.validationMse;
        this.validationR2 = validation.validationR2;
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
                        validation.scoreConstant(first, w, tiles);
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
                            problem.rightHandSides(cross[0], cross[1], true, first, w, cross[1]);
                        }
                        if (trainMethod != Method.NONE) {
                            progress.accept(FitStages.solving(k, blocks, label + "training fit and validation"));
                            validation.validate(gram, kernels, first, w, tiles, cross);
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
                if (k == 0) {
                    read.releaseFirstBlock();
                }
            }
        }
        details.put("statistics", denseStatistics ? "dense GEMMs over the expanded masks" : "sparse: gathers over the set mask bits");
        details.put("reading_blocks_seconds", readSeconds);
        details.put("statistics_seconds", statisticsSeconds);
        details.put("solving_seconds", solveSeconds);
        refinement.report(details);
        if (gram != null) {
            gram.report(details);
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
            gram = new LeastSquaresGram(la, precision, problem, finalTriangle, progress, cancel, details);
            gram.fill(lower, upper);
            if (trainMethod == Method.PRIMAL) {
                gram.factorTraining();
            }
            if (finalMethod == Method.PRIMAL) {
                gram.factorFinal();
            }
            if (plan.validation() == Validation.PROJECTION && trainMethod == Method.PRIMAL && gram.trainingFactored()) {
                gram.makeProjection();
            }
        }
        if (trainMethod == Method.DUAL || finalMethod == Method.DUAL) {
            kernels = new DualKernels(la, precision, problem, progress, cancel, details);
        }
        if (trainMethod == Method.DUAL) {
            kernels.makeTrainKernel();
        }
        if (finalMethod == Method.DUAL) {
            kernels.makeFinalKernel();
        }
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
     * The final fit's standardised weights (s-space) for this block: for the primal fit solved in
     * place in cross[1], which already holds c_a (cross[0] is scratch); for the dual a new matrix.
     */
    private Matrix solveFinal(int first, int w, TileMatrix[] tiles, Matrix[] cross) {
        if (finalMethod == Method.DUAL) {
            Matrix weights = la.zeros(Precision.DOUBLE, q, w);
            try {
                kernels.dualWeights(first, w, tiles, weights);
                return weights;
            } catch (RuntimeException | Error e) {
                la.free(weights);
                throw e;
            }
        }
        Matrix weights = cross[1];
        refinement.solveFinal(gram, cross[0], weights, w);
        return weights;
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    @Override
    public void close() {
        if (gram != null) {
            gram.close();
        }
        if (kernels != null) {
            kernels.close();
        }
    }
}
