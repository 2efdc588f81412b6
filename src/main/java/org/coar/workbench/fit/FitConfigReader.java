package org.coar.workbench.fit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.coar.workbench.TextFiles;
import org.coar.workbench.WorkbenchException;

/**
 * Reads a regression config: the reference YAML ({@code data.*}, {@code cfg.*},
 * {@code early_stopping.*}, as MadryLab/modelcomponents and MadryLab/datamodels write them) plus an
 * optional {@code workbench:} section for the workbench's own keys. Unknown keys are warnings;
 * a known key of the wrong type is an error naming the key. Numbers written as {@code 1e-4}
 * (which YAML 1.1 reads as text, and the reference's fastargs converts) are accepted.
 */
public final class FitConfigReader {

    /** Keys that tune only the reference's SAGA solver or FFCV loading; accepted and recorded, no effect here. */
    private static final Set<String> SAGA_ONLY = Set.of("data.data_path", "cfg.lr", "cfg.batch_size", "cfg.num_workers",
            "cfg.true_random", "early_stopping.check_every", "early_stopping.eps");

    private static final Map<String, Set<String>> KNOWN = Map.of(
            "data", Set.of("data_path", "num_train", "num_val", "seed", "target_start_ind", "target_end_ind"),
            "cfg", Set.of("k", "lr", "eps", "batch_size", "out_dir", "num_workers", "use_bias", "manual_max_lambda", "true_random"),
            "early_stopping", Set.of("check_every", "eps"),
            "workbench", Set.of("solver", "lambdas", "include_zero_lambda", "output_array", "exclude_non_finite", "tolerance",
                    "max_sweeps", "block_rows", "memory", "precision", "statistics"));

    /** A key given twice would otherwise win silently (the last one); the reference's own loader refuses it too. */
    private final YAMLMapper mapper = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    public FitConfig read(Path file) {
        return parse(TextFiles.readUtf8(file, "regression config"), file.toString());
    }

