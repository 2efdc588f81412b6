package org.coar.workbench.fit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.coar.workbench.Provenance;
import org.coar.workbench.Version;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.attributions.Attributions;
import org.coar.workbench.fit.linalg.DeviceMemory;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Nd4jLinearAlgebra;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.npy.NpyHeader;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.store.Store;
import org.coar.workbench.store.StoreArrays;

/**
 * Stage 3 of COAR: fits one linear model per example from a store's completed rows and writes
 * an attributions directory. One streamed pass accumulates sufficient statistics for the
 * training and validation rows; the solvers work on those alone. Plain Java, no UI: the CLI and
 * the GUI both call {@link #fit}.
 * <p>Its length (about 500 lines) is the fit's one sequence: checking the store and config, planning, the store
 * pass, the solver each plan chooses, and the report. The solvers, the reading and the writing are their own types.
 */
public final class FitService {
    private final Supplier<LinearAlgebra> backend;

    public FitService() {
        this(Nd4jLinearAlgebra::new);
    }

    /** @param backend makes the linear algebra for each fit (ND4J on the CPU by default) */
    public FitService(Supplier<LinearAlgebra> backend) {
        this.backend = backend;
    }

    /**
     * The plan a fit of {@code request} would follow, from the store's shape and the budget alone;
     * reads no row. Throws a {@link WorkbenchException} naming the sizes and the ways out when no
     * plan fits.
     */
    public FitPlan plan(FitRequest request) {
        try (Store store = Store.open(request.storeDir(), false); LinearAlgebra la = backend.get()) {
            return plan(store, request.config(), la);
        }
    }

    private static FitPlan plan(Store store, FitConfig config, LinearAlgebra la) {
        StoreArrays arrays = StoreArrays.resolve(store, null, config.outputArray());
        NpyArray masks = checkedMasks(arrays.masksIn(store));
        NpyArray outputs = arrays.outputsIn(store);
        int[] targets = targetRange(outputs, config);
        RowSplit split = RowSplit.of(store, config);
        FitPlan.Shape shape = new FitPlan.Shape(Math.toIntExact(masks.rowLength()), targets[1] - targets[0], split.train(),
                split.validation(), config.solver());
        return FitPlanner.plan(shape, config.plan(), MemoryBudget.of(config.plan(), la));
    }

    /**
     * Fits and writes {@code request.outDir()}.
     *
     * @param listener progress snapshots; may be called from a background thread
     * @param cancel   cancels the fit: it then throws {@link org.coar.workbench.job.JobCancelledException} and writes nothing
     */
    public FitResult fit(FitRequest request, Consumer<Progress> listener, Cancellation cancel) {
        return fit(request, listener, cancel, null);
    }

