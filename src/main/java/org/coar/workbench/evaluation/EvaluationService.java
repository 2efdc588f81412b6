package org.coar.workbench.evaluation;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.store.Store;
import org.coar.workbench.store.StoreArrays;

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
            StagedOutput.refuseForeign(request.outDir(), EvaluationFiles::isEarlierEvaluation, "--out");
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
                 StagedOutput staged = StagedOutput.replacing(request.outDir(), EvaluationFiles::isEarlierEvaluation, "--out")) {
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
                EvaluationFiles.writeArrays(staged.dir(), request.alphas(), runs, methods);
                List<Path> figures = EvaluationFigures.write(staged.dir(), request.alphas(), methods, runs.correlations,
                        scatter, runs.actualOf(scatter), runs.predictedOf(scatter), validation).stream()
                        .map(f -> request.outDir().resolve(f.getFileName().toString())).toList();
                seconds.put("figures", elapsed(t));
                seconds.put("total", elapsed(started));
                Path report = request.outDir().resolve(EvaluationFiles.REPORT);
                EvaluationResult result = new EvaluationResult(request.outDir(), methods, alphaResults, validation, evaluationSeed,
                        request.runs(), scatter, report, figures);
                EvaluationFiles.writeReport(staged.dir().resolve(EvaluationFiles.REPORT), request, context, attributions, result,
                        storeSeed, workers, baselineNotes, seconds, provenance);
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
            StoreArrays arrays = StoreArrays.recorded(run);
            NpyArray masks = arrays.masksIn(store);
            NpyArray outputs = arrays.outputsIn(store);
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

}
