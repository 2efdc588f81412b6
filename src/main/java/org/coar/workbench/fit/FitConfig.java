package org.coar.workbench.fit;

import java.util.List;
import java.util.Map;

/**
 * Everything that decides a fit, resolved from a reference regression YAML, the workbench's own
 * keys and command-line overrides (see {@link FitConfigReader}). Recorded whole in report.json.
 *
 * @param numTrain          training rows ({@code data.num_train})
 * @param numVal            validation rows ({@code data.num_val}); 0 means no validation
 * @param seed              {@code data.seed}: null keeps the reference's ordered split (first num_train
 *                          completed rows train, the next num_val validate); a seed shuffles completed rows first
 * @param targetStart       first output column fitted ({@code data.target_start_ind})
 * @param targetEnd         end (exclusive) of the output columns, -1 = all ({@code data.target_end_ind})
 * @param solver            ols, lasso or ridge
 * @param solverReason      why this solver (explicit, or implied by the config's λ path)
 * @param k                 λ's on the path ({@code cfg.k})
 * @param eps               the path's smallest / largest λ ({@code cfg.eps})
 * @param useBias           fit an intercept ({@code cfg.use_bias})
 * @param manualMaxLambda   λ_max for every example, -1 = from the data ({@code cfg.manual_max_lambda})
 * @param lambdas           explicit λ grid (workbench key), replaces the k/eps grid when non-empty
 * @param includeZeroLambda also try λ = 0, as the reference's path does before λ_max
 * @param outputArray       the store array to fit, null = the store's only non-mask array
 * @param excludeNonFinite  drop rows with NaN/Inf outputs instead of failing
 * @param tolerance         lasso convergence: max over components of (Δw)²·G_ii below tolerance · var(y)
 * @param maxSweeps         lasso: coordinate-descent sweeps allowed per λ
 * @param blockRows         rows per streamed block (GEMM size)
 * @param outDir            {@code cfg.out_dir} (null when absent); --out overrides it
 * @param unusedReferenceKeys reference keys that only tune SAGA or FFCV, with their values (accepted, no effect)
 * @param warnings          unknown keys and other things the user should see
 * @param plan              memory budget, precision and statistics kernels ({@code --memory}, {@code workbench.*})
 */
public record FitConfig(RowCount numTrain, RowCount numVal, Long seed, int targetStart, int targetEnd,
                        Solver solver, String solverReason, int k, double eps, boolean useBias, double manualMaxLambda,
                        List<Double> lambdas, boolean includeZeroLambda, String outputArray, boolean excludeNonFinite,
                        double tolerance, int maxSweeps, int blockRows, String outDir,
                        Map<String, Object> unusedReferenceKeys, List<String> warnings, PlanOptions plan) {

    public FitConfig {
        lambdas = List.copyOf(lambdas);
        unusedReferenceKeys = Map.copyOf(unusedReferenceKeys);
        warnings = List.copyOf(warnings);
        plan = plan == null ? PlanOptions.AUTO : plan;
    }

    /** Defaults without a config file: 90% / 10% ordered split, least squares. */
    public static FitConfig defaults() {
        return new FitConfig(RowCount.fractionOf(0.9), RowCount.fractionOf(0.1), null, 0, -1, Solver.OLS,
                "default", 20, 1e-4, true, -1, List.of(), true, null, false, 1e-12, 200, 2048, null, Map.of(), List.of(),
                PlanOptions.AUTO);
    }

    public FitConfig withSolver(Solver newSolver, String reason) {
        return new FitConfig(numTrain, numVal, seed, targetStart, targetEnd, newSolver, reason, k, eps, useBias, manualMaxLambda,
                lambdas, includeZeroLambda, outputArray, excludeNonFinite, tolerance, maxSweeps, blockRows, outDir,
                unusedReferenceKeys, warnings, plan);
    }

    public FitConfig withSplit(RowCount newTrain, RowCount newVal, Long newSeed) {
        return new FitConfig(newTrain, newVal, newSeed, targetStart, targetEnd, solver, solverReason, k, eps, useBias,
                manualMaxLambda, lambdas, includeZeroLambda, outputArray, excludeNonFinite, tolerance, maxSweeps, blockRows,
                outDir, unusedReferenceKeys, warnings, plan);
    }

    public FitConfig withTargets(int start, int end) {
        return new FitConfig(numTrain, numVal, seed, start, end, solver, solverReason, k, eps, useBias, manualMaxLambda,
                lambdas, includeZeroLambda, outputArray, excludeNonFinite, tolerance, maxSweeps, blockRows, outDir,
                unusedReferenceKeys, warnings, plan);
    }

    public FitConfig withPath(int newK, double newEps, double newManualMaxLambda, List<Double> newLambdas, boolean zero) {
        return new FitConfig(numTrain, numVal, seed, targetStart, targetEnd, solver, solverReason, newK, newEps, useBias,
                newManualMaxLambda, newLambdas, zero, outputArray, excludeNonFinite, tolerance, maxSweeps, blockRows, outDir,
                unusedReferenceKeys, warnings, plan);
    }

    public FitConfig withOutputArray(String name) {
        return new FitConfig(numTrain, numVal, seed, targetStart, targetEnd, solver, solverReason, k, eps, useBias,
                manualMaxLambda, lambdas, includeZeroLambda, name, excludeNonFinite, tolerance, maxSweeps, blockRows, outDir,
                unusedReferenceKeys, warnings, plan);
    }

    public FitConfig withExcludeNonFinite(boolean exclude) {
        return new FitConfig(numTrain, numVal, seed, targetStart, targetEnd, solver, solverReason, k, eps, useBias,
                manualMaxLambda, lambdas, includeZeroLambda, outputArray, exclude, tolerance, maxSweeps, blockRows, outDir,
                unusedReferenceKeys, warnings, plan);
    }

    public FitConfig withUseBias(boolean bias) {
        return new FitConfig(numTrain, numVal, seed, targetStart, targetEnd, solver, solverReason, k, eps, bias,
                manualMaxLambda, lambdas, includeZeroLambda, outputArray, excludeNonFinite, tolerance, maxSweeps, blockRows,
                outDir, unusedReferenceKeys, warnings, plan);
    }

    public FitConfig withSolverLimits(double newTolerance, int newMaxSweeps, int newBlockRows) {
        return new FitConfig(numTrain, numVal, seed, targetStart, targetEnd, solver, solverReason, k, eps, useBias,
                manualMaxLambda, lambdas, includeZeroLambda, outputArray, excludeNonFinite, newTolerance, newMaxSweeps,
                newBlockRows, outDir, unusedReferenceKeys, warnings, plan);
    }

    public FitConfig withPlan(PlanOptions options) {
        return new FitConfig(numTrain, numVal, seed, targetStart, targetEnd, solver, solverReason, k, eps, useBias,
                manualMaxLambda, lambdas, includeZeroLambda, outputArray, excludeNonFinite, tolerance, maxSweeps, blockRows,
                outDir, unusedReferenceKeys, warnings, options);
    }
}
