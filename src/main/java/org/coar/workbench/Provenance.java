package org.coar.workbench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What made a report: written as the {@code provenance} object of the fit's, the evaluation's and
 * the edit's report.json, the same way in all three, and read back from reports of every version
 * (version 1 had no such object; {@link #read} gathers the same facts from its top-level fields).
 *
 * @param format           the report's format name, e.g. {@code coar-attributions}
 * @param version          the format's version
 * @param workbenchVersion the workbench that wrote it
 * @param store            absolute store directory
 * @param model            the model file the store's rows came from (null where unrecorded)
 * @param modelSha256      its SHA-256 (null where unrecorded)
 * @param settings         the settings of the job, by name as the CLI and config files spell them
 * @param created          ISO-8601 time the report was written
 */
public record Provenance(String format, int version, String workbenchVersion, String store, String model, String modelSha256,
                         Map<String, Object> settings, String created) {
    public static final String FIELD = "provenance";

    public Provenance {
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** Provenance of a report written now by this workbench. */
    public static Provenance now(String format, int version, Path storeDir, String model, String modelSha256,
                                 Map<String, Object> settings) {
        return new Provenance(format, version, Version.workbench(), storeDir.toAbsolutePath().normalize().toString(), model,
                modelSha256, settings, Instant.now().toString());
    }

    /** The report's {@code format} field: name and version, e.g. {@code coar-attributions/2}. */
    public String formatField() {
        return format + "/" + version;
    }

    /** A new report: its {@code format}, {@code created} and this {@code provenance} object, to which the writer adds its own fields. */
    public ObjectNode startReport(ObjectMapper json) {
        ObjectNode report = json.createObjectNode();
        report.put("format", formatField());
        report.put("created", created);
        report.set(FIELD, toJson(json));
        return report;
    }

    ObjectNode toJson(ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        n.put("format", format);
        n.put("version", version);
        n.put("workbench_version", workbenchVersion);
        n.put("store", store);
        n.put("model", model);
        n.put("model_sha256", modelSha256);
        n.set("settings", json.valueToTree(settings));
        n.put("created", created);
        return n;
    }

    /**
     * The provenance of {@code report}: its {@code provenance} object, or for a version-1 report
     * (which had none) the same facts from where version 1 kept them: {@code versions.workbench} or
     * {@code workbench_version}; {@code store} as a directory or as the fit's {@code store.dir};
     * {@code model_sha256} at the top or under the fit's {@code store}; the fit's {@code config} as settings.
     */
    public static Provenance read(JsonNode report) {
        if (report == null || !report.path("format").isTextual()) {
            throw new WorkbenchException("not a report of this workbench: no format field");
        }
        String field = report.get("format").asText();
        int slash = field.lastIndexOf('/');
        int version;
        try {
            version = Integer.parseInt(field.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new WorkbenchException("report format '" + field + "' has no version number after its last '/'", e);
        }
        String format = field.substring(0, slash);
        JsonNode header = report.get(FIELD);
        if (header != null && header.isObject()) {
            Map<String, Object> settings = new LinkedHashMap<>();
            header.path("settings").properties().forEach(e -> settings.put(e.getKey(), value(e.getValue())));
            return new Provenance(format, version, text(header, "workbench_version"), text(header, "store"), text(header, "model"),
                    text(header, "model_sha256"), settings, text(header, "created"));
        }
        JsonNode store = report.path("store");
        String workbench = report.path("versions").path("workbench").isTextual() ? report.path("versions").get("workbench").asText()
                : text(report, "workbench_version");
        String storeDir = store.isTextual() ? store.asText() : text(store, "dir");
        String sha = report.path("model_sha256").isTextual() ? text(report, "model_sha256") : text(store, "model_sha256");
        Map<String, Object> settings = new LinkedHashMap<>();
        report.path("config").properties().forEach(e -> settings.put(e.getKey(), value(e.getValue())));
        return new Provenance(format, version, workbench, storeDir, text(report, "model"), sha, settings, text(report, "created"));
    }

    private static Object value(JsonNode node) {
        return new ObjectMapper().convertValue(node, Object.class);
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).isTextual() ? node.get(field).asText() : null;
    }
}
