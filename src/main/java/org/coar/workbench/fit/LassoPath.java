package org.coar.workbench.fit;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;

/**
 * The reference's lasso path (MadryLab/fast_l1 {@code train_saga}, driven by datamodels'
 * {@code compute_datamodels.py}), solved exactly on the Gram form for all examples together.
 *
 * <p>Semantics kept from the reference: objective (1/2n)‖y − b − Zw‖² + λ‖w‖₁ on masks
 * standardised with the training rows' mean and std; the path starts with λ = 0 (the reference's
 * λ starts at zero and solves it before λ_max), then λ_t = λ_max · eps^(t/k) for t = 0..k−1
 * (its {@code lam_decay = exp(log(eps)/k)}); each example keeps the λ with the lowest validation
 * MSE (ties go to the later, smaller λ); an example leaves the path once its validation MSE rises
 * after at least 10 λ's with more than one non-zero weight; the final model is refitted on
 * training + validation rows at the chosen λ. {@code cfg.manual_max_lambda} ≥ 0 replaces λ_max.
 *
 * <p>One deliberate difference: λ_max is computed for the standardised problem,
 * max_i |z_iᵀ(y − ȳ)| / n, the smallest λ whose solution is 0. The reference computes it from the
 * raw 0/1 masks, which is smaller by each component's std (≈ 0.3 at keep probability 0.9).
 */
final class LassoPath {
    private static final int MIN_LAMBDAS_BEFORE_STOPPING = 10;

    /** Sees every λ step of the training path (tests check KKT conditions with it). */
    interface Observer {
        /**
         * @param lambdaOfExample λ per example, NaN for examples no longer on the path
         * @param weights         example-major weights (original order) of the examples on the path
         */
        void solved(double[] lambdaOfExample, double[][] weights);
    }

    private final LinearAlgebra la;
    private final FitConfig config;
    private final Consumer<Progress> listener;
    private final Cancellation cancel;
    private Observer observer;

    LassoPath(LinearAlgebra la, FitConfig config, Consumer<Progress> listener, Cancellation cancel) {
        this.la = la;
        this.config = config;
        this.listener = listener;
        this.cancel = cancel;
    }

    LassoPath observe(Observer o) {
        this.observer = o;
        return this;
    }

    /** λ_max of every example for this problem (or cfg.manual_max_lambda when set). */
    double[] lambdaMax(StandardisedProblem problem) {
        int m = problem.examples();
        double[] max = new double[m];
        if (config.manualMaxLambda() >= 0) {
            Arrays.fill(max, config.manualMaxLambda());
            return max;
        }
        double[] row = new double[problem.size()];
        for (int j = 0; j < m; j++) {
            problem.cross.getRow(j, row);
            for (double v : row) {
                max[j] = Math.max(max[j], Math.abs(v));
            }
        }
        return max;
    }

    /** Path factors (λ_t / λ_max), or with workbench.lambdas the absolute λ's; largest first, zeros dropped. */
    double[] pathValues() {
        if (!config.lambdas().isEmpty()) {
            return config.lambdas().stream().mapToDouble(Double::doubleValue).filter(v -> v > 0).distinct().boxed()
                    .sorted((a, b) -> Double.compare(b, a)).mapToDouble(Double::doubleValue).toArray();
        }
        double decay = Math.exp(Math.log(config.eps()) / config.k());
        double[] f = new double[config.k()];
        for (int t = 0; t < f.length; t++) {
            f[t] = Math.pow(decay, t);
        }
        return f;
    }

    boolean zeroIsCandidate() {
        return config.includeZeroLambda() || config.manualMaxLambda() == 0 || config.lambdas().contains(0.0);
    }

