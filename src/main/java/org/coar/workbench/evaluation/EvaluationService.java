package org.coar.workbench.evaluation;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.coar.workbench.AtomicFiles;
import org.coar.workbench.StagedOutput;
import org.coar.workbench.attributions.FittedOn;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.attributions.Attributions;
import org.coar.workbench.attributions.FitSplit;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;
import org.coar.workbench.store.RowMasks;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.store.StoredRun;
import org.coar.workbench.data.DataLoader;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.model.AblatedEvaluator;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.Devices;
import org.coar.workbench.model.OutputFunction;
import org.coar.workbench.model.ReplicaPool;
import org.coar.workbench.model.TorchModel;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.store.Store;

/**
 * Evaluates attributions the way the paper does (Fig. 1): fresh random ablations at each α, the
 * ablated model run on every evaluation example, and per example the Pearson correlation between
 * actual outputs and the outputs predicted from the attributions, over the runs; the same for the
 * baselines; plus, without running the model, the correlation on the store's held-out rows.
 * <p>
 * Fresh masks never reuse the store's: run r at α uses {@code RowMasks.keepMask(maskSeed(α), r, p, α)},
 * where {@code maskSeed} derives from an evaluation seed that differs from the store's seed, so the
 * masks come from other random streams than every store row (two masks still agree by chance with
 * probability (α² + (1 − α)²)^p, about 4·10⁻¹¹ for p = 240 at α = 0.05).
 */
public final class EvaluationService {
    public static final String REPORT = "report.json";
    public static final String REPORT_FORMAT = "coar-workbench/evaluation/1";
    /** Mixed into the store's seed to derive the evaluation seed ("evaluate" in ASCII). */
    private static final long EVALUATION_SALT = 0x6576616c75617465L;
    private static final int VALIDATION_BLOCK = 256;

