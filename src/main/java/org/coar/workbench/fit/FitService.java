package org.coar.workbench.fit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.coar.workbench.Version;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.fit.linalg.DeviceMemory;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Nd4jLinearAlgebra;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.npy.NpyHeader;
import org.coar.workbench.store.Store;

/**
 * Stage 3 of COAR: fits one linear model per example from a store's completed rows and writes
 * an attributions directory. One streamed pass accumulates sufficient statistics for the
 * training and validation rows; the solvers work on those alone. Plain Java, no UI: the CLI and
 * the GUI both call {@link #fit}.
 */
public final class FitService {
    public static final String MASKS = "masks";
    public static final String REPORT_FORMAT = "coar-attributions/1";

    private final Supplier<LinearAlgebra> backend;

    public FitService() {
        this(Nd4jLinearAlgebra::new);
    }

    /** @param backend makes the linear algebra for each fit (ND4J on the CPU by default) */
    public FitService(Supplier<LinearAlgebra> backend) {
        this.backend = backend;
    }

    /**
     * Fits and writes {@code request.outDir()}.
     *
     * @param listener progress snapshots; may be called from a background thread
     * @param cancel   set to true to stop; the fit then throws {@link FitCancelledException} and writes nothing
     */
    public FitResult fit(FitRequest request, Consumer<FitProgress> listener, AtomicBoolean cancel) {
        return fit(request, listener, cancel, null);
    }

    /** As {@link #fit(FitRequest, Consumer, AtomicBoolean)}, showing {@code observer} every λ of a lasso path (tests). */
    FitResult fit(FitRequest request, Consumer<FitProgress> listener, AtomicBoolean cancel, LassoPath.Observer observer) {
        long started = System.nanoTime();
        FitConfig config = request.config();
        Map<String, Double> seconds = new LinkedHashMap<>();
        try (AttributionsWriter writer = new AttributionsWriter(request.outDir());
             Store store = Store.open(request.storeDir(), false);
             LinearAlgebra la = backend.get()) {
            NpyArray masks = masksOf(store);
            String outputName = outputArrayName(store, config);
            NpyArray outputs = store.array(outputName);
            int[] targets = targetRange(outputs, config);
            int components = Math.toIntExact(masks.rowLength());
            int examples = targets[1] - targets[0];
            checkSize(examples, components, outputs);
            RowSplit split = RowSplit.of(store, config);
            if (split.validation() == 0 && config.solver() != Solver.OLS && candidateCount(config) > 1) {
                throw new WorkbenchException("data.num_val: the " + config.solver().key() + " solver chooses λ on validation "
                        + "rows, but the split has none; set data.num_val (e.g. 0.1) or use --solver ols");
            }
            seconds.put("open", secondsSince(started));

            long t = System.nanoTime();
            StatisticsPass.Result pass = new StatisticsPass(la, masks, outputs, split.subsetOfRow(), targets[0], targets[1],
                    config.excludeNonFinite(), config.blockRows(), listener, cancel).run();
            seconds.put("reading", secondsSince(t));
            checkCancel(cancel);

            t = System.nanoTime();
            Map<String, Object> details = new LinkedHashMap<>();
            Solution solution;
            StandardisedProblem finalProblem;
            long trainRows = pass.train().rows();
            long validationRows = pass.validation().rows();
            if (validationRows == 0 && split.validation() > 0 && config.solver() != Solver.OLS && candidateCount(config) > 1) {
                throw new WorkbenchException(outputs.file() + ": every validation row has NaN/Inf outputs and was excluded, so "
                        + "λ cannot be chosen; rebuild those rows, choose other validation rows (data.seed), or use --solver ols");
            }
            if (trainRows < 2) {
                throw new WorkbenchException(store.dir() + ": only " + trainRows + " training row(s) with finite outputs; "
                        + "a fit needs at least 2. Raise data.num_train or build more rows");
            }
            try (SolvingContext ctx = new SolvingContext(la, pass, listener, cancel)) {
                details.put("standardising_seconds", secondsSince(t));
                solution = switch (config.solver()) {
                    case OLS -> solveOls(la, ctx, config, details, listener, cancel);
                    case LASSO -> new LassoPath(la, config, listener, cancel).observe(observer).run(ctx.train(), ctx.scorer(), ctx.finalProblem(), details);
                    case RIDGE -> new RidgePath(la, config, listener, cancel).run(ctx.train(), ctx.scorer(), ctx.finalProblem(), details);
                };
                finalProblem = ctx.finalProblem();
                seconds.put("solving", secondsSince(t));
                checkCancel(cancel);

                t = System.nanoTime();
                listener.accept(new FitProgress(FitProgress.Stage.WRITING, 0, 1, "writing " + request.outDir()));
                int zeroVariance = components - finalProblem.size();
                ObjectNode report = report(store, outputName, outputs, masks, config, split, pass, finalProblem, solution,
                        details, la, seconds);
                write(writer, store, finalProblem, solution, components, config.useBias());
                seconds.put("writing", secondsSince(t));
                seconds.put("total", secondsSince(started));
                ObjectNode timings = (ObjectNode) report.get("timings_seconds");
                seconds.forEach(timings::put);
                ProcessMemory memory = ProcessMemory.now();
                ObjectNode mem = report.putObject("memory");
                mem.put("peak_rss_bytes", memory.peakRssBytes());
                mem.put("heap_peak_used_bytes", memory.heapPeakUsedBytes());
                mem.put("heap_max_bytes", memory.heapMaxBytes());
                mem.put("note", "peak RSS of the whole process (JVM, heap, ND4J's off-heap matrices, mapped store pages it touched)");
                writer.writeReport(report);
                checkCancel(cancel);
                writer.commit();
                listener.accept(new FitProgress(FitProgress.Stage.DONE, 1, 1, "wrote " + request.outDir()));
                la.free(solution.weights());
                return new FitResult(request.outDir(), config.solver(), trainRows, validationRows, finalProblem.rows, components,
                        zeroVariance, examples, median(solution.validationR2()), Map.copyOf(seconds),
                        pass.gemmSeconds() > 0 ? pass.gemmFlops() / pass.gemmSeconds() / 1e9 : Double.NaN, config.warnings());
            }
        } catch (IOException e) {
            throw new WorkbenchException(request.outDir() + ": writing the attributions failed (" + e + "); nothing was left behind", e);
        }
    }

