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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.coar.workbench.AtomicFiles;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.model.Devices;
import org.coar.workbench.attributions.Attributions;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.store.StoredRun;

/**
 * The evaluation output directory (DESIGN.md, "Evaluation"): its file names, its writer and its
 * reader. {@code report.json} (format {@value #FORMAT}; version 2 added the provenance header,
 * version 3 the predictions; versions 1 and 2 still read), {@code correlation_METHOD.npy},
 * {@code masks_alpha_A.npy}, {@code outputs_alpha_A.npy}, {@code predicted_METHOD_alpha_A.npy}
 * (from version 3), and the figures of {@link EvaluationFigures}.
 */
public final class EvaluationFiles {
    public static final String REPORT = "report.json";
    public static final String FORMAT = "coar-workbench/evaluation";
    public static final int VERSION = 3;
    private static final String MASKS = "masks";
    private static final String OUTPUTS = "outputs";
    private static final String CORRELATION = "correlation";
    private static final String PREDICTED = "predicted";

    private EvaluationFiles() {
    }

    /**
     * True when {@code dir} holds an earlier evaluation and nothing else (its report.json and the
     * arrays and figures it lists), so a new evaluation may replace it whole.
     */
    public static boolean isEarlierEvaluation(Path dir) {
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            String ours = java.util.regex.Pattern.quote(REPORT) + "|(" + MASKS + "|" + OUTPUTS + ")_alpha_[0-9.e-]+\\.npy|"
                    + PREDICTED + "_[a-z0-9_]+_alpha_[0-9.e-]+\\.npy|" + CORRELATION + "_[a-z0-9_]+\\.npy|[a-z0-9_]+\\.png";
            boolean onlyOurs = entries.allMatch(f -> Files.isRegularFile(f) && f.getFileName().toString().matches(ours));
            return onlyOurs && readsFormat(new ObjectMapper().readTree(dir.resolve(REPORT).toFile()).path("format").asText());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code format} is an evaluation report this workbench reads: every version up to {@link #VERSION}. */
    static boolean readsFormat(String format) {
        for (int version = 1; version <= VERSION; version++) {
            if (format.equals(FORMAT + "/" + version)) {
                return true;
            }
        }
        return false;
    }

    /** {@code masks_alpha_A.npy}: the keep-masks of the runs at α, bool (runs, components). */
    public static String masksFile(double alpha) {
        return MASKS + alphaSuffix(alpha);
    }

    /** {@code outputs_alpha_A.npy}: the ablated model's outputs of the runs at α, float32 (runs, examples). */
    public static String outputsFile(double alpha) {
        return OUTPUTS + alphaSuffix(alpha);
    }

    /**
     * {@code predicted_METHOD_alpha_A.npy}: what a method predicted for the runs at α, float32 (runs, examples);
     * written from version 3 on.
     */
    public static String predictedFile(String method, double alpha) {
        return PREDICTED + "_" + methodKey(method) + alphaSuffix(alpha);
    }

    /** {@code correlation_METHOD.npy}: a method's per-example correlation, float32 (alphas, examples). */
    public static String correlationFile(String method) {
        return CORRELATION + "_" + methodKey(method) + ".npy";
    }

    private static String alphaSuffix(double alpha) {
        return "_alpha_" + EvaluationResult.trim(alpha) + ".npy";
    }

    static String methodKey(String method) {
        return method.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    static void writeArrays(Path outDir, List<Double> alphas, EvaluationService.Runs runs, List<String> methods) {
        try {
            for (int a = 0; a < alphas.size(); a++) {
                boolean[][] masks = runs.masks.get(a);
                float[][] actual = runs.actual.get(a);
                Path maskFile = replace(outDir.resolve(masksFile(alphas.get(a))));
                NpyArray.create(maskFile, Dtype.BOOL, masks.length, masks[0].length);
                try (NpyArray array = NpyArray.open(maskFile, true)) {
                    for (int r = 0; r < masks.length; r++) {
                        array.writeRow(r, masks[r]);
                    }
                }
                Path outputFile = replace(outDir.resolve(outputsFile(alphas.get(a))));
                NpyArray.create(outputFile, Dtype.FLOAT32, actual.length, actual[0].length);
                try (NpyArray array = NpyArray.open(outputFile, true)) {
                    for (int r = 0; r < actual.length; r++) {
                        array.writeRow(r, actual[r]);
                    }
                }
            }
            for (String method : methods) {
                for (int a = 0; a < alphas.size(); a++) {
                    float[][] predicted = runs.predicted.get(method).get(a);
                    Path file = replace(outDir.resolve(predictedFile(method, alphas.get(a))));
                    NpyArray.create(file, Dtype.FLOAT32, predicted.length, predicted[0].length);
                    try (NpyArray array = NpyArray.open(file, true)) {
                        for (int r = 0; r < predicted.length; r++) {
                            array.writeRow(r, predicted[r]);
                        }
                    }
                }
                double[][] correlations = runs.correlations.get(method);
                Path file = replace(outDir.resolve(correlationFile(method)));
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

    /** Writes {@code report.json}: the provenance header, then what the evaluation found and how. */
    static void writeReport(Path file, EvaluationRequest request, StoredRun context, Attributions attributions,
                            EvaluationResult result, long storeSeed, List<Device> workers, Map<String, Object> baselineNotes,
                            Map<String, Double> seconds, String attributionsFittedOn) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode r = context.reportHeader(json, context.provenance(FORMAT, VERSION, settings(request)), request.attributionsDir());
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
        files.put("predictions", "predicted_<method>_alpha_<a>.npy float32 (runs, examples): each method's prediction for the runs");
        ArrayNode figures = files.putArray("figures");
        result.figures().forEach(f -> figures.add(f.getFileName().toString()));
        ObjectNode execution = r.putObject("execution");
        execution.put("workers", workers.size());
        ArrayNode devices = execution.putArray("devices");
        workers.stream().map(Devices::name).distinct().forEach(devices::add);
        r.set("timings_seconds", json.valueToTree(seconds));
        r.put("attributions_report", attributions.report() == null ? "absent" : "present");
        r.put("attributions_fitted_on", attributionsFittedOn);
        try {
            AtomicFiles.replace(file, temp -> json.writeValue(temp.toFile(), r));
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot write the report (" + e.getMessage() + ")", e);
        }
    }

    /** The evaluation's settings as its provenance records them. */
    private static Map<String, Object> settings(EvaluationRequest request) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("attributions", request.attributionsDir().toAbsolutePath().normalize().toString());
        settings.put("alphas", request.alphas());
        settings.put("runs", request.runs());
        settings.put("seed", request.seed());
        settings.put("baselines", request.baselines().stream().sorted().map(Baseline::method).toList());
        settings.put("devices", request.devices());
        settings.put("cpu_workers", request.cpuWorkers());
        settings.put("batch_size", request.batchSize());
        settings.put("example", request.scatterExample());
        settings.put("force_attributions", request.forceAttributions());
        return settings;
    }

    /**
     * Reads back the result an earlier evaluation wrote to {@code outDir} (a report of any version),
     * as {@link EvaluationService#evaluate} returned it.
     */
    public static EvaluationResult read(Path outDir) {
        Path file = outDir.resolve(REPORT);
        JsonNode r;
        try {
            r = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot read the evaluation report (" + e.getMessage() + "); run the evaluation again", e);
        }
        if (r == null || !readsFormat(r.path("format").asText())) {
            throw new WorkbenchException(file + ": not an evaluation report of this workbench (format '" + (r == null ? ""
                    : r.path("format").asText()) + "', expected '" + FORMAT + "/1' to '" + FORMAT + "/" + VERSION + "'); run the "
                    + "evaluation again");
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

    /** Each method's per-example correlation, {@code [alpha][example]}, NaN where an example's outputs never varied. */
    public record Correlations(List<Double> alphas, Map<String, double[][]> byMethod, int examples) {
    }

    /**
     * One example over the runs: the ablated model's actual outputs and each method's predictions, both
     * {@code [alpha][run]}. {@code predicted} is empty for an evaluation written before version 3, which
     * saved no predictions.
     */
    public record ExampleRuns(int example, List<Double> alphas, double[][] actual, Map<String, double[][]> predicted) {
    }

    /** Reads {@code correlation_METHOD.npy} of every method of {@code result}. */
    public static Correlations readCorrelations(EvaluationResult result) {
        List<Double> alphas = result.alphas().stream().map(EvaluationResult.AlphaResult::alpha).toList();
        Map<String, double[][]> byMethod = new LinkedHashMap<>();
        int examples = 0;
        for (String method : result.methods()) {
            Path file = result.outDir().resolve(correlationFile(method));
            try (NpyArray array = openArray(file, alphas.size())) {
                examples = (int) array.rowLength();
                double[][] values = new double[alphas.size()][examples];
                for (int a = 0; a < alphas.size(); a++) {
                    array.readRows(a, 1, values[a]);
                }
                byMethod.put(method, values);
            }
        }
        return new Correlations(alphas, byMethod, examples);
    }

    /** Reads example {@code example}'s column of {@code outputs_alpha_A.npy} and of each method's {@code predicted_METHOD_alpha_A.npy}. */
    public static ExampleRuns readExample(EvaluationResult result, int example) {
        List<Double> alphas = result.alphas().stream().map(EvaluationResult.AlphaResult::alpha).toList();
        double[][] actual = new double[alphas.size()][];
        Map<String, double[][]> predicted = new LinkedHashMap<>();
        for (int a = 0; a < alphas.size(); a++) {
            actual[a] = column(result.outDir().resolve(outputsFile(alphas.get(a))), result.runs(), example);
        }
        for (String method : result.methods()) {
            double[][] perAlpha = new double[alphas.size()][];
            for (int a = 0; a < alphas.size(); a++) {
                Path file = result.outDir().resolve(predictedFile(method, alphas.get(a)));
                if (!Files.exists(file)) {
                    perAlpha = null; // a report before version 3: no predictions saved
                    break;
                }
                perAlpha[a] = column(file, result.runs(), example);
            }
            if (perAlpha != null) {
                predicted.put(method, perAlpha);
            }
        }
        return new ExampleRuns(example, alphas, actual, predicted);
    }

    private static double[] column(Path file, int runs, int example) {
        try (NpyArray array = openArray(file, runs)) {
            if (example < 0 || example >= array.rowLength()) {
                throw new WorkbenchException(file + ": example " + example + " is outside 0.." + (array.rowLength() - 1));
            }
            double[] values = new double[runs];
            for (int r = 0; r < runs; r++) {
                values[r] = array.get(r * array.rowLength() + example);
            }
            return values;
        }
    }

    /** Opens a two-dimensional array of the evaluation, checking it has {@code rows} rows. */
    private static NpyArray openArray(Path file, int rows) {
        NpyArray array;
        try {
            array = NpyArray.open(file, false);
        } catch (IOException | RuntimeException e) {
            throw new WorkbenchException(file + ": cannot read this evaluation array (" + e.getMessage() + "); run the evaluation again", e);
        }
        if (array.rowShape().length != 1 || array.rows() != rows) {
            long found = array.rows();
            array.close();
            throw new WorkbenchException(file + ": expected " + rows + " rows of one dimension, found " + found
                    + " rows; run the evaluation again");
        }
        return array;
    }

    private static Correlation.Summary summaryOf(JsonNode n) {
        return new Correlation.Summary(n.path("mean").asDouble(Double.NaN), n.path("median").asDouble(Double.NaN),
                n.path("q25").asDouble(Double.NaN), n.path("q75").asDouble(Double.NaN), n.path("min").asDouble(Double.NaN),
                n.path("max").asDouble(Double.NaN), n.path("examples").asInt(), n.path("undefined").asInt());
    }

    /** A summary as JSON, with null for undefined values (JSON has no NaN). */
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