    /**
     * Runs the evaluation; a cancel ends it with {@link org.coar.workbench.job.JobCancelledException}. The output
     * directory is written all or nothing: a failure or cancel leaves it as it was (an earlier evaluation there stays whole).
     * {@code listener} hears progress from worker threads, one event at a time.
     */
    public EvaluationResult evaluate(EvaluationRequest request, Consumer<Progress> listener, Cancellation cancel) {
        checkRequest(request);
        Consumer<Progress> progress = Progress.serialised(listener);
        Map<String, Double> seconds = new LinkedHashMap<>();
        long started = System.nanoTime();
        Path storeDir = request.storeDir();
        StoredRun context = StoredRun.open(storeDir);
        RunConfig run = context.run();
        Components components = context.components();
        EvalData data = context.data();
        int p = components.total();
        int m = data.size();
        long storeSeed = run.seed() == null ? 0 : run.seed();
        long evaluationSeed = request.seed() != null ? request.seed() : storeSeed ^ EVALUATION_SALT;
        for (double alpha : request.alphas()) {
            if (maskSeed(evaluationSeed, alpha) == storeSeed) {
                throw new WorkbenchException("--seed " + evaluationSeed + ": the masks at alpha " + alpha + " would come from the "
                        + "store's own random stream (seed " + storeSeed + "); choose another --seed");
            }
        }
        if (request.scatterExample() != null && (request.scatterExample() < 0 || request.scatterExample() >= m)) {
            throw new WorkbenchException("--example " + request.scatterExample() + " is outside 0.." + (m - 1) + " (the store has "
                    + m + " evaluation examples)");
        }
        try (Attributions attributions = Attributions.load(request.attributionsDir())) {
            attributions.checkMatches(storeDir, p, m);
            String provenance = FittedOn.check(attributions, FittedOn.of(storeDir), request.forceAttributions());
            // Only now: the default --out lies inside the attributions directory, so creating it
            // first would make a mistyped --attributions path look like an incomplete attributions directory.
            StagedOutput.refuseForeign(request.outDir(), EvaluationService::isEarlierEvaluation, "--out");
            long t = System.nanoTime();
            EvaluationResult.ValidationCheck validation = validationCheck(storeDir, run, attributions, progress, cancel);
            seconds.put("store_rows_check", elapsed(t));

            List<Device> workers = Devices.workers(request.devices(), request.cpuWorkers());
            OutputFunction output = OutputFunction.parse(run.output());
            Path modelFile = Path.of(run.model());
            progress.accept(new Progress("loading " + workers.size() + " model replicas", 0, workers.size(), "replicas"));
            Devices.checkAutocast(run.usesAutocast(), workers);
            try (ReplicaPool pool = ReplicaPool.loaded(modelFile, workers, components, data, request.batchSize(), output,
                    run.modelOutput(), run.usesAutocast());
                 StagedOutput staged = StagedOutput.replacing(request.outDir(), EvaluationService::isEarlierEvaluation, "--out")) {
                t = System.nanoTime();
                AblatedEvaluator.Result[] unablated = pool.evaluate(1, i -> allKept(p), (i, r) -> { }, cancel);
                float[] fullOutputs = unablated[0].outputs();
                List<ComponentScores> baselines = new ArrayList<>();
                Map<String, Object> baselineNotes = new LinkedHashMap<>();
                if (request.baselines().contains(Baseline.LEAVE_ONE_OUT)) {
                    LeaveOneOut.CacheKey key = new LeaveOneOut.CacheKey(context.modelSha256(), run.data(), output.cliName(),
                            components.groups(), m);
                    LeaveOneOut.Outcome loo = LeaveOneOut.compute(storeDir, key, pool, fullOutputs, progress, cancel);
                    baselines.add(loo.scores());
                    baselineNotes.put(LeaveOneOut.METHOD, Map.of("cache", String.valueOf(loo.cacheDir()), "rows_from_cache",
                            loo.cachedRows(), "rows_computed", loo.computedRows()));
                    seconds.put("leave_one_out", elapsed(t));
                }
                if (request.baselines().contains(Baseline.GRADIENT_X_PARAMETER) || request.baselines().contains(Baseline.WEIGHT_NORM)) {
                    t = System.nanoTime();
                    try (TorchModel gradients = TorchModel.loadForGradients(modelFile, workers.getFirst()).selectOutput(run.modelOutput())) {
                        if (request.baselines().contains(Baseline.GRADIENT_X_PARAMETER)) {
                            AtomicLong done = new AtomicLong();
                            float[][] scores = GradientTimesParameter.scores(gradients, components, data, output,
                                    j -> progress.accept(new Progress(GradientTimesParameter.METHOD, done.incrementAndGet(), m,
                                            "examples")), cancel);
                            baselines.add(new ComponentScores(GradientTimesParameter.METHOD, scores, fullOutputs.clone()));
                            baselineNotes.put(GradientTimesParameter.METHOD, Map.of("device", Devices.name(workers.getFirst())));
                            seconds.put("gradient_x_parameter", elapsed(t));
                        }
                        if (request.baselines().contains(Baseline.WEIGHT_NORM)) {
                            baselines.add(WeightNorm.scores(gradients, components, m));
                        }
                    }
                }
                baselines.sort(java.util.Comparator.comparingInt(b -> baselineOrder(b.method())));

                t = System.nanoTime();
                Runs runs = runAblations(request, evaluationSeed, p, pool, attributions, baselines, progress, cancel);
                seconds.put("ablations", elapsed(t));

                List<String> methods = new ArrayList<>();
                methods.add(EvaluationResult.COAR);
                baselines.forEach(b -> methods.add(b.method()));
                int scatter = request.scatterExample() != null ? request.scatterExample()
                        : medianExample(runs.correlations.get(EvaluationResult.COAR)[closestAlpha(request.alphas(), run.alpha())]);
                List<EvaluationResult.AlphaResult> alphaResults = new ArrayList<>();
                for (int a = 0; a < request.alphas().size(); a++) {
                    Map<String, Correlation.Summary> byMethod = new LinkedHashMap<>();
                    for (String method : methods) {
                        byMethod.put(method, Correlation.Summary.of(runs.correlations.get(method)[a]));
                    }
                    double alpha = request.alphas().get(a);
                    alphaResults.add(new EvaluationResult.AlphaResult(alpha, maskSeed(evaluationSeed, alpha), byMethod));
                }

                t = System.nanoTime();
                progress.accept(new Progress("writing the report and figures", 0, 1, "files"));
                writeArrays(staged.dir(), request.alphas(), runs, methods);
                List<Path> figures = EvaluationFigures.write(staged.dir(), request.alphas(), methods, runs.correlations,
                        scatter, runs.actualOf(scatter), runs.predictedOf(scatter), validation).stream()
                        .map(f -> request.outDir().resolve(f.getFileName().toString())).toList();
                seconds.put("figures", elapsed(t));
                seconds.put("total", elapsed(started));
                Path report = request.outDir().resolve(REPORT);
                EvaluationResult result = new EvaluationResult(request.outDir(), methods, alphaResults, validation, evaluationSeed,
                        request.runs(), scatter, report, figures);
                writeReport(staged.dir().resolve(REPORT), request, context, attributions, result, storeSeed, workers, baselineNotes,
                        seconds, provenance);
                staged.commit();
                progress.accept(new Progress("writing the report and figures", 1, 1, "files"));
                return result;
            }
        }
    }