    /** The problems and scorer built from one pass, freed together. */
    private static final class SolvingContext implements AutoCloseable {
        private final StandardisedProblem train;
        private final ValidationScorer scorer;
        private final StandardisedProblem finalProblem;

        SolvingContext(LinearAlgebra la, StatisticsPass.Result pass, Consumer<FitProgress> listener, AtomicBoolean cancel) {
            listener.accept(new FitProgress(FitProgress.Stage.SOLVING, 0, 1, "standardising"));
            try (SufficientStatistics trainStats = pass.train(); SufficientStatistics validationStats = pass.validation()) {
                if (validationStats.rows() > 0) {
                    train = StandardisedProblem.of(la, trainStats);
                    scorer = ValidationScorer.of(la, validationStats, train);
                    try (SufficientStatistics all = trainStats.plus(validationStats)) {
                        finalProblem = StandardisedProblem.of(la, all);
                    }
                } else {
                    train = StandardisedProblem.of(la, trainStats);
                    scorer = null;
                    finalProblem = train;
                }
            }
            checkCancel(cancel);
        }

        StandardisedProblem train() {
            return train;
        }

        ValidationScorer scorer() {
            return scorer;
        }

        StandardisedProblem finalProblem() {
            return finalProblem;
        }

        @Override
        public void close() {
            if (finalProblem != train) {
                finalProblem.close();
            }
            train.close();
            if (scorer != null) {
                scorer.close();
            }
        }
    }

