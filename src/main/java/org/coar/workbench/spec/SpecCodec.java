package org.coar.workbench.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
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
import java.util.regex.Pattern;
import org.coar.workbench.TextFiles;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.npy.Dtype;

/** Reads, validates and writes store specs in the reference JSON layout. */
public final class SpecCodec {

    /** Safe as a file name on every platform, and as a numpy-visible array name. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public StoreSpec read(Path file) {
        return parse(TextFiles.readUtf8(file, "spec"), file.toString());
    }

    /** Parses spec JSON; {@code source} names the text in messages (a file path, or "editor"). */
    public StoreSpec parse(String text, String source) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new SpecException(source, List.of(new SpecProblem("", "invalid JSON: " + e.getOriginalMessage(),
                    at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr())));
        }
        List<SpecProblem> problems = new ArrayList<>();
        StoreSpec spec = validate(root, problems);
        if (!problems.isEmpty()) {
            throw new SpecException(source, problems);
        }
        return spec;
    }

    /** Every problem of {@code text} without throwing; empty when the spec is valid. */
    public List<SpecProblem> problems(String text) {
        try {
            parse(text, "spec");
            return List.of();
        } catch (SpecException e) {
            return e.problems();
        }
    }

    private StoreSpec validate(JsonNode root, List<SpecProblem> problems) {
        if (root == null || !root.isObject()) {
            problems.add(problem("", "expected a JSON object {\"num_models\": N, \"schema\": {...}}"));
            return null;
        }
        long numModels = 0;
        JsonNode models = root.get("num_models");
        if (models == null) {
            problems.add(problem("num_models", "missing; add \"num_models\": N, the number of ablated models (rows)"));
        } else if (!models.isIntegralNumber() || !models.canConvertToLong()) {
            problems.add(problem("num_models", "expected a positive integer, got " + models));
        } else if (models.asLong() <= 0) {
            problems.add(problem("num_models", "must be at least 1, got " + models.asLong()));
        } else {
            numModels = models.asLong();
        }

        Map<String, ArraySpec> schema = new LinkedHashMap<>();
        JsonNode schemaNode = root.get("schema");
        if (schemaNode == null) {
            problems.add(problem("schema", "missing; add \"schema\": {NAME: {\"dtype\": ..., \"shape\": [...]}}"));
        } else if (!schemaNode.isObject()) {
            problems.add(problem("schema", "expected an object mapping array names to {\"dtype\", \"shape\"}"));
        } else if (schemaNode.isEmpty()) {
            problems.add(problem("schema", "is empty; a store needs at least one array (e.g. \"masks\")"));
        } else {
            schemaNode.properties().forEach(entry -> {
                ArraySpec array = validateArray(entry.getKey(), entry.getValue(), problems);
                if (array != null) {
                    schema.put(entry.getKey(), array);
                }
            });
        }
        if (problems.isEmpty()) {
            checkSizeFits(numModels, schema, problems);
        }
        return problems.isEmpty() ? new StoreSpec(numModels, schema) : null;
    }

    /** Every array's byte size, and the store's, must fit in 64 bits; no filesystem holds more, and sizes are longs. */
    private static void checkSizeFits(long numModels, Map<String, ArraySpec> schema, List<SpecProblem> problems) {
        long total = numModels;
        for (Map.Entry<String, ArraySpec> entry : schema.entrySet()) {
            ArraySpec array = entry.getValue();
            long bytes;
            try {
                // the header too: a file is header + data
                bytes = Math.addExact(Math.multiplyExact(numModels, array.rowBytes()), 1L << 20);
            } catch (ArithmeticException e) {
                problems.add(problem("schema." + entry.getKey() + ".shape", "num_models " + numModels + " × shape " + array.shape()
                        + " × " + array.dtype().itemSize() + " bytes exceeds 2^63 bytes (8 EiB), more than any file can hold; "
                        + "lower num_models or the shape"));
                continue;
            }
            try {
                total = Math.addExact(total, bytes);
            } catch (ArithmeticException e) {
                problems.add(problem("num_models", "the arrays together exceed 2^63 bytes (8 EiB) at " + numModels
                        + " rows; lower num_models or the shapes"));
                return;
            }
        }
    }

    private ArraySpec validateArray(String name, JsonNode node, List<SpecProblem> problems) {
        String field = "schema." + name;
        int before = problems.size();
        if (name.equals(StoreSpec.COMPLETED)) {
            problems.add(problem(field, "the name _completed is reserved for the store's completion flags; rename the array"));
        } else if (!SAFE_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            problems.add(problem(field, "not a safe file name; use letters, digits, '_', '-' and '.', "
                    + "starting with a letter, digit or '_' (at most 128 characters)"));
        }
        if (!node.isObject()) {
            problems.add(problem(field, "expected {\"dtype\": ..., \"shape\": [...]}, got " + node));
            return null;
        }
        Dtype dtype = null;
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null) {
            problems.add(problem(field + ".dtype", "missing; one of " + Dtype.supportedNames()));
        } else if (!dtypeNode.isTextual()) {
            problems.add(problem(field + ".dtype", "expected a numpy dtype name as a string, got " + dtypeNode));
        } else {
            dtype = Dtype.fromNumpyName(dtypeNode.asText()).orElse(null);
            if (dtype == null) {
                problems.add(problem(field + ".dtype", "unknown dtype \"" + dtypeNode.asText()
                        + "\"; expected one of " + Dtype.supportedNames()));
            }
        }
        List<Long> shape = new ArrayList<>();
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null) {
            problems.add(problem(field + ".shape", "missing; a list of non-negative integers, e.g. [2304] ([] for one value per row)"));
        } else if (!(shapeNode instanceof ArrayNode dims)) {
            problems.add(problem(field + ".shape", "expected a list of non-negative integers, got " + shapeNode));
        } else {
            for (JsonNode dim : dims) {
                if (!dim.isIntegralNumber() || !dim.canConvertToLong() || dim.asLong() < 0) {
                    problems.add(problem(field + ".shape", "expected a list of non-negative integers, got " + shapeNode));
                    break;
                }
                shape.add(dim.asLong());
            }
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!key.equals("dtype") && !key.equals("shape")) {
                problems.add(problem(field + "." + key, "unknown key; an array has only \"dtype\" and \"shape\""));
            }
        });
        return problems.size() == before ? new ArraySpec(dtype, shape) : null;
    }

    private static SpecProblem problem(String field, String message) {
        return new SpecProblem(field, message, 0, 0);
    }

    /** JSON for {@code spec} that the reference {@code initialize_store.py} accepts (numpy dtype names). */
    public String toJson(StoreSpec spec) {
        ObjectNode root = mapper.createObjectNode();
        root.put("num_models", spec.numModels());
        ObjectNode schema = root.putObject("schema");
        spec.schema().forEach((name, array) -> {
            ObjectNode entry = schema.putObject(name);
            entry.put("dtype", array.dtype().numpyName());
            ArrayNode shape = entry.putArray("shape");
            array.shape().forEach(shape::add);
        });
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void write(StoreSpec spec, Path file) {
        try {
            Files.writeString(file, toJson(spec));
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot write the spec (" + e.getMessage() + ")", e);
        }
    }
}
