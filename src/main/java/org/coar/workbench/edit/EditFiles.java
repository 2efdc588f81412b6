package org.coar.workbench.edit;

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
import java.util.Map;
import org.coar.workbench.AtomicFiles;
import org.coar.workbench.Provenance;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.model.Devices;
import org.coar.workbench.attributions.Attributions;
import org.coar.workbench.store.StoredRun;

/**
 * The edit output directory: its file names, its writer and its reader. {@code report.json}
 * (format {@value #FORMAT}; version 2 added the provenance header, version 3 the reference
 * examples, the explicit mode and {@code margins.csv}; versions 1 and 2 still read),
 * {@code margins.csv} (every example's margin before and after), and {@code sweep.csv} and
 * {@code sweep.png} when the edit swept k.
 */
public final class EditFiles {
    public static final String REPORT = "report.json";
    public static final String FORMAT = "coar-workbench/edit";
    public static final int VERSION = 3;
    public static final String SWEEP_CSV = "sweep.csv";
    public static final String SWEEP_PNG = "sweep.png";
    public static final String MARGINS_CSV = "margins.csv";

    private EditFiles() {
    }

    /**
     * Writes {@code outDir}: {@code margins.csv}, {@code sweep.csv} when the edit swept k (its figure is
     * drawn by {@link EditFigures}; without a sweep an earlier edit's sweep files are removed, so they
     * are never read as this one's), then {@code report.json} with the provenance header.
     */
    static void write(Path outDir, EditRequest request, StoredRun stored, Attributions attributions, EditResult result,
                      List<Device> workers, String attributionsFittedOn) {
        write(outDir.resolve(MARGINS_CSV), result.marginsCsv(stored.data().labels()));
        if (!result.sweep().isEmpty()) {
            write(outDir.resolve(SWEEP_CSV), result.sweepCsv());
        } else {
            try {
                Files.deleteIfExists(outDir.resolve(SWEEP_CSV));
                Files.deleteIfExists(outDir.resolve(SWEEP_PNG));
            } catch (IOException e) {
                throw new WorkbenchException(outDir + ": cannot remove the earlier edit's sweep (" + e.getMessage() + ")", e);
            }
        }
        writeReport(outDir.resolve(REPORT), request, stored, attributions, result, workers, attributionsFittedOn);
    }