    private static Solution solveOls(LinearAlgebra la, SolvingContext ctx, FitConfig config, Map<String, Object> details,
                                     Consumer<FitProgress> listener, AtomicBoolean cancel) {
        int m = ctx.train.examples();
        double[] mse = new double[m];
        double[] r2 = new double[m];
        Arrays.fill(mse, Double.NaN);
        Arrays.fill(r2, Double.NaN);
        if (ctx.scorer() != null) {
            Map<String, Object> trainDetails = new LinkedHashMap<>();
            listener.accept(new FitProgress(FitProgress.Stage.SOLVING, 0, 2, "least squares on the training rows (for validation)"));
            long t = System.nanoTime();
            Matrix w = OlsSolver.solve(la, ctx.train(), trainDetails);
            trainDetails.put("seconds", secondsSince(t));
            try {
                t = System.nanoTime();
                double[] bias = config.useBias() ? ctx.train().outputMean : new double[m];
                mse = ctx.scorer().meanSquaredError(w, m, identity(m), bias);
                r2 = rSquared(ctx.scorer(), mse);
                trainDetails.put("scoring_seconds", secondsSince(t));
            } finally {
                la.free(w);
            }
            details.put("validation_fit", trainDetails);
        }
        checkCancel(cancel);
        Map<String, Object> finalDetails = new LinkedHashMap<>();
        listener.accept(new FitProgress(FitProgress.Stage.SOLVING, 1, 2, "least squares on all " + ctx.finalProblem().rows + " rows"));
        long t = System.nanoTime();
        Matrix w = OlsSolver.solve(la, ctx.finalProblem(), finalDetails);
        finalDetails.put("seconds", secondsSince(t));
        details.put("final_fit", finalDetails);
        double[] bias = config.useBias() ? ctx.finalProblem().outputMean.clone() : new double[m];
        return new Solution(w, bias, new double[m], mse, r2, details);
    }

    static int[] identity(int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        return ids;
    }

    static double[] rSquared(ValidationScorer scorer, double[] mse) {
        double[] r2 = new double[mse.length];
        for (int j = 0; j < mse.length; j++) {
            double variance = scorer.outputVariance(j);
            r2[j] = variance > 0 ? 1 - mse[j] / variance : Double.NaN;
        }
        return r2;
    }

    private static int candidateCount(FitConfig config) {
        if (!config.lambdas().isEmpty()) {
            return config.lambdas().size() + (config.includeZeroLambda() && !config.lambdas().contains(0.0) ? 1 : 0);
        }
        if (config.solver() == Solver.LASSO) {
            return config.manualMaxLambda() == 0 ? 1 : config.k() + (config.includeZeroLambda() ? 1 : 0);
        }
        return RidgePath.DEFAULT_GRID.size() + (config.includeZeroLambda() ? 1 : 0);
    }

    private static NpyArray masksOf(Store store) {
        if (!store.arrayNames().contains(MASKS)) {
            throw new WorkbenchException(store.dir() + ": no masks.npy (the keep-masks, one row per ablated model); the store has "
                    + String.join(", ", store.arrayNames()) + ". A COAR store needs masks.npy as the reference layout names it");
        }
        NpyArray masks = store.array(MASKS);
        if (masks.header().shape().length != 2) {
            throw new WorkbenchException(masks.file() + ": expected (rows, components), found shape "
                    + NpyHeader.shapeString(masks.header().shape()));
        }
        return masks;
    }

    private static String outputArrayName(Store store, FitConfig config) {
        if (config.outputArray() != null) {
            if (!store.arrayNames().contains(config.outputArray()) || config.outputArray().equals(MASKS)) {
                throw new WorkbenchException(store.dir() + ": no output array '" + config.outputArray() + "' (--output-array / "
                        + "workbench.output_array); the store has " + String.join(", ", store.arrayNames()));
            }
            return config.outputArray();
        }
        List<String> candidates = store.arrayNames().stream().filter(n -> !n.equals(MASKS)).toList();
        if (candidates.size() != 1) {
            throw new WorkbenchException(store.dir() + ": " + (candidates.isEmpty() ? "no output array beside masks.npy"
                    : "several output arrays (" + String.join(", ", candidates) + ")") + "; name the one to fit with --output-array");
        }
        return candidates.getFirst();
    }

