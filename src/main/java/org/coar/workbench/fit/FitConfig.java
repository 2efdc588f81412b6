package org.coar.workbench.fit;

import java.util.List;
import java.util.Map;

/**
 * Everything that decides a fit, resolved from a reference regression YAML, the workbench's own
 * keys and command-line overrides (see {@link FitConfigReader}). Recorded whole in report.json.
 * Made with {@link #builder()} (defaults) or {@link #toBuilder()} (changing some settings of a config).
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
        return builder().build();
    }

    /** A builder holding the defaults; every setting is optional. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a {@link FitConfig}; each {@code optX} replaces one setting, the others keep their value. */
    public static final class Builder {
        private RowCount numTrain = RowCount.fractionOf(0.9);
        private RowCount numVal = RowCount.fractionOf(0.1);
        private Long seed;
        private int targetStart;
        private int targetEnd = -1;
        private Solver solver = Solver.OLS;
        private String solverReason = "default";
        private int k = 20;
        private double eps = 1e-4;
        private boolean useBias = true;
        private double manualMaxLambda = -1;
        private List<Double> lambdas = List.of();
        private boolean includeZeroLambda = true;
        private String outputArray;
        private boolean excludeNonFinite;
        private double tolerance = 1e-12;
        private int maxSweeps = 200;
        private int blockRows = 2048;
        private String outDir;
        private Map<String, Object> unusedReferenceKeys = Map.of();
        private List<String> warnings = List.of();
        private PlanOptions plan = PlanOptions.AUTO;

        private Builder() {
        }

        private Builder(FitConfig c) {
            numTrain = c.numTrain;
            numVal = c.numVal;
            seed = c.seed;
            targetStart = c.targetStart;
            targetEnd = c.targetEnd;
            solver = c.solver;
            solverReason = c.solverReason;
            k = c.k;
            eps = c.eps;
            useBias = c.useBias;
            manualMaxLambda = c.manualMaxLambda;
            lambdas = c.lambdas;
            includeZeroLambda = c.includeZeroLambda;
            outputArray = c.outputArray;
            excludeNonFinite = c.excludeNonFinite;
            tolerance = c.tolerance;
            maxSweeps = c.maxSweeps;
            blockRows = c.blockRows;
            outDir = c.outDir;
            unusedReferenceKeys = c.unusedReferenceKeys;
            warnings = c.warnings;
            plan = c.plan;
        }

        public Builder optNumTrain(RowCount rows) {
            numTrain = rows;
            return this;
        }

        public Builder optNumVal(RowCount rows) {
            numVal = rows;
            return this;
        }

        /** Null keeps the ordered split. */
        public Builder optSeed(Long value) {
            seed = value;
            return this;
        }

        public Builder optTargetStart(int start) {
            targetStart = start;
            return this;
        }

        public Builder optTargetEnd(int end) {
            targetEnd = end;
            return this;
        }

        /** The solver and why it was chosen (report.json and the CLI say the reason). */
        public Builder optSolver(Solver value, String reason) {
            solver = value;
            solverReason = reason;
            return this;
        }

        public Builder optK(int value) {
            k = value;
            return this;
        }

        public Builder optEps(double value) {
            eps = value;
            return this;
        }

        public Builder optUseBias(boolean value) {
            useBias = value;
            return this;
        }

        public Builder optManualMaxLambda(double value) {
            manualMaxLambda = value;
            return this;
        }

        public Builder optLambdas(List<Double> values) {
            lambdas = values;
            return this;
        }

        public Builder optIncludeZeroLambda(boolean value) {
            includeZeroLambda = value;
            return this;
        }

        public Builder optOutputArray(String name) {
            outputArray = name;
            return this;
        }

        public Builder optExcludeNonFinite(boolean value) {
            excludeNonFinite = value;
            return this;
        }

        public Builder optTolerance(double value) {
            tolerance = value;
            return this;
        }

        public Builder optMaxSweeps(int value) {
            maxSweeps = value;
            return this;
        }

        public Builder optBlockRows(int value) {
            blockRows = value;
            return this;
        }

        public Builder optOutDir(String dir) {
            outDir = dir;
            return this;
        }

        public Builder optUnusedReferenceKeys(Map<String, Object> keys) {
            unusedReferenceKeys = keys;
            return this;
        }

        public Builder optWarnings(List<String> values) {
            warnings = values;
            return this;
        }

        public Builder optPlan(PlanOptions options) {
            plan = options;
            return this;
        }

        public FitConfig build() {
            return new FitConfig(numTrain, numVal, seed, targetStart, targetEnd, solver, solverReason, k, eps, useBias,
                    manualMaxLambda, lambdas, includeZeroLambda, outputArray, excludeNonFinite, tolerance, maxSweeps, blockRows,
                    outDir, unusedReferenceKeys, warnings, plan);
        }
    }
}
