package org.coar.workbench.ui.regression;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.coar.workbench.Sizes;
import org.coar.workbench.attributions.Attributions;

/**
 * A fit as the panel shows it, from an attributions directory: its settings and figures as
 * report.json records them (any version; a missing entry is left out), and histograms of each
 * example's validation R² and chosen λ. The same for a fit just run and one found on disk.
 *
 * @param dir         the attributions directory
 * @param settings    label and value, in the order shown
 * @param r2          validation R² per example, null without validation rows
 * @param logLambda   log10 of the non-zero chosen λ's, null when every λ is 0
 * @param zeroLambdas examples fitted at λ = 0
 * @param examples    examples in the directory
 */
public record FitReport(Path dir, List<Setting> settings, FitHistogram r2, FitHistogram logLambda, int zeroLambdas, int examples) {
    /** Bins of each histogram, at most. */
    public static final int MAX_BINS = 20;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** One line of the report: what, and its value. */
    public record Setting(String name, String value) {
    }

    public FitReport {
        settings = List.copyOf(settings);
    }

    /** Reads {@code dir}; a directory that is not complete attributions is a WorkbenchException naming what is missing. */
    public static FitReport read(Path dir) {
        JsonNode report;
        int examples;
        try (Attributions attributions = Attributions.load(dir)) {
            report = attributions.report();
            examples = attributions.examples();
        }
        double[] lambdas = Attributions.readLambdas(dir);
        double[] logLambdas = Arrays.stream(lambdas).filter(l -> l > 0).map(Math::log10).toArray();
        return new FitReport(dir, settings(dir, report, examples), FitHistogram.of(Attributions.readValidationR2(dir), MAX_BINS),
                FitHistogram.of(logLambdas, MAX_BINS), lambdas.length - logLambdas.length, examples);
    }

    /** Under the histograms: how many examples chose λ = 0 (least squares). */
    public String lambdaNote() {
        if (logLambda == null) {
            return String.format(Locale.ROOT, "λ = 0 for all %,d examples: exact least squares.", examples);
        }
        return String.format(Locale.ROOT, "%,d of %,d examples chose λ = 0 (not in the λ histogram).", zeroLambdas, examples);
    }

    private static List<Setting> settings(Path dir, JsonNode report, int examples) {
        List<Setting> rows = new ArrayList<>();
        rows.add(new Setting("Attributions", dir.toString()));
        if (report == null) {
            rows.add(new Setting("Report", "no readable report.json: only the histograms are known"));
            return rows;
        }
        String made = when(report.path("created").asText(""));
        String version = report.path("versions").path("workbench").asText("");
        if (!made.isEmpty()) {
            rows.add(new Setting("Made", made + (version.isEmpty() ? "" : " by workbench " + version)));
        }
        JsonNode solver = report.path("solver");
        JsonNode config = report.path("config");
        if (solver.has("name")) {
            String name = solver.path("name").asText();
            String path = "ols".equals(name) ? "" : lambdaGrid(config);
            rows.add(new Setting("Solver", name + path + because(solver.path("chosen_because").asText(""))));
        }
        JsonNode split = report.path("split");
        if (split.has("train_rows")) {
            String seed = config.path("data.seed").isNull() || config.path("data.seed").isMissingNode()
                    ? "ordered, as the reference" : "shuffled with seed " + config.path("data.seed").asText();
            rows.add(new Setting("Rows", String.format(Locale.ROOT, "%,d training + %,d validation (%s); final fit on %,d",
                    split.path("train_rows").asLong(), split.path("validation_rows").asLong(), seed, split.path("final_fit_rows").asLong())));
        }
        JsonNode components = report.path("components");
        if (components.has("total")) {
            rows.add(new Setting("Size", String.format(Locale.ROOT, "%,d components (%,d vary in the rows) × %,d examples",
                    components.path("total").asLong(), components.path("varying").asLong(), examples)));
        }
        JsonNode r2 = report.path("metrics").path("validation_r2");
        rows.add(new Setting("Validation R²", r2.path("count").asLong(0) == 0 ? "none (no validation rows)"
                : String.format(Locale.ROOT, "median %.3f, mean %.3f, from %.3f to %.3f over %,d examples", r2.path("median").asDouble(),
                r2.path("mean").asDouble(), r2.path("min").asDouble(), r2.path("max").asDouble(), r2.path("count").asLong())));
        JsonNode timings = report.path("timings_seconds");
        if (timings.has("total")) {
            String device = report.path("device").path("device").asText("");
            rows.add(new Setting("Time", String.format(Locale.ROOT, "%.1f s%s (reading %.1f s, solving %.1f s, writing %.1f s)",
                    timings.path("total").asDouble(), device.isEmpty() ? "" : " on " + device, timings.path("reading").asDouble(),
                    timings.path("solving").asDouble(), timings.path("writing").asDouble())));
        }
        JsonNode memory = report.path("memory");
        JsonNode plan = report.path("plan");
        if (memory.has("peak_rss_bytes")) {
            rows.add(new Setting("Memory", "peak " + Sizes.human(memory.path("peak_rss_bytes").asLong()) + " resident; planned "
                    + Sizes.human(memory.path("planned_peak_bytes").asLong()) + " beyond the "
                    + Sizes.human(memory.path("rss_before_plan_bytes").asLong()) + " at the start"
                    + (plan.has("budget_bytes") ? ", of a " + Sizes.human(plan.path("budget_bytes").asLong()) + " budget" : "")));
        }
        List<String> warnings = new ArrayList<>();
        report.path("warnings").forEach(w -> warnings.add(w.asText()));
        if (!warnings.isEmpty()) {
            rows.add(new Setting("Warnings", String.join("\n", warnings)));
        }
        return rows;
    }

    private static String lambdaGrid(JsonNode config) {
        JsonNode grid = config.path("workbench.lambdas");
        if (grid.isArray() && !grid.isEmpty()) {
            List<String> values = new ArrayList<>();
            grid.forEach(v -> values.add(v.asText()));
            return ", λ grid " + String.join(", ", values);
        }
        return config.has("cfg.k") ? ", k " + config.path("cfg.k").asInt() + ", eps " + config.path("cfg.eps").asText() : "";
    }

    private static String because(String reason) {
        if (reason.isEmpty()) {
            return "";
        }
        return " — " + ("default".equals(reason) ? "the default" : reason.startsWith("--") ? "set by " + reason : reason);
    }

    private static String when(String created) {
        if (created.isEmpty()) {
            return "";
        }
        try {
            return WHEN.format(Instant.parse(created));
        } catch (DateTimeParseException e) {
            return created;
        }
    }
}