    private static int[] targetRange(NpyArray outputs, FitConfig config) {
        int width = Math.toIntExact(outputs.rowLength());
        int start = config.targetStart();
        int end = config.targetEnd() == -1 ? width : config.targetEnd();
        if (start < 0 || start >= width || end <= start || end > width) {
            throw new WorkbenchException(outputs.file() + ": target slice data.target_start_ind = " + config.targetStart()
                    + ", data.target_end_ind = " + config.targetEnd() + " is empty or outside the " + width
                    + " outputs per row; use 0 ≤ start < end ≤ " + width + " (end -1 = all)");
        }
        return new int[] {start, end};
    }

    private static void checkSize(int examples, int components, NpyArray outputs) {
        long bytes = 8L * examples * components;
        if (bytes > 16L << 30) {
            throw new WorkbenchException(outputs.file() + ": " + examples + " examples × " + components + " components need "
                    + (bytes >> 30) + " GiB per matrix; fit a slice of examples at a time with data.target_start_ind / target_end_ind");
        }
    }

    private static void write(AttributionsWriter writer, Store store, StandardisedProblem problem, Solution solution,
                              int components, boolean useBias) throws IOException {
        double[] ones = new double[components];
        Arrays.fill(ones, 1);
        writer.writeWeights("weight.npy", solution.weights(), problem.active, components, ones);
        double[] inverseStd = new double[components];
        double[] stdWritten = new double[components];
        for (int i = 0; i < components; i++) {
            inverseStd[i] = problem.std[i] > 0 ? 1 / problem.std[i] : 0;
            // A constant component has weight 0; std 1 keeps (x − mean) / std · weight finite (0), where 0 would give NaN.
            stdWritten[i] = problem.std[i] > 0 ? problem.std[i] : 1;
        }
        writer.writeWeights("raw_weight.npy", solution.weights(), problem.active, components, inverseStd);
        writer.writeVector("bias.npy", solution.bias());
        writer.writeVector("lam.npy", solution.lambda());
        writer.writeVector("mask_mean.npy", problem.mean);
        writer.writeVector("mask_std.npy", stdWritten);
        writer.writeVector("val_mse.npy", solution.validationMse());
        writer.writeVector("val_r2.npy", solution.validationR2());
        Path componentList = store.dir().resolve("components.json");
        if (Files.isRegularFile(componentList)) {
            writer.copy(componentList, "components.json");
        }
    }

    private ObjectNode report(Store store, String outputName, NpyArray outputs, NpyArray masks, FitConfig config, RowSplit split,
                              StatisticsPass.Result pass, StandardisedProblem problem, Solution solution,
                              Map<String, Object> details, LinearAlgebra la, Map<String, Double> seconds) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode r = json.createObjectNode();
        r.put("format", REPORT_FORMAT);
        r.put("created", Instant.now().toString());
        ObjectNode versions = r.putObject("versions");
        versions.put("workbench", Version.workbench());
        versions.put("java", Runtime.version().toString() + " (" + System.getProperty("java.vendor") + ")");
        versions.put("linear_algebra", la.description());
        ObjectNode device = r.putObject("device");
        la.provenance().forEach(device::put);
        DeviceMemory memory = la.memory();
        device.put("memory", memory.device());
        device.put("memory_total_bytes", memory.totalBytes());
        device.put("memory_free_bytes_at_report", memory.freeBytes());

        ObjectNode s = r.putObject("store");
        s.put("dir", store.dir().toAbsolutePath().normalize().toString());
        s.put("masks", NpyHeader.shapeString(masks.header().shape()) + " " + masks.dtype().numpyName());
        s.put("output_array", outputName);
        s.put("outputs", NpyHeader.shapeString(outputs.header().shape()) + " " + outputs.dtype().numpyName());
        s.put("rows", store.numModels());
        s.put("completed_rows", split.completed());

        r.set("config", json.valueToTree(configMap(config)));