    /** As {@link #fit(FitRequest, Consumer, Cancellation)}, showing {@code observer} every λ of a lasso path (tests). */
    FitResult fit(FitRequest request, Consumer<Progress> listener, Cancellation cancel, LassoPath.Observer observer) {
        requireVectorModule();
        long started = System.nanoTime();
        FitConfig config = request.config();
        Map<String, Double> seconds = new LinkedHashMap<>();
        try (AttributionsWriter writer = new AttributionsWriter(request.outDir());
             Store store = Store.open(request.storeDir(), false);
             LinearAlgebra la = backend.get()) {
            StoreArrays arrays = StoreArrays.resolve(store, null, config.outputArray());
            NpyArray masks = checkedMasks(arrays.masksIn(store));
            String outputName = arrays.outputArray();
            NpyArray outputs = arrays.outputsIn(store);
            int[] targets = targetRange(outputs, config);
            int components = Math.toIntExact(masks.rowLength());
            int examples = targets[1] - targets[0];
            RowSplit split = RowSplit.of(store, config);
            if (split.validation() == 0 && config.solver() != Solver.OLS && candidateCount(config) > 1) {
                throw new WorkbenchException("data.num_val: the " + config.solver().key() + " solver chooses λ on validation "
                        + "rows, but the split has none; set data.num_val (e.g. 0.1) or use --solver ols");
            }
            long baselineRss = ProcessMemory.now().currentRssBytes();
            org.coar.workbench.fit.sparse.TileMatrix.resetPeak();
            FitPlan plan = plan(store, config, la);
            listener.accept(FitStages.solving(0, 1, plan.describe().lines().findFirst().orElse("plan")));
            seconds.put("open", secondsSince(started));

            long t = System.nanoTime();
            StorePass pass = new StorePass(masks, outputs, split, targets[0], targets[1], config.excludeNonFinite(), listener, cancel);
            int firstWidth = config.solver() == Solver.OLS ? plan.blockWidth() : FitPlanner.gramPathBlock(plan.shape());
            try (StorePass.Masks read = pass.readMasks(firstWidth)) {
                seconds.put("reading", secondsSince(t));
                cancel.throwIfCancelled();
                long trainRows = read.train().rows();
                long validationRows = read.validation().rows();
                if (validationRows == 0 && split.validation() > 0 && config.solver() != Solver.OLS && candidateCount(config) > 1) {
                    throw new WorkbenchException(outputs.file() + ": every validation row has NaN/Inf outputs and was excluded, so "
                            + "λ cannot be chosen; rebuild those rows, choose other validation rows (data.seed), or use --solver ols");
                }
                if (trainRows < 2) {
                    throw new WorkbenchException(store.dir() + ": only " + trainRows + " training row(s) with finite outputs; "
                            + "a fit needs at least 2. Raise data.num_train or build more rows");
                }
                t = System.nanoTime();
                Map<String, Object> details = new LinkedHashMap<>();
                Written written = config.solver() == Solver.OLS
                        ? leastSquares(la, plan, pass, read, config, writer, components, details, listener, cancel)
                        : gramPath(la, plan, pass, read, config, writer, components, details, listener, cancel, observer);
                seconds.put("solving", secondsSince(t));
                cancel.throwIfCancelled();

                t = System.nanoTime();
                listener.accept(new Progress(FitStages.WRITING, 0, 1, "files", "writing " + request.outDir()));
                writer.copyComponents(store.dir());
                ObjectNode report = report(store, outputName, outputs, masks, config, split, read, written, details, la, plan);
                seconds.put("writing", secondsSince(t));
                seconds.put("total", secondsSince(started));
                ObjectNode timings = (ObjectNode) report.get("timings_seconds");
                seconds.forEach(timings::put);
                ProcessMemory memory = ProcessMemory.now();
                ObjectNode mem = report.putObject("memory");
                mem.put("peak_rss_bytes", memory.peakRssBytes());
                mem.put("rss_before_plan_bytes", baselineRss);
                mem.put("planned_peak_bytes", plan.peakBytes());
                mem.put("predicted_peak_rss_bytes", baselineRss + plan.peakBytes());
                mem.put("matrices_peak_bytes", la.peakBytes());
                mem.put("output_tiles_peak_bytes", org.coar.workbench.fit.sparse.TileMatrix.peakBytes());
                mem.put("heap_peak_used_bytes", memory.heapPeakUsedBytes());
                // The heap's pools at their largest: what the JVM held for Java objects, part of the RSS the plan leaves out.
                mem.put("heap_peak_committed_bytes", memory.heapPeakCommittedBytes());
                mem.put("heap_max_bytes", memory.heapMaxBytes());
                mem.put("note", "peak RSS of the whole process (JVM, heap, off-heap matrices, output tiles and mask bits); the store is read "
                        + "with pread, so its pages stay in the page cache and out of the RSS");
                List<String> warnings = new java.util.ArrayList<>(config.warnings());
                warnings.addAll(FitWarnings.forSplit(split, config));
                FitResult result = new FitResult(request.outDir(), config.solver(), trainRows, validationRows, written.finalRows(),
                        components, components - written.varying(), examples, median(written.validationR2()), Map.copyOf(seconds),
                        plan, memory.peakRssBytes(), warnings);
                ArrayNode reported = (ArrayNode) report.get("warnings");
                reported.removeAll();
                warnings.forEach(reported::add);
                FitWarnings.forResult(result).forEach(reported::add);
                writer.writeReport(report);
                cancel.throwIfCancelled();
                writer.commit();
                listener.accept(new Progress(FitStages.DONE, 1, 1, "files", "wrote " + request.outDir()));
                return result;
            }
        } catch (IOException e) {
            throw new WorkbenchException(request.outDir() + ": writing the attributions failed (" + e + "); nothing was left behind", e);
        }
    }

    /** What a solver wrote besides the weights: for the report and the result. */
    private record Written(long finalRows, int varying, double[] validationMse, double[] validationR2, double[] lambda,
                           int[] zeroVariance) {
    }

