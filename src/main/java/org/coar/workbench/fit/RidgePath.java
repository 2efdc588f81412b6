package org.coar.workbench.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.fit.linalg.SymmetricEigen;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;

/**
 * Ridge, min ½wᵀGw − cᵀw + ½λ‖w‖², along a grid of λ: one eigendecomposition G = QᵀΛQ serves
 * every λ (w = Qᵀ diag(1/(Λ+λ)) Q c), each example takes the λ with the lowest validation error,
 * and the final fit on training + validation rows uses one more eigendecomposition.
 */
final class RidgePath {
    /** 10², 10^1.5, ..., 10⁻⁴: G has unit diagonal, so λ is relative to a component's own variance. */
    static final List<Double> DEFAULT_GRID;

    static {
        List<Double> grid = new ArrayList<>();
        for (int t = 0; t <= 12; t++) {
            grid.add(Math.pow(10, 2 - 0.5 * t));
        }
        DEFAULT_GRID = List.copyOf(grid);
    }

    private static final double RANK_TOLERANCE = 1e-10;

    private final LinearAlgebra la;
    private final FitConfig config;
    private final Consumer<Progress> listener;
    private final Cancellation cancel;

    RidgePath(LinearAlgebra la, FitConfig config, Consumer<Progress> listener, Cancellation cancel) {
        this.la = la;
        this.config = config;
        this.listener = listener;
        this.cancel = cancel;
    }

    /** The λ's tried, largest first. */
    double[] grid() {
        List<Double> values = new ArrayList<>(config.lambdas().isEmpty() ? DEFAULT_GRID : config.lambdas());
        if (config.includeZeroLambda()) {
            values.add(0.0);
        }
        return values.stream().mapToDouble(Double::doubleValue).distinct().boxed()
                .sorted((a, b) -> Double.compare(b, a)).mapToDouble(Double::doubleValue).toArray();
    }

    Solution run(StandardisedProblem train, ValidationScorer scorer, StandardisedProblem finalProblem, Map<String, Object> details) {
        int m = train.examples();
        double[] grid = grid();
        double[] best = new double[m];
        double[] bestMse = new double[m];
        Arrays.fill(bestMse, Double.POSITIVE_INFINITY);
        Arrays.fill(best, grid[grid.length - 1]);
        double[] bias = config.useBias() ? train.outputMean : new double[m];
        int[] ids = FitService.identity(m);
        if (scorer != null && grid.length > 1) {
            SymmetricEigen eigen = la.symmetricEigen(train.gram);
            Matrix projected = la.zeros(Precision.DOUBLE, m, train.size());
            Matrix scaled = la.zeros(Precision.DOUBLE, m, train.size());
            Matrix weights = la.zeros(Precision.DOUBLE, m, train.size());
            try {
                la.gemm(1, train.cross, false, eigen.vectors(), true, 0, projected);
                for (int t = 0; t < grid.length; t++) {
                    cancel.throwIfCancelled();
                    double[] factor = factors(eigen.values(), grid[t]);
                    scaleColumns(projected, factor, scaled);
                    la.gemm(1, scaled, false, eigen.vectors(), false, 0, weights);
                    double[] mse = scorer.meanSquaredError(weights, m, ids, bias);
                    for (int j = 0; j < m; j++) {
                        if (mse[j] <= bestMse[j]) {
                            bestMse[j] = mse[j];
                            best[j] = grid[t];
                        }
                    }
                    listener.accept(FitStages.solving(t + 1, grid.length + 1,
                            String.format(java.util.Locale.ROOT, "ridge λ %d/%d (%.3g)", t + 1, grid.length, grid[t])));
                }
                details.put("train_eigenvalues", Map.of("min", eigen.values()[0], "max", eigen.values()[train.size() - 1]));
            } finally {
                la.free(projected);
                la.free(scaled);
                la.free(weights);
                la.free(eigen.vectors());
            }
        }
        double[] r2;
        if (scorer != null && grid.length == 1) {
            bestMse = validationOfSingle(train, scorer, grid[0], bias);
        }
        if (scorer != null) {
            r2 = FitService.rSquared(scorer, bestMse);
        } else {
            Arrays.fill(bestMse, Double.NaN);
            r2 = bestMse.clone();
        }
        details.put("grid", grid);
        Map<String, Integer> chosen = new LinkedHashMap<>();
        for (double lam : grid) {
            chosen.put(Double.toString(lam), (int) Arrays.stream(best).filter(b -> b == lam).count());
        }
        details.put("examples_per_lambda", chosen);
        Matrix finalWeights = solveAt(finalProblem, best);
        double[] finalBias = config.useBias() ? finalProblem.outputMean.clone() : new double[m];
        return new Solution(finalWeights, finalBias, best, bestMse, r2, details);
    }

    private double[] validationOfSingle(StandardisedProblem train, ValidationScorer scorer, double lambda, double[] bias) {
        double[] lambdas = new double[train.examples()];
        Arrays.fill(lambdas, lambda);
        Matrix w = solveAt(train, lambdas);
        try {
            return scorer.meanSquaredError(w, train.examples(), FitService.identity(train.examples()), bias);
        } finally {
            la.free(w);
        }
    }

    /** Weights at each example's own λ. */
    private Matrix solveAt(StandardisedProblem problem, double[] lambdaOfExample) {
        int m = problem.examples();
        int q = problem.size();
        Matrix weights = la.zeros(Precision.DOUBLE, m, q);
        if (q == 0) {
            return weights;
        }
        SymmetricEigen eigen = la.symmetricEigen(problem.gram);
        Matrix projected = la.zeros(Precision.DOUBLE, m, q);
        try {
            la.gemm(1, problem.cross, false, eigen.vectors(), true, 0, projected);
            double[] row = new double[q];
            for (int j = 0; j < m; j++) {
                double[] factor = factors(eigen.values(), lambdaOfExample[j]);
                projected.getRow(j, row);
                for (int k = 0; k < q; k++) {
                    row[k] *= factor[k];
                }
                projected.setRow(j, row);
            }
            la.gemm(1, projected, false, eigen.vectors(), false, 0, weights);
        } finally {
            la.free(projected);
            la.free(eigen.vectors());
        }
        return weights;
    }

    /** 1/(Λ+λ); at λ = 0 the pseudo-inverse (0 for numerically zero eigenvalues), as least squares does. */
    private static double[] factors(double[] values, double lambda) {
        double largest = values.length == 0 ? 0 : values[values.length - 1];
        double[] f = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            double v = values[k] + lambda;
            f[k] = lambda == 0 && values[k] <= RANK_TOLERANCE * largest ? 0 : 1 / v;
        }
        return f;
    }

    private static void scaleColumns(Matrix source, double[] factor, Matrix target) {
        double[] row = new double[source.cols()];
        for (int r = 0; r < source.rows(); r++) {
            source.getRow(r, row);
            for (int k = 0; k < row.length; k++) {
                row[k] *= factor[k];
            }
            target.setRow(r, row);
        }
    }
}