    /** The edit's settings as its provenance records them. */
    private static Map<String, Object> settings(EditRequest request) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("attributions", request.attributionsDir().toAbsolutePath().normalize().toString());
        settings.put("target", request.target());
        settings.put("reference", request.reference());
        settings.put("k", request.k());
        settings.put("mode", request.mode().cliName());
        settings.put("components", request.components());
        settings.put("sweep", request.sweepMax());
        settings.put("save", request.save() == null ? null : request.save().toAbsolutePath().normalize().toString());
        settings.put("devices", request.devices());
        settings.put("cpu_workers", request.cpuWorkers());
        settings.put("batch_size", request.batchSize());
        settings.put("force_attributions", request.forceAttributions());
        return settings;
    }

    private static void write(Path file, String text) {
        try {
            AtomicFiles.replace(file, temp -> Files.writeString(temp, text));
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    private static void writeReport(Path file, EditRequest request, StoredRun stored, Attributions attributions, EditResult result,
                                    List<Device> workers, String attributionsFittedOn) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode r = stored.reportHeader(json, stored.provenance(FORMAT, VERSION, settings(request)), request.attributionsDir());
        r.put("target_spec", request.target());
        r.put("reference_spec", request.reference());
        r.set("target", json.valueToTree(result.target()));
        r.put("reference_examples", result.reference().length);
        r.set("reference", json.valueToTree(result.reference()));
        r.put("mode", request.mode().cliName());
        r.put("k", request.k());
        r.put("scoring", "Welch t-statistic per component of target vs reference attributions (raw weights: effect of keeping), "
                + "(mean_t - mean_r) / sqrt(var_t/n_t + var_r/n_r), population variances, as the reference coar_edit.py; "
                + "topk ablates the highest scores, bottomk the lowest");
        ArrayNode ablated = r.putArray("ablated");
        for (EditResult.AblatedComponent c : result.ablated()) {
            ObjectNode node = ablated.addObject();
            node.put("index", c.index());
            node.put("component", c.label());
            if (Double.isNaN(c.score())) {
                node.putNull("t"); // an explicit set without a target has no scores
            } else if (Double.isFinite(c.score())) {
                node.put("t", c.score());
            } else {
                node.put("t", c.score() > 0 ? "inf" : "-inf");
            }
        }
        r.put("pytorch_recipe", EditService.pytorchRecipe(stored.components(), result.ablated(), stored.run().model()));
        r.set("before", metricsNode(json, result.before()));
        r.set("after", metricsNode(json, result.after()));
        if (!result.sweep().isEmpty()) {
            r.put("sweep", SWEEP_CSV + " and " + SWEEP_PNG + ": k = 1.." + result.sweep().size());
        }
        r.put("margins", MARGINS_CSV + ": every example's margin before and after the edit");
        r.put("flipped_to_right", result.flipped().stream().filter(EditResult.Flip::fixed).count());
        r.put("flipped_to_wrong", result.flipped().stream().filter(f -> !f.fixed()).count());
        if (result.saved() != null) {
            ObjectNode saved = r.putObject("saved_model");
            saved.put("file", result.saved().toAbsolutePath().normalize().toString());
            saved.put("format", "TorchScript written by libtorch (DJL PyTorch engine) from the loaded model with the ablated "
                    + "slices zeroed; torch.jit.load opens it");
            saved.put("reloaded_max_abs_margin_difference", result.reloadMaxAbsDifference());
        }
        ArrayNode devices = r.putArray("devices");
        workers.stream().map(Devices::name).distinct().forEach(devices::add);
        r.put("attributions_report", attributions.report() == null ? "absent" : "present");
        r.put("attributions_fitted_on", attributionsFittedOn);
        r.set("warnings", json.valueToTree(result.warnings()));
        try {
            AtomicFiles.replace(file, temp -> json.writeValue(temp.toFile(), r));
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot write the report (" + e.getMessage() + ")", e);
        }
    }

    private static ObjectNode metricsNode(ObjectMapper json, EditResult.Metrics m) {
        ObjectNode n = json.createObjectNode();
        n.set("target", json.valueToTree(m.target()));
        n.set("reference", json.valueToTree(m.reference()));
        n.set("all", json.valueToTree(m.all()));
        return n;
    }

    /**
     * What an earlier edit wrote to {@code outDir}, from its report.json (any version up to {@link #VERSION}).
     *
     * @param ablated   the ablated components, best first, with their t-scores (±infinity where the report says inf, NaN where none)
     * @param reference the reference examples; empty before version 3, which recorded only their count
     * @param sweep     the sweep over k from sweep.csv; empty when the edit did not sweep
     * @param saved     the edited model the edit saved, or null
     * @param marginsBefore every example's margin before the edit, from margins.csv; empty before version 3
     * @param targetSpec    the target as it was typed ({@link ExampleSet} syntax)
     */
    public record Report(Path dir, Provenance provenance, EditMode mode, int k, int[] target, int[] reference,
                         List<EditResult.AblatedComponent> ablated, EditResult.Metrics before, EditResult.Metrics after,
                         List<EditResult.SweepRow> sweep, Path saved, double reloadMaxAbsDifference, float[] marginsBefore,
                         float[] marginsAfter, String targetSpec, String referenceSpec) {
        /** The report as the result of the edit that wrote it. */
        public EditResult toResult() {
            return new EditResult(target, reference, mode, ablated, before, after, sweep, saved, reloadMaxAbsDifference,
                    dir.resolve(REPORT), sweep.isEmpty() ? List.of() : List.of(dir.resolve(SWEEP_PNG)), marginsBefore, marginsAfter);
        }
    }

    /** Whether {@code outDir} holds an edit's report, i.e. an edit there would replace an earlier one. */
    public static boolean exists(Path outDir) {
        return Files.isRegularFile(outDir.resolve(REPORT));
    }

    public static Report read(Path outDir) {
        Path file = outDir.resolve(REPORT);
        JsonNode r;
        try {
            r = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot read the edit report (" + e.getMessage() + "); run the edit again", e);
        }
        String format = r == null ? "" : r.path("format").asText();
        if (!readsFormat(format)) {
            throw new WorkbenchException(file + ": not an edit report of this workbench (format '" + format + "', expected '"
                    + FORMAT + "/1' to '" + FORMAT + "/" + VERSION + "'); run the edit again");
        }
        List<EditResult.AblatedComponent> ablated = new ArrayList<>();
        for (JsonNode c : r.path("ablated")) {
            JsonNode t = c.path("t");
            double score = t.isNumber() ? t.asDouble() : t.isNull() || t.isMissingNode() ? Double.NaN
                    : "-inf".equals(t.asText()) ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            ablated.add(new EditResult.AblatedComponent(c.path("index").asInt(), c.path("component").asText(), score));
        }
        String mode = r.path("mode").asText();
        JsonNode saved = r.path("saved_model");
        float[][] margins = r.has("margins") ? readMargins(outDir.resolve(MARGINS_CSV)) : new float[][] {new float[0], new float[0]};
        return new Report(outDir, Provenance.read(r), mode.equals(EditMode.EXPLICIT.cliName()) ? EditMode.EXPLICIT : EditMode.parse(mode),
                r.path("k").asInt(), indices(r.path("target")), indices(r.path("reference")), ablated, metricsOf(r.path("before")),
                metricsOf(r.path("after")), r.has("sweep") ? readSweep(outDir.resolve(SWEEP_CSV), metricsOf(r.path("before"))) : List.of(),
                saved.isObject() ? Path.of(saved.path("file").asText()) : null,
                saved.path("reloaded_max_abs_margin_difference").asDouble(Double.NaN), margins[0], margins[1],
                r.path("target_spec").asText(""), r.path("reference_spec").asText("rest"));
    }

    private static int[] indices(JsonNode array) {
        int[] indices = new int[array.size()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = array.get(i).asInt();
        }
        return indices;
    }

    /** sweep.csv as {@link EditResult#sweepCsv()} writes it; the subsets' sizes are those of the unedited model's metrics. */
    private static List<EditResult.SweepRow> readSweep(Path file, EditResult.Metrics before) {
        List<EditResult.SweepRow> rows = new ArrayList<>();
        for (String[] cells : csvRows(file, 7)) {
            double[] v = numbers(file, cells);
            rows.add(new EditResult.SweepRow((int) v[0], new EditResult.Metrics(
                    new EditResult.SubsetMetrics(before.target().examples(), v[1], v[4]),
                    new EditResult.SubsetMetrics(before.reference().examples(), v[2], v[5]),
                    new EditResult.SubsetMetrics(before.all().examples(), v[3], v[6]))));
        }
        return rows;
    }

    private static double[] numbers(Path file, String[] cells) {
        double[] values = new double[cells.length];
        for (int i = 0; i < cells.length; i++) {
            try {
                values[i] = Double.parseDouble(cells[i].trim());
            } catch (NumberFormatException e) {
                throw new WorkbenchException(file + ": '" + cells[i] + "' is not a number; run the edit again", e);
            }
        }
        return values;
    }

    /** margins.csv as {@link EditResult#marginsCsv(int[])} writes it: margins before and after, by example. */
    private static float[][] readMargins(Path file) {
        List<String[]> rows = csvRows(file, 4);
        float[] before = new float[rows.size()];
        float[] after = new float[rows.size()];
        for (int j = 0; j < rows.size(); j++) {
            double[] v = numbers(file, rows.get(j));
            before[j] = (float) v[2];
            after[j] = (float) v[3];
        }
        return new float[][] {before, after};
    }

    private static List<String[]> csvRows(Path file, int columns) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot read it (" + e.getMessage() + "); the edit's report names it, so run the edit again", e);
        }
        List<String[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] cells = lines.get(i).split(",");
            if (cells.length != columns) {
                throw new WorkbenchException(file + ", line " + (i + 1) + ": expected " + columns + " values, found " + cells.length
                        + "; run the edit again");
            }
            rows.add(cells);
        }
        return rows;
    }

    /** Whether {@code format} is an edit report this workbench reads: every version up to {@link #VERSION}. */
    static boolean readsFormat(String format) {
        for (int version = 1; version <= VERSION; version++) {
            if (format.equals(FORMAT + "/" + version)) {
                return true;
            }
        }
        return false;
    }

    private static EditResult.Metrics metricsOf(JsonNode n) {
        return new EditResult.Metrics(subsetOf(n.path("target")), subsetOf(n.path("reference")), subsetOf(n.path("all")));
    }

    private static EditResult.SubsetMetrics subsetOf(JsonNode n) {
        return new EditResult.SubsetMetrics(n.path("examples").asInt(), n.path("accuracy").asDouble(Double.NaN),
                n.path("meanMargin").asDouble(Double.NaN));
    }
}