        ObjectNode sp = r.putObject("split");
        sp.put("method", split.method());
        sp.put("train_rows_requested", split.train());
        sp.put("validation_rows_requested", split.validation());
        sp.put("train_rows", pass.train().rows());
        sp.put("validation_rows", pass.validation().rows());
        sp.put("final_fit_rows", problem.rows);
        sp.put("final_fit", pass.validation().rows() > 0
                ? "refit on training + validation rows at each example's chosen λ, as the reference does"
                : "training rows only (no validation rows)");
        ArrayNode bad = sp.putArray("non_finite_rows_excluded");
        pass.nonFiniteRows().forEach(bad::add);

        ObjectNode c = r.putObject("components");
        c.put("total", masks.rowLength());
        c.put("varying", problem.size());
        ArrayNode constant = c.putArray("zero_variance");
        for (int i = 0; i < problem.std.length; i++) {
            if (!(problem.std[i] > 0)) {
                constant.add(i);
            }
        }
        c.put("standardisation", "mask_mean / mask_std over the final fit's rows (population std, as the reference); "
                + "zero-variance components get weight 0 and mask_std 1 (not 0) so the prediction formula stays finite");

        ObjectNode so = r.putObject("solver");
        so.put("name", config.solver().key());
        so.put("chosen_because", config.solverReason());
        so.set("details", json.valueToTree(details));

        r.putObject("timings_seconds");
        ObjectNode g = r.putObject("gemm");
        g.put("flops", pass.gemmFlops());
        g.put("seconds", pass.gemmSeconds());
        g.put("gflops_per_second", pass.gemmSeconds() > 0 ? pass.gemmFlops() / pass.gemmSeconds() / 1e9 : 0);
        g.put("reader_thread_busy_seconds", pass.readerSeconds());
        g.put("gemm_thread_waiting_for_rows_seconds", pass.waitSeconds());
        g.put("note", "the streamed pass: XᵀX (symmetric rank-k update, counted as rows·p²) and ỸᵀX (2·rows·p·m)");

        ObjectNode metrics = r.putObject("metrics");
        metrics.set("validation_mse", summary(json, solution.validationMse()));
        metrics.set("validation_r2", summary(json, solution.validationR2()));
        metrics.set("lambda", summary(json, solution.lambda()));
        metrics.put("per_example", "val_mse.npy, val_r2.npy (NaN without validation rows), lam.npy");
        ArrayNode warnings = r.putArray("warnings");
        config.warnings().forEach(warnings::add);
        return r;
    }

    private static Map<String, Object> configMap(FitConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data.num_train", c.numTrain().toString());
        m.put("data.num_val", c.numVal().toString());
        m.put("data.seed", c.seed());
        m.put("data.target_start_ind", c.targetStart());
        m.put("data.target_end_ind", c.targetEnd());
        m.put("cfg.k", c.k());
        m.put("cfg.eps", c.eps());
        m.put("cfg.use_bias", c.useBias());
        m.put("cfg.manual_max_lambda", c.manualMaxLambda());
        m.put("workbench.solver", c.solver().key());
        m.put("workbench.lambdas", c.lambdas());
        m.put("workbench.include_zero_lambda", c.includeZeroLambda());
        m.put("workbench.output_array", c.outputArray());
        m.put("workbench.exclude_non_finite", c.excludeNonFinite());
        m.put("workbench.tolerance", c.tolerance());
        m.put("workbench.max_sweeps", c.maxSweeps());
        m.put("workbench.block_rows", c.blockRows());
        m.put("unused_reference_keys", c.unusedReferenceKeys());
        return m;
    }

    private static ObjectNode summary(ObjectMapper json, double[] values) {
        ObjectNode n = json.createObjectNode();
        double[] finite = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        n.put("count", finite.length);
        if (finite.length > 0) {
            n.put("mean", Arrays.stream(finite).average().orElse(Double.NaN));
            n.put("median", finite[finite.length / 2]);
            n.put("min", finite[0]);
            n.put("max", finite[finite.length - 1]);
        }
        return n;
    }

    static double median(double[] values) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        return finite.length == 0 ? Double.NaN : finite[finite.length / 2];
    }

    private static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    static void checkCancel(AtomicBoolean cancel) {
        if (cancel.get()) {
            throw new FitCancelledException();
        }
    }
}