    private static void checkRequest(EvaluationRequest request) {
        if (request.alphas().isEmpty()) {
            throw new WorkbenchException("--alphas: give at least one ablated fraction, e.g. 0.025,0.05,0.1");
        }
        for (double alpha : request.alphas()) {
            if (!(alpha > 0 && alpha < 1)) {
                throw new WorkbenchException("--alphas: each ablated fraction must be in (0, 1), got " + alpha);
            }
        }
        if (request.alphas().stream().distinct().count() != request.alphas().size()) {
            throw new WorkbenchException("--alphas: " + request.alphas() + " lists an alpha twice");
        }
        if (request.runs() < 3) {
            throw new WorkbenchException("--runs: a correlation over runs needs at least 3 runs per alpha, got " + request.runs()
                    + " (the paper uses 100 or more)");
        }
        if (request.batchSize() < 0) {
            throw new WorkbenchException("--batch-size must be at least 1 (or auto), got " + request.batchSize());
        }
    }

    /** The seed of run masks at {@code alpha}: the evaluation seed mixed with the bits of α. */
    public static long maskSeed(long evaluationSeed, double alpha) {
        return evaluationSeed ^ Long.rotateLeft(Double.doubleToLongBits(alpha) * 0x9E3779B97F4A7C15L, 17);
    }

    /** The keep-mask of run {@code run} at {@code alpha}. */
    public static boolean[] runMask(long evaluationSeed, double alpha, int run, int components) {
        return RowMasks.keepMask(maskSeed(evaluationSeed, alpha), run, components, alpha);
    }

    private static boolean[] allKept(int p) {
        boolean[] keep = new boolean[p];
        Arrays.fill(keep, true);
        return keep;
    }

    private static int baselineOrder(String method) {
        for (Baseline b : Baseline.values()) {
            if (b.method().equals(method)) {
                return b.ordinal();
            }
        }
        return Integer.MAX_VALUE;
    }