    Solution run(StandardisedProblem train, ValidationScorer scorer, StandardisedProblem finalProblem, Map<String, Object> details) {
        int m = train.examples();
        int q = train.size();
        double[] lambdaMax = lambdaMax(train);
        double[] values = pathValues();
        boolean absolute = !config.lambdas().isEmpty();
        boolean zero = zeroIsCandidate();
        int steps = (zero ? 1 : 0) + values.length;
        double[] best = new double[m];
        double[] bestMse = new double[m];
        double[] lastMse = new double[m];
        int[] done = new int[m];
        Arrays.fill(best, Double.NaN);
        Arrays.fill(bestMse, Double.POSITIVE_INFINITY);
        Arrays.fill(lastMse, Double.POSITIVE_INFINITY);
        double[] trainBias = config.useBias() ? train.outputMean : new double[m];
        Matrix bestWeights = la.zeros(Precision.DOUBLE, m, q);
        Map<String, Object> pathDetails = new LinkedHashMap<>();
        int step = 0;
        try {
            if (zero) {
                Map<String, Object> olsDetails = new LinkedHashMap<>();
                Matrix w = OlsSolver.solve(la, train, olsDetails);
                try {
                    double[] mse = scorer == null ? new double[m] : scorer.meanSquaredError(w, m, FitService.identity(m), trainBias);
                    for (int j = 0; j < m; j++) {
                        best[j] = 0;
                        bestMse[j] = mse[j];
                        lastMse[j] = mse[j];
                        done[j] = 1;
                    }
                    bestWeights.copyFrom(w);
                    if (observer != null) {
                        double[] lam = new double[m];
                        observer.solved(lam, rows(w, FitService.identity(m), m));
                    }
                } finally {
                    la.free(w);
                }
                pathDetails.put("lambda_0", olsDetails);
                progress(++step, steps, "λ = 0 (least squares)", m);
            }
            boolean positive = Arrays.stream(lambdaMax).anyMatch(v -> v > 0) && values.length > 0;
            if (positive) {
                walk(train, scorer, values, absolute, lambdaMax, trainBias, best, bestMse, lastMse, done, bestWeights,
                        pathDetails, step, steps);
            }
            for (int j = 0; j < m; j++) {
                if (Double.isNaN(best[j])) {
                    best[j] = 0; // λ_max = 0: the data say nothing, every path value is 0
                }
            }
            double[] mse = scorer == null ? nanArray(m) : bestMse;
            double[] r2 = scorer == null ? nanArray(m) : FitService.rSquared(scorer, bestMse);
            details.put("lambda_max", summary(lambdaMax));
            details.put("path", absolute ? "workbench.lambdas (absolute λ's)" : "λ_max · eps^(t/k), t = 0.." + (values.length - 1)
                    + " (smallest " + String.format(Locale.ROOT, "%.4g", values[values.length - 1]) + " · λ_max)");
            details.put("path_values", values);
            details.put("zero_lambda_tried", zero);
            details.put("training_path", pathDetails);
            Matrix weights = refit(train, finalProblem, best, bestWeights, details);
            double[] bias = config.useBias() ? finalProblem.outputMean.clone() : new double[m];
            return new Solution(weights, bias, best, mse, r2, details);
        } finally {
            la.free(bestWeights);
        }
    }

    private void walk(StandardisedProblem train, ValidationScorer scorer, double[] values, boolean absolute, double[] lambdaMax,
                      double[] trainBias, double[] best, double[] bestMse, double[] lastMse, int[] done, Matrix bestWeights,
                      Map<String, Object> pathDetails, int step, int steps) {
        int m = train.examples();
        int q = train.size();
        double[] scale = train.outputVariance.clone();
        for (int j = 0; j < m; j++) {
            scale[j] = Math.max(scale[j], Double.MIN_NORMAL);
        }
        try (CoordinateDescent cd = new CoordinateDescent(la, train.gram, train.cross, scale, config.tolerance(),
                config.maxSweeps(), cancel)) {
            int onPath = m;
            double[] lambda = new double[m];
            double[] previous = new double[m];
            double[] wr = new double[q];
            // The path starts at λ_max (or the largest absolute λ) with w = 0, which is exact there.
            for (int j = 0; j < m; j++) {
                previous[j] = absolute ? Math.max(values[0], lambdaMax[j]) : lambdaMax[j];
            }
            for (int t = 0; t < values.length && onPath > 0; t++) {
                for (int p = 0; p < onPath; p++) {
                    int j = cd.exampleAt[p];
                    lambda[j] = absolute ? values[t] : lambdaMax[j] * values[t];
                }
                long sweepsBefore = cd.sweeps;
                cd.solve(onPath, lambda, previous);
                double[] bias = new double[onPath];
                for (int p = 0; p < onPath; p++) {
                    bias[p] = trainBias[cd.exampleAt[p]];
                }
                double[] mse = scorer == null ? new double[onPath] : scorer.meanSquaredError(cd.weights, onPath, cd.exampleAt, bias);
                if (observer != null) {
                    double[] lam = nanArray(m);
                    int[] ids = Arrays.copyOf(cd.exampleAt, onPath);
                    for (int j : ids) {
                        lam[j] = lambda[j];
                    }
                    observer.solved(lam, rows(cd.weights, cd.exampleAt, onPath));
                }
                boolean last = t == values.length - 1;
                boolean[] leaves = new boolean[onPath];
                for (int p = 0; p < onPath; p++) {
                    int j = cd.exampleAt[p];
                    done[j]++;
                    if (mse[p] <= bestMse[j]) {
                        bestMse[j] = mse[p];
                        best[j] = lambda[j];
                        cd.weights.getRow(p, wr);
                        bestWeights.setRow(j, wr);
                    }
                    boolean gotWorse = scorer != null && mse[p] > lastMse[j] && done[j] >= MIN_LAMBDAS_BEFORE_STOPPING
                            && nonZeros(cd.weights, p, wr) > 1;
                    lastMse[j] = mse[p];
                    leaves[p] = last || gotWorse;
                    previous[j] = lambda[j];
                }
                int stayed = onPath;
                for (int p = onPath - 1; p >= 0; p--) {
                    if (leaves[p]) {
                        cd.swap(p, --stayed);
                    }
                }
                pathDetails.put("lambda_" + (t + 1), Map.of("examples", onPath, "sweeps", cd.sweeps - sweepsBefore));
                onPath = stayed;
                progress(step + t + 1, steps, String.format(Locale.ROOT, "λ %d/%d (%.3g%s)", t + 1, values.length, values[t],
                        absolute ? "" : " × λ_max"), onPath);
            }
            pathDetails.put("coordinate_updates", cd.coordinateUpdates);
            pathDetails.put("sweeps_total", cd.sweeps);
            pathDetails.put("kkt_violations_fixed", cd.kktViolations);
            pathDetails.put("unconverged_solves", cd.unconverged);
        }
    }