    /** Parses config YAML; {@code source} names the text in messages. */
    public FitConfig parse(String text, String source) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            java.util.regex.Matcher duplicate = java.util.regex.Pattern.compile("Duplicate field '(.*)'").matcher(message);
            if (duplicate.find()) {
                throw new WorkbenchException(source + (e.getLocation() == null ? "" : ", line " + e.getLocation().getLineNr())
                        + ": '" + duplicate.group(1) + "' is given twice in one mapping; only one would count. Merge the two into one");
            }
            throw new WorkbenchException(source + ": not valid YAML (" + message + ")");
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = mapper.createObjectNode();
        }
        if (!root.isObject()) {
            throw new WorkbenchException(source + ": expected a mapping with sections data, cfg, early_stopping, workbench");
        }
        Reader r = new Reader(source, root);
        FitConfig d = FitConfig.defaults();

        RowCount numTrain = r.rows("data.num_train", d.numTrain());
        RowCount numVal = r.rows("data.num_val", d.numVal());
        Long seed = r.has("data.seed") ? r.integer("data.seed", 0, Long.MIN_VALUE) : null;
        int targetStart = (int) r.integer("data.target_start_ind", d.targetStart(), 0);
        int targetEnd = (int) r.integer("data.target_end_ind", d.targetEnd(), -1);

        boolean kGiven = r.has("cfg.k");
        boolean manualGiven = r.has("cfg.manual_max_lambda");
        int k = (int) r.integer("cfg.k", d.k(), 1);
        double eps = r.positive("cfg.eps", d.eps(), 1);
        boolean useBias = r.flag("cfg.use_bias", d.useBias());
        double manualMaxLambda = r.number("cfg.manual_max_lambda", d.manualMaxLambda(), -1, Double.MAX_VALUE);
        if (manualMaxLambda < 0 && manualMaxLambda != -1) {
            r.problem("cfg.manual_max_lambda", "must be -1 (λ_max from the data) or ≥ 0, found " + manualMaxLambda);
        }
        String outDir = r.text("cfg.out_dir", null);

        String solverText = r.text("workbench.solver", null);
        Solver solver = null;
        if (solverText != null) {
            solver = Solver.fromKey(solverText).orElse(null);
            if (solver == null) {
                r.problem("workbench.solver", "must be ols, lasso or ridge, found \"" + solverText + "\"");
            }
        }
        List<Double> lambdas = r.numbers("workbench.lambdas");
        boolean includeZero = r.flag("workbench.include_zero_lambda", d.includeZeroLambda());
        String outputArray = r.text("workbench.output_array", null);
        boolean excludeNonFinite = r.flag("workbench.exclude_non_finite", d.excludeNonFinite());
        double tolerance = r.positive("workbench.tolerance", d.tolerance(), 1);
        int maxSweeps = (int) r.integer("workbench.max_sweeps", d.maxSweeps(), 1);
        int blockRows = (int) r.integer("workbench.block_rows", d.blockRows(), 1);
        String memoryText = r.text("workbench.memory", null);
        PlanOptions plan = PlanOptions.AUTO;
        try {
            plan = new PlanOptions(memoryText == null ? null : PlanOptions.parseSize(memoryText, "workbench.memory"),
                    r.text("workbench.precision", "auto"), r.text("workbench.statistics", "auto"));
        } catch (WorkbenchException e) {
            r.problem("workbench", e.getMessage());
        }

        Map<String, Object> unused = new LinkedHashMap<>();
        for (String key : SAGA_ONLY) {
            if (r.has(key)) {
                JsonNode node = r.node(key);
                unused.put(key, node.isNull() ? "null" : node.asText());
            }
        }
        r.checkUnknown();
        r.throwIfProblems();

        String reason;
        if (solver != null) {
            reason = "workbench.solver in " + source;
        } else if ((kGiven || manualGiven) && !(k == 1 && manualMaxLambda == 0)) {
            solver = Solver.LASSO;
            reason = "the config asks for a λ path (cfg.k = " + k + ", cfg.manual_max_lambda = " + manualMaxLambda + ")";
        } else {
            solver = Solver.OLS;
            reason = kGiven || manualGiven ? "the config asks for λ = 0 (cfg.k = 1, cfg.manual_max_lambda = 0)" : "default";
        }
        return FitConfig.builder().optNumTrain(numTrain).optNumVal(numVal).optSeed(seed).optTargetStart(targetStart)
                .optTargetEnd(targetEnd).optSolver(solver, reason).optK(k).optEps(eps).optUseBias(useBias)
                .optManualMaxLambda(manualMaxLambda).optLambdas(lambdas).optIncludeZeroLambda(includeZero)
                .optOutputArray(outputArray).optExcludeNonFinite(excludeNonFinite).optTolerance(tolerance).optMaxSweeps(maxSweeps)
                .optBlockRows(blockRows).optOutDir(outDir).optUnusedReferenceKeys(unused).optWarnings(r.warnings).optPlan(plan)
                .build();
    }

    /** Typed access to "section.key" paths, collecting problems instead of stopping at the first. */
    private static final class Reader {
        private final String source;
        private final JsonNode root;
        private final List<String> problems = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();

        Reader(String source, JsonNode root) {
            this.source = source;
            this.root = root;
        }

        JsonNode node(String path) {
            String[] parts = path.split("\\.", 2);
            JsonNode section = root.get(parts[0]);
            return section == null || !section.isObject() ? null : section.get(parts[1]);
        }

        boolean has(String path) {
            JsonNode n = node(path);
            return n != null && !n.isNull();
        }

        void problem(String path, String message) {
            problems.add(path + ": " + message);
        }

        long integer(String path, long fallback, long min) {
            if (!has(path)) {
                return fallback;
            }
            JsonNode n = node(path);
            Double value = numeric(n);
            if (value == null || value != Math.rint(value) || Math.abs(value) > 9.007199254740992E15) {
                problem(path, "expected an integer, found " + describe(n));
                return fallback;
            }
            if (value < min) {
                problem(path, "must be ≥ " + min + ", found " + value.longValue());
                return fallback;
            }
            return value.longValue();
        }

        double number(String path, double fallback, double min, double max) {
            return number(path, fallback, min, false, max);
        }

        /** A number in (0, max]: the lower end is open, so the message says "(0, max]", not the smallest double. */
        double positive(String path, double fallback, double max) {
            return number(path, fallback, 0, true, max);
        }

        private double number(String path, double fallback, double min, boolean minExcluded, double max) {
            if (!has(path)) {
                return fallback;
            }
            JsonNode n = node(path);
            Double value = numeric(n);
            if (value == null || !Double.isFinite(value)) {
                problem(path, "expected a number, found " + describe(n));
                return fallback;
            }
            if ((minExcluded ? !(value > min) : value < min) || value > max) {
                problem(path, "must be in " + (minExcluded ? "(" : "[") + plain(min) + ", " + plain(max) + "]"
                        + (minExcluded ? " (greater than " + plain(min) + ")" : "") + ", found " + value);
                return fallback;
            }
            return value;
        }

        private static String plain(double bound) {
            return bound == Math.rint(bound) && Math.abs(bound) < 1e15 ? Long.toString((long) bound) : Double.toString(bound);
        }

        /** A row count or fraction by {@link RowCount}'s rule; a YAML float such as 45000.0 reads as its text "45000.0". */
        RowCount rows(String path, RowCount fallback) {
            if (!has(path)) {
                return fallback;
            }
            JsonNode n = node(path);
            if (!n.isNumber() && !n.isTextual()) {
                problem(path, RowCount.EXPECTED + ", found " + describe(n));
                return fallback;
            }
            try {
                return RowCount.parse(n.asText(), path);
            } catch (WorkbenchException e) {
                problems.add(e.getMessage());
                return fallback;
            }
        }

        boolean flag(String path, boolean fallback) {
            if (!has(path)) {
                return fallback;
            }
            JsonNode n = node(path);
            if (n.isBoolean()) {
                return n.booleanValue();
            }
            if (n.isIntegralNumber() && (n.longValue() == 0 || n.longValue() == 1)) {
                return n.longValue() == 1; // the reference writes use_bias: 1
            }
            problem(path, "expected true/false (or 1/0), found " + describe(n));
            return fallback;
        }

        String text(String path, String fallback) {
            if (!has(path)) {
                return fallback;
            }
            JsonNode n = node(path);
            if (!n.isTextual()) {
                problem(path, "expected text, found " + describe(n));
                return fallback;
            }
            return n.textValue();
        }

        List<Double> numbers(String path) {
            if (!has(path)) {
                return List.of();
            }
            JsonNode n = node(path);
            List<Double> values = new ArrayList<>();
            if (!n.isArray()) {
                problem(path, "expected a list of numbers ≥ 0, e.g. [0, 0.01, 0.1], found " + describe(n));
                return values;
            }
            for (int i = 0; i < n.size(); i++) {
                Double v = numeric(n.get(i));
                if (v == null || !(v >= 0) || !Double.isFinite(v)) {
                    problem(path + "[" + i + "]", "expected a number ≥ 0, found " + describe(n.get(i)));
                } else {
                    values.add(v);
                }
            }
            return values;
        }

        private static Double numeric(JsonNode n) {
            if (n.isNumber()) {
                return n.doubleValue();
            }
            if (n.isTextual()) {
                try {
                    return Double.parseDouble(n.textValue().trim().replace("_", ""));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            return null;
        }

        private static String describe(JsonNode n) {
            if (n.isTextual()) {
                return "\"" + n.textValue() + "\"";
            }
            if (n.isContainerNode()) {
                return n.isArray() ? "a list" : "a mapping";
            }
            return n.toString();
        }

        void checkUnknown() {
            root.properties().forEach(section -> {
                Set<String> keys = KNOWN.get(section.getKey());
                if (keys == null) {
                    warnings.add(source + ": unknown section '" + section.getKey() + "' ignored (known: data, cfg, early_stopping, workbench)");
                    return;
                }
                if (!section.getValue().isObject()) {
                    if (!section.getValue().isNull()) {
                        problem(section.getKey(), "expected a mapping of keys, found " + describe(section.getValue()));
                    }
                    return;
                }
                section.getValue().properties().forEach(entry -> {
                    if (!keys.contains(entry.getKey())) {
                        warnings.add(source + ": unknown key '" + section.getKey() + "." + entry.getKey() + "' ignored");
                    }
                });
            });
        }

        void throwIfProblems() {
            if (!problems.isEmpty()) {
                throw new WorkbenchException(source + ": " + String.join("; ", problems));
            }
        }
    }
}