    private static Written leastSquares(LinearAlgebra la, FitPlan plan, StorePass pass, StorePass.Masks read, FitConfig config,
                                        AttributionsWriter writer, int components, Map<String, Object> details,
                                        Consumer<Progress> listener, Cancellation cancel) throws IOException {
        int examples = plan.shape().examples();
        try (LeastSquaresFit fit = new LeastSquaresFit(la, plan, config.plan().statistics(), pass, read, config.useBias(), listener, cancel);
             AttributionsWriter.WeightColumns weights = writer.weightColumns(components, examples)) {
            MaskStatistics all = fit.allStats;
            double sign = read.train().ablatedSide() ? -1 : 1;
            fit.run((first, w) -> weights.write(first, w, fit.order, sign, all.std));
            weights.finish();
            details.putAll(fit.details);
            double[] bias = new double[examples];
            StorePass.SetSums st = read.sums()[RowSplit.TRAIN];
            StorePass.SetSums sv = read.sums()[RowSplit.VALIDATION];
            for (int j = 0; j < examples && config.useBias(); j++) {
                bias[j] = read.shift()[j] + (st.outputSums[j] + sv.outputSums[j]) / all.rows;
            }
            double[] keepMean = new double[components];
            double[] stdWritten = new double[components];
            for (int i = 0; i < components; i++) {
                keepMean[i] = read.train().ablatedSide() ? 1 - all.mean[i] : all.mean[i];
                // A constant component has weight 0; std 1 keeps (x − mean) / std · weight finite (0), where 0 would give NaN.
                stdWritten[i] = all.std[i] > 0 ? all.std[i] : 1;
            }
            writer.writeBias(bias);
            writer.writeLambda(new double[examples]);
            writer.writeStandardisation(keepMean, stdWritten);
            writer.writeValidation(fit.validationMse, fit.validationR2);
            int[] zero = java.util.stream.IntStream.range(0, components).filter(i -> !(all.std[i] > 0)).toArray();
            return new Written(all.rows, fit.varying(), fit.validationMse, fit.validationR2, new double[examples], zero);
        }
    }

    private static Written gramPath(LinearAlgebra la, FitPlan plan, StorePass pass, StorePass.Masks read, FitConfig config,
                                    AttributionsWriter writer, int components, Map<String, Object> details,
                                    Consumer<Progress> listener, Cancellation cancel, LassoPath.Observer observer)
            throws IOException {
        SufficientStatistics[] stats = GramPathStatistics.of(la, plan, pass, read, listener, cancel);
        try (SolvingContext ctx = new SolvingContext(la, stats[RowSplit.TRAIN], stats[RowSplit.VALIDATION], listener, cancel)) {
            Solution solution = switch (config.solver()) {
                case LASSO -> new LassoPath(la, config, listener, cancel).observe(observer).run(ctx.train(), ctx.scorer(), ctx.finalProblem(), details);
                case RIDGE -> new RidgePath(la, config, listener, cancel).run(ctx.train(), ctx.scorer(), ctx.finalProblem(), details);
                case OLS -> throw new IllegalStateException("least squares has its own plan");
            };
            try {
                StandardisedProblem problem = ctx.finalProblem();
                writeGramPath(writer, problem, solution, components);
                int[] zero = java.util.stream.IntStream.range(0, components).filter(i -> !(problem.std[i] > 0)).toArray();
                return new Written(problem.rows, problem.size(), solution.validationMse(), solution.validationR2(), solution.lambda(), zero);
            } finally {
                la.free(solution.weights());
            }
        }
    }

    /** The problems and scorer built from the two sets' statistics, freed together. */
    private static final class SolvingContext implements AutoCloseable {
        private final StandardisedProblem train;
        private final ValidationScorer scorer;
        private final StandardisedProblem finalProblem;