    private static double elapsed(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e6) / 1e3;
    }

    /**
     * True when {@code dir} holds an earlier evaluation and nothing else (its report.json and the
     * arrays and figures it lists), so a new evaluation may replace it whole.
     */
    static boolean isEarlierEvaluation(Path dir) {
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            boolean onlyOurs = entries.allMatch(f -> Files.isRegularFile(f) && f.getFileName().toString().matches(
                    "report\\.json|(masks|outputs)_alpha_[0-9.e-]+\\.npy|correlation_[a-z0-9_]+\\.npy|[a-z0-9_]+\\.png"));
            return onlyOurs && REPORT_FORMAT.equals(new ObjectMapper().readTree(dir.resolve(REPORT).toFile()).path("format").asText());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Correlation on the store rows the fit did not train on, predictions only. */
    private static EvaluationResult.ValidationCheck validationCheck(Path storeDir, RunConfig run, Attributions attributions,
                                                                   Consumer<Progress> progress, Cancellation cancel) {
        try (Store store = Store.open(storeDir, false)) {
            FitSplit.Rows rows = attributions.split().rowsToCheck(store);
            String stage = "predicting " + rows.rows().length + " store rows";
            if (rows.rows().length < 3) {
                String why = rows.rows().length == 0 ? rows.description() : "only " + rows.rows().length + " such rows";
                return new EvaluationResult.ValidationCheck(rows.rows().length, rows.inSample(), why,
                        Correlation.Summary.of(new double[0]));
            }
            NpyArray masks = store.array(run.maskArray() == null ? "masks" : run.maskArray());
            NpyArray outputs = store.array(run.outputArray());
            Correlation.Accumulator accumulator = new Correlation.Accumulator(attributions.examples());
            float[] maskRow = new float[(int) masks.rowLength()];
            for (int start = 0; start < rows.rows().length; start += VALIDATION_BLOCK) {
                cancel.throwIfCancelled();
                int count = Math.min(VALIDATION_BLOCK, rows.rows().length - start);
                List<boolean[]> keeps = new ArrayList<>();
                List<float[]> actual = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    long row = rows.rows()[start + i];
                    masks.readRows(row, 1, maskRow);
                    boolean[] keep = new boolean[maskRow.length];
                    for (int c = 0; c < keep.length; c++) {
                        keep[c] = maskRow[c] != 0;
                    }
                    keeps.add(keep);
                    actual.add(outputs.readRow(row));
                }
                float[][] predicted = attributions.predict(keeps);
                for (int i = 0; i < count; i++) {
                    accumulator.add(actual.get(i), predicted[i]);
                }
                progress.accept(new Progress(stage, start + count, rows.rows().length, "rows"));
            }
            return new EvaluationResult.ValidationCheck(rows.rows().length, rows.inSample(), rows.description(),
                    Correlation.Summary.of(accumulator.result()));
        }
    }

    /** Actual and predicted outputs of every run, and the per-example correlations, per method and α. */
    static final class Runs {
        final List<boolean[][]> masks = new ArrayList<>();          // [alpha][run][component]
        final List<float[][]> actual = new ArrayList<>();           // [alpha][run][example]
        final Map<String, List<float[][]>> predicted = new LinkedHashMap<>();
        final Map<String, double[][]> correlations = new LinkedHashMap<>(); // method -> [alpha][example]

        /** [alpha][run] actual outputs of one example. */
        double[][] actualOf(int example) {
            return actual.stream().map(runs -> column(runs, example)).toArray(double[][]::new);
        }

        /** method -> [alpha][run] predicted outputs of one example. */
        Map<String, double[][]> predictedOf(int example) {
            Map<String, double[][]> out = new LinkedHashMap<>();
            predicted.forEach((method, perAlpha) -> out.put(method, perAlpha.stream().map(runs -> column(runs, example))
                    .toArray(double[][]::new)));
            return out;
        }

        private static double[] column(float[][] runs, int example) {
            double[] values = new double[runs.length];
            for (int r = 0; r < runs.length; r++) {
                values[r] = runs[r][example];
            }
            return values;
        }
    }

    private static Runs runAblations(EvaluationRequest request, long evaluationSeed, int p, ReplicaPool pool, Attributions attributions,
                                     List<ComponentScores> baselines, Consumer<Progress> progress, Cancellation cancel) {
        Runs runs = new Runs();
        List<String> methods = new ArrayList<>();
        methods.add(EvaluationResult.COAR);
        baselines.forEach(b -> methods.add(b.method()));
        for (String method : methods) {
            runs.predicted.put(method, new ArrayList<>());
            runs.correlations.put(method, new double[request.alphas().size()][]);
        }
        for (int a = 0; a < request.alphas().size(); a++) {
            double alpha = request.alphas().get(a);
            boolean[][] masks = new boolean[request.runs()][];
            for (int r = 0; r < masks.length; r++) {
                masks[r] = runMask(evaluationSeed, alpha, r, p);
            }
            String stage = "ablations at alpha " + EvaluationResult.trim(alpha);
            AtomicLong done = new AtomicLong();
            progress.accept(new Progress(stage, 0, masks.length, "models"));
            AblatedEvaluator.Result[] results = pool.evaluate(masks.length, r -> masks[r],
                    (r, result) -> progress.accept(new Progress(stage, done.incrementAndGet(), masks.length, "models")), cancel);
            float[][] actual = Arrays.stream(results).map(AblatedEvaluator.Result::outputs).toArray(float[][]::new);
            runs.masks.add(masks);
            runs.actual.add(actual);
            List<boolean[]> maskList = Arrays.asList(masks);
            Map<String, float[][]> predictions = new LinkedHashMap<>();
            predictions.put(EvaluationResult.COAR, attributions.predict(maskList));
            for (ComponentScores baseline : baselines) {
                predictions.put(baseline.method(), baseline.predict(maskList));
            }
            for (Map.Entry<String, float[][]> e : predictions.entrySet()) {
                runs.predicted.get(e.getKey()).add(e.getValue());
                runs.correlations.get(e.getKey())[a] = Correlation.perExample(actual, e.getValue());
            }
        }
        return runs;
    }

    static int closestAlpha(List<Double> alphas, Double storeAlpha) {
        double target = storeAlpha == null ? alphas.getFirst() : storeAlpha;
        int best = 0;
        for (int a = 1; a < alphas.size(); a++) {
            if (Math.abs(alphas.get(a) - target) < Math.abs(alphas.get(best) - target)) {
                best = a;
            }
        }
        return best;
    }

    /** The example whose correlation is the median of the defined ones (a typical example, not a cherry-picked one). */
    static int medianExample(double[] correlations) {
        Integer[] order = new Integer[correlations.length];
        int defined = 0;
        for (int j = 0; j < correlations.length; j++) {
            if (!Double.isNaN(correlations[j])) {
                order[defined++] = j;
            }
        }
        if (defined == 0) {
            return 0;
        }
        Integer[] sorted = Arrays.copyOf(order, defined);
        Arrays.sort(sorted, (x, y) -> Double.compare(correlations[x], correlations[y]));
        return sorted[defined / 2];
    }

    static String methodKey(String method) {
        return method.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    private static void writeArrays(Path outDir, List<Double> alphas, Runs runs, List<String> methods) {
        try {
            for (int a = 0; a < alphas.size(); a++) {
                String suffix = "_alpha_" + EvaluationResult.trim(alphas.get(a)) + ".npy";
                boolean[][] masks = runs.masks.get(a);
                float[][] actual = runs.actual.get(a);
                Path maskFile = replace(outDir.resolve("masks" + suffix));
                NpyArray.create(maskFile, Dtype.BOOL, masks.length, masks[0].length);
                try (NpyArray array = NpyArray.open(maskFile, true)) {
                    for (int r = 0; r < masks.length; r++) {
                        array.writeRow(r, masks[r]);
                    }
                }
                Path outputFile = replace(outDir.resolve("outputs" + suffix));
                NpyArray.create(outputFile, Dtype.FLOAT32, actual.length, actual[0].length);
                try (NpyArray array = NpyArray.open(outputFile, true)) {
                    for (int r = 0; r < actual.length; r++) {
                        array.writeRow(r, actual[r]);
                    }
                }
            }
            for (String method : methods) {
                double[][] correlations = runs.correlations.get(method);
                Path file = replace(outDir.resolve("correlation_" + methodKey(method) + ".npy"));
                NpyArray.create(file, Dtype.FLOAT32, correlations.length, correlations[0].length);
                try (NpyArray array = NpyArray.open(file, true)) {
                    for (int a = 0; a < correlations.length; a++) {
                        array.writeRow(a, correlations[a]);
                    }
                }
            }
        } catch (IOException e) {
            throw new WorkbenchException(outDir + ": cannot write the evaluation arrays (" + e.getMessage() + ")", e);
        }
    }

    private static Path replace(Path file) throws IOException {
        Files.deleteIfExists(file);
        return file;
    }

    private static void writeReport(Path file, EvaluationRequest request, StoredRun context, Attributions attributions,
                                    EvaluationResult result, long storeSeed, List<Device> workers, Map<String, Object> baselineNotes,
                                    Map<String, Double> seconds, String provenance) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode r = context.reportHeader(json, REPORT_FORMAT, request.attributionsDir());
        r.put("output", context.run().output());
        r.put("components", context.components().total());
        r.put("examples", context.data().size());
        ObjectNode masks = r.putObject("masks");
        masks.put("store_seed", storeSeed);
        masks.put("evaluation_seed", result.evaluationSeed());
        masks.put("evaluation_seed_given", request.seed() != null);
        masks.put("rule", "run r at alpha a keeps component c iff RowMasks.keepMask(mask_seed(a), r, components, a)[c]; "
                + "mask_seed(a) = evaluation_seed XOR rotl64(bits(a) * 0x9E3779B97F4A7C15, 17); the default evaluation seed "
                + "is store_seed XOR 0x6576616c75617465, so fresh masks come from other random streams than the store's rows");
        masks.put("runs_per_alpha", request.runs());
        r.put("sign_convention", "every method's score of a component is the effect on the output of KEEPING it (COAR's "
                + "raw weights; leave-one-out: unablated output minus output with the component alone ablated; gradient x "
                + "parameter: sum over the slice of d output / d w * w, the first-order estimate of the same; weight norm: "
                + "||slice||). Baseline prediction for a mask = unablated output - sum of the ablated components' scores; COAR "
                + "prediction = ((x - mask_mean) / mask_std) . weight[:, j] + bias[j]. Correlation: Pearson over the runs, per example.");
        ArrayNode methods = r.putArray("methods");
        result.methods().forEach(methods::add);
        ArrayNode alphas = r.putArray("results");
        for (EvaluationResult.AlphaResult a : result.alphas()) {
            ObjectNode node = alphas.addObject();
            node.put("alpha", a.alpha());
            node.put("mask_seed", a.maskSeed());
            ObjectNode byMethod = node.putObject("correlation");
            a.byMethod().forEach((method, summary) -> byMethod.set(method, summaryNode(json, summary)));
        }
        ObjectNode check = r.putObject("store_rows_check");
        check.put("rows", result.validation().rows());
        check.put("in_sample", result.validation().inSample());
        check.put("rows_are", result.validation().description());
        check.set("correlation", summaryNode(json, result.validation().summary()));
        r.set("baselines", json.valueToTree(baselineNotes));
        r.put("scatter_example", result.scatterExample());
        ObjectNode files = r.putObject("files");
        files.put("correlations", "correlation_<method>.npy: float32 (alphas, examples), NaN where an example's outputs never varied");
        files.put("runs", "masks_alpha_<a>.npy bool (runs, components) and outputs_alpha_<a>.npy float32 (runs, examples)");
        ArrayNode figures = files.putArray("figures");
        result.figures().forEach(f -> figures.add(f.getFileName().toString()));
        ObjectNode execution = r.putObject("execution");
        execution.put("workers", workers.size());
        ArrayNode devices = execution.putArray("devices");
        workers.stream().map(Devices::name).distinct().forEach(devices::add);
        r.set("timings_seconds", json.valueToTree(seconds));
        r.put("attributions_report", attributions.report() == null ? "absent" : "present");
        r.put("attributions_fitted_on", provenance);
        try {
            AtomicFiles.replace(file, temp -> json.writeValue(temp.toFile(), r));
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot write the report (" + e.getMessage() + ")", e);
        }
    }

    /** A summary as JSON, with null for undefined values (JSON has no NaN). */
    /** Reads back the result an earlier evaluation wrote to {@code outDir}, as {@link #evaluate} returned it. */
    public static EvaluationResult readReport(Path outDir) {
        Path file = outDir.resolve(REPORT);
        JsonNode r;
        try {
            r = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot read the evaluation report (" + e.getMessage() + "); run the evaluation again", e);
        }
        if (r == null || !REPORT_FORMAT.equals(r.path("format").asText())) {
            throw new WorkbenchException(file + ": not an evaluation report of this workbench (format '" + (r == null ? ""
                    : r.path("format").asText()) + "', expected '" + REPORT_FORMAT + "'); run the evaluation again");
        }
        List<String> methods = new ArrayList<>();
        r.path("methods").forEach(m -> methods.add(m.asText()));
        List<EvaluationResult.AlphaResult> alphas = new ArrayList<>();
        for (JsonNode a : r.path("results")) {
            Map<String, Correlation.Summary> byMethod = new LinkedHashMap<>();
            a.path("correlation").properties().forEach(e -> byMethod.put(e.getKey(), summaryOf(e.getValue())));
            alphas.add(new EvaluationResult.AlphaResult(a.path("alpha").asDouble(), a.path("mask_seed").asLong(), byMethod));
        }
        JsonNode check = r.path("store_rows_check");
        EvaluationResult.ValidationCheck validation = new EvaluationResult.ValidationCheck(check.path("rows").asInt(),
                check.path("in_sample").asBoolean(), check.path("rows_are").asText(), summaryOf(check.path("correlation")));
        List<Path> figures = new ArrayList<>();
        r.path("files").path("figures").forEach(f -> figures.add(outDir.resolve(f.asText())));
        return new EvaluationResult(outDir, methods, alphas, validation, r.path("masks").path("evaluation_seed").asLong(),
                r.path("masks").path("runs_per_alpha").asInt(), r.path("scatter_example").asInt(), file, figures);
    }

    private static Correlation.Summary summaryOf(JsonNode n) {
        return new Correlation.Summary(n.path("mean").asDouble(Double.NaN), n.path("median").asDouble(Double.NaN),
                n.path("q25").asDouble(Double.NaN), n.path("q75").asDouble(Double.NaN), n.path("min").asDouble(Double.NaN),
                n.path("max").asDouble(Double.NaN), n.path("examples").asInt(), n.path("undefined").asInt());
    }

    static ObjectNode summaryNode(ObjectMapper json, Correlation.Summary s) {
        ObjectNode n = json.createObjectNode();
        putFinite(n, "mean", s.mean());
        putFinite(n, "median", s.median());
        putFinite(n, "q25", s.q25());
        putFinite(n, "q75", s.q75());
        putFinite(n, "min", s.min());
        putFinite(n, "max", s.max());
        n.put("examples", s.count());
        n.put("undefined", s.undefined());
        return n;
    }

    private static void putFinite(ObjectNode n, String key, double value) {
        if (Double.isFinite(value)) {
            n.put(key, value);
        } else {
            n.putNull(key);
        }
    }
}