    /** The final fit on the final problem's rows at each example's chosen λ, warm-started from the training solution. */
    private Matrix refit(StandardisedProblem train, StandardisedProblem finalProblem, double[] best, Matrix bestWeights,
                         Map<String, Object> details) {
        int m = finalProblem.examples();
        int q = finalProblem.size();
        Map<String, Object> refitDetails = new LinkedHashMap<>();
        boolean anyZero = Arrays.stream(best).anyMatch(v -> v == 0);
        boolean anyPositive = Arrays.stream(best).anyMatch(v -> v > 0);
        Matrix result = la.zeros(Precision.DOUBLE, m, q);
        if (anyZero) {
            Map<String, Object> olsDetails = new LinkedHashMap<>();
            Matrix ols = OlsSolver.solve(la, finalProblem, olsDetails);
            result.copyFrom(ols);
            la.free(ols);
            refitDetails.put("lambda_0", olsDetails);
        }
        if (anyPositive) {
            double[] scale = finalProblem.outputVariance.clone();
            for (int j = 0; j < m; j++) {
                scale[j] = Math.max(scale[j], Double.MIN_NORMAL);
            }
            int[] finalIndexOf = new int[finalProblem.std.length];
            Arrays.fill(finalIndexOf, -1);
            for (int b = 0; b < q; b++) {
                finalIndexOf[finalProblem.active[b]] = b;
            }
            try (CoordinateDescent cd = new CoordinateDescent(la, finalProblem.gram, finalProblem.cross, scale,
                    config.tolerance(), config.maxSweeps(), cancel)) {
                // Positions 0..count-1: the examples with λ > 0, warm-started from the training path, the weights
                // rescaled from the training std to the final std (same raw effect).
                int count = 0;
                for (int j = 0; j < m; j++) {
                    if (best[j] > 0) {
                        cd.swap(count, positionOf(cd, j, count));
                        count++;
                    }
                }
                Matrix start = la.zeros(Precision.DOUBLE, count, q);
                double[] from = new double[train.size()];
                double[] to = new double[q];
                for (int p = 0; p < count; p++) {
                    bestWeights.getRow(cd.exampleAt[p], from);
                    Arrays.fill(to, 0);
                    for (int a = 0; a < train.size(); a++) {
                        int i = train.active[a];
                        int b = finalIndexOf[i];
                        if (b >= 0) {
                            to[b] = from[a] * finalProblem.std[i] / train.std[i];
                        }
                    }
                    start.setRow(p, to);
                }
                cd.warmStart(start, count);
                la.free(start);
                // No strong rule here (no previous λ on these rows): every coordinate starts eligible, which costs
                // little for coordinates that stay at 0 and saves the re-sweeps that KKT violations would cause.
                double[] everything = new double[m];
                java.util.Arrays.fill(everything, Double.POSITIVE_INFINITY);
                cd.solve(count, best, everything);
                double[] row = new double[q];
                for (int p = 0; p < count; p++) {
                    cd.weights.getRow(p, row);
                    result.setRow(cd.exampleAt[p], row);
                }
                refitDetails.put("lasso_examples", count);
                refitDetails.put("sweeps", cd.sweeps);
                refitDetails.put("kkt_violations_fixed", cd.kktViolations);
                refitDetails.put("unconverged", cd.unconverged);
            }
        }
        details.put("final_fit", refitDetails);
        progress(1, 1, "refit on training + validation rows", 0);
        return result;
    }

    private static int positionOf(CoordinateDescent cd, int example, int from) {
        for (int p = from; p < cd.exampleAt.length; p++) {
            if (cd.exampleAt[p] == example) {
                return p;
            }
        }
        throw new IllegalStateException("example " + example + " not found");
    }

    private void progress(int step, int steps, String what, int onPath) {
        listener.accept(FitStages.solving(step, steps + 1,
                what + (onPath > 0 ? ", " + onPath + " examples still on the path" : "")));
    }

    private static int nonZeros(Matrix w, int row, double[] scratch) {
        w.getRow(row, scratch);
        int n = 0;
        for (double v : scratch) {
            if (v != 0) {
                n++;
            }
        }
        return n;
    }

    private static double[][] rows(Matrix w, int[] exampleAt, int count) {
        double[][] out = new double[exampleAt.length][];
        for (int p = 0; p < count; p++) {
            double[] row = new double[w.cols()];
            w.getRow(p, row);
            out[exampleAt[p]] = row;
        }
        return out;
    }

    private static double[] nanArray(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    private static Map<String, Double> summary(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? Map.of() : Map.of("min", sorted[0], "median", sorted[sorted.length / 2], "max", sorted[sorted.length - 1]);
    }
}