        SolvingContext(LinearAlgebra la, SufficientStatistics trainStats, SufficientStatistics validationStats,
                       Consumer<Progress> listener, Cancellation cancel) {
            listener.accept(FitStages.solving(0, 1, "standardising"));
            try (trainStats; validationStats) {
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
            cancel.throwIfCancelled();
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

    /** The fit's kernels use the JDK's Vector API, an incubator module that must be added at start-up. */
    static void requireVectorModule() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            throw new WorkbenchException("the fit's kernels need the JDK module jdk.incubator.vector; run through ./coar (or the "
                    + "installed coar), or add --add-modules jdk.incubator.vector to the java command line");
        }
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

    /** The keep-masks, which the fit reads as (rows, components). */
    private static NpyArray checkedMasks(NpyArray masks) {
        if (masks.header().shape().length != 2) {
            throw new WorkbenchException(masks.file() + ": expected (rows, components), found shape "
                    + NpyHeader.shapeString(masks.header().shape()));
        }
        return masks;
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

    private static void writeGramPath(AttributionsWriter writer, StandardisedProblem problem, Solution solution, int components)
            throws IOException {
        writer.writeWeight(solution.weights(), problem.active, components);
        double[] inverseStd = new double[components];
        double[] stdWritten = new double[components];
        for (int i = 0; i < components; i++) {
            inverseStd[i] = problem.std[i] > 0 ? 1 / problem.std[i] : 0;
            stdWritten[i] = problem.std[i] > 0 ? problem.std[i] : 1;
        }
        writer.writeRawWeight(solution.weights(), problem.active, components, inverseStd);
        writer.writeBias(solution.bias());
        writer.writeLambda(solution.lambda());
        writer.writeStandardisation(problem.mean, stdWritten);
        writer.writeValidation(solution.validationMse(), solution.validationR2());
    }

    private ObjectNode report(Store store, String outputName, NpyArray outputs, NpyArray masks, FitConfig config, RowSplit split,
                              StorePass.Masks read, Written written, Map<String, Object> details, LinearAlgebra la, FitPlan plan) {
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> settings = configMap(config);
        ObjectNode r = provenance(store.dir(), settings).startReport(json);
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
        org.coar.workbench.attributions.FittedOn.of(store.dir()).putInto(s); // what eval and edit check the attributions against

        r.set("config", json.valueToTree(settings));

        ObjectNode sp = r.putObject("split");
        sp.put("method", split.method());
        sp.put("train_rows_requested", split.train());
        sp.put("validation_rows_requested", split.validation());
        sp.put("train_rows", read.train().rows());
        sp.put("validation_rows", read.validation().rows());
        sp.put("final_fit_rows", written.finalRows());
        sp.put("final_fit", read.validation().rows() > 0
                ? "refit on training + validation rows at each example's chosen λ, as the reference does"
                : "training rows only (no validation rows)");
        ArrayNode bad = sp.putArray("non_finite_rows_excluded");
        read.nonFinite().forEach(bad::add);

        ObjectNode c = r.putObject("components");
        c.put("total", masks.rowLength());
        c.put("varying", written.varying());
        ArrayNode constant = c.putArray("zero_variance");
        for (int i : written.zeroVariance()) {
            constant.add(i);
        }
        c.put("standardisation", "mask_mean / mask_std over the final fit's rows (population std, as the reference); "
                + "zero-variance components get weight 0 and mask_std 1 (not 0) so the prediction formula stays finite");

        r.set("plan", planNode(json, plan, read));

        ObjectNode so = r.putObject("solver");
        so.put("name", config.solver().key());
        so.put("chosen_because", config.solverReason());
        so.set("details", json.valueToTree(details));

        r.putObject("timings_seconds");

        ObjectNode metrics = r.putObject("metrics");
        metrics.set("validation_mse", summary(json, written.validationMse()));
        metrics.set("validation_r2", summary(json, written.validationR2()));
        metrics.set("lambda", summary(json, written.lambda()));
        metrics.put("per_example", "val_mse.npy, val_r2.npy (NaN without validation rows), lam.npy");
        ArrayNode warnings = r.putArray("warnings");
        config.warnings().forEach(warnings::add);
        return r;
    }

    /** The fit's provenance: the store, the model its rows came from (as run.json records it), the fit's settings. */
    private static Provenance provenance(Path storeDir, Map<String, Object> settings) {
        RunConfig run = RunConfig.exists(storeDir) ? RunConfig.read(storeDir) : null;
        return Provenance.now(Attributions.FORMAT, Attributions.VERSION, storeDir, run == null ? null : run.model(),
                run == null ? null : run.modelSha256(), settings);
    }

    private static ObjectNode planNode(ObjectMapper json, FitPlan plan, StorePass.Masks read) {
        ObjectNode p = json.createObjectNode();
        p.put("training_fit", plan.trainMethod().name().toLowerCase(java.util.Locale.ROOT));
        p.put("final_fit", plan.finalMethod().name().toLowerCase(java.util.Locale.ROOT));
        p.put("precision", plan.precision() == org.coar.workbench.fit.linalg.Precision.DOUBLE ? "float64" : "float32");
        p.put("block_width", plan.blockWidth());
        p.put("blocks", plan.blocks());
        p.put("validation", plan.validation().text());
        p.put("budget_bytes", plan.budget().bytes());
        p.put("budget_source", plan.budget().source());
        p.put("peak_bytes", plan.peakBytes());
        p.put("dense_flops", plan.denseFlops());
        ArrayNode items = p.putArray("allocations");
        for (FitPlan.Item item : plan.items()) {
            ObjectNode i = items.addObject();
            i.put("what", item.what());
            i.put("bytes", item.bytes());
            i.put("per_block", item.perBlock());
        }
        ArrayNode notes = p.putArray("notes");
        plan.notes().forEach(notes::add);
        p.put("sparse_side", read.train().ablatedSide() ? "ablated (s = 1 − x)" : "kept (s = x)");
        p.put("sparse_side_density", read.density());
        p.put("text", plan.describe());
        return p;
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
}
