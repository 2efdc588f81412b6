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
 * (format {@value #FORMAT}; version 2 added the provenance header, version 1 still reads),
 * {@code sweep.csv} and {@code sweep.png} when the edit swept k.
 */
public final class EditFiles {
    public static final String REPORT = "report.json";
    public static final String FORMAT = "coar-workbench/edit";
    public static final int VERSION = 2;
    public static final String SWEEP_CSV = "sweep.csv";
    public static final String SWEEP_PNG = "sweep.png";

    private EditFiles() {
    }

    /**
     * Writes {@code outDir}: {@code sweep.csv} when the edit swept k (its figure is drawn by
     * {@link EditFigures}), then {@code report.json} with the provenance header.
     */
    static void write(Path outDir, EditRequest request, StoredRun stored, Attributions attributions, EditResult result,
                      List<Device> workers, String attributionsFittedOn) {
        if (!result.sweep().isEmpty()) {
            write(outDir.resolve(SWEEP_CSV), result.sweepCsv());
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
            if (Double.isFinite(c.score())) {
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
     * @param ablated the ablated components, best first, with their t-scores (±infinity where the report says inf)
     */
    public record Report(Provenance provenance, EditMode mode, int k, int[] target, List<EditResult.AblatedComponent> ablated,
                         EditResult.Metrics before, EditResult.Metrics after) {
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
        int[] target = new int[r.path("target").size()];
        for (int i = 0; i < target.length; i++) {
            target[i] = r.path("target").get(i).asInt();
        }
        List<EditResult.AblatedComponent> ablated = new ArrayList<>();
        for (JsonNode c : r.path("ablated")) {
            JsonNode t = c.path("t");
            double score = t.isNumber() ? t.asDouble() : "-inf".equals(t.asText()) ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            ablated.add(new EditResult.AblatedComponent(c.path("index").asInt(), c.path("component").asText(), score));
        }
        return new Report(Provenance.read(r), EditMode.parse(r.path("mode").asText()), r.path("k").asInt(), target, ablated,
                metricsOf(r.path("before")), metricsOf(r.path("after")));
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
