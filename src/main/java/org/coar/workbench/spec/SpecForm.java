package org.coar.workbench.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.coar.workbench.npy.Dtype;

/**
 * A spec as typed into a form, not yet validated: num_models and each array's name, dtype and shape
 * as text. It converts to spec JSON and back; what is not a number stays a string in the JSON, so
 * that {@link SpecCodec} names the field that is wrong. It also sizes the mask array to a model's
 * components and the output array to an evaluation set's examples.
 *
 * @param numModels as typed, e.g. {@code 2000}
 * @param arrays    in schema order
 */
public record SpecForm(String numModels, List<Array> arrays) {
    /** The array of keep-masks, one entry per component. */
    public static final String MASKS = "masks";
    /** The output array a spec gets when it has none besides the masks. */
    public static final String DEFAULT_OUTPUT = "margins";
    /** The numpy dtype names an array of a spec may have, for the form's choice of dtype. */
    public static final List<String> DTYPES = java.util.Arrays.stream(Dtype.values()).map(Dtype::numpyName).toList();

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One array as typed.
     *
     * @param shape e.g. {@code [3, 32]}, {@code 3, 32} or {@code []}
     */
    public record Array(String name, String dtype, String shape) {
    }

    public SpecForm {
        arrays = List.copyOf(arrays);
    }

    /** A new spec: 2,000 models, masks and margins of width 0 until a model and evaluation data are chosen. */
    public static SpecForm starter() {
        return new SpecForm("2000", List.of(new Array(MASKS, Dtype.BOOL.numpyName(), "[0]"),
                new Array(DEFAULT_OUTPUT, Dtype.FLOAT16.numpyName(), "[0]")));
    }

    /** Spec JSON of the form as typed: numbers where the text is one, the text itself where not. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        String models = numModels == null ? "" : numModels.trim();
        try {
            root.put("num_models", Long.parseLong(models));
        } catch (NumberFormatException e) {
            root.put("num_models", models);
        }
        ObjectNode schema = root.putObject("schema");
        for (Array array : arrays) {
            ObjectNode entry = schema.putObject(array.name() == null ? "" : array.name().trim());
            entry.put("dtype", array.dtype());
            Optional<List<Long>> dims = parseShape(array.shape());
            if (dims.isPresent()) {
                ArrayNode shape = entry.putArray("shape");
                dims.get().forEach(shape::add);
            } else {
                entry.put("shape", array.shape());
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The form that shows {@code text}: values as written, shapes as {@code [3, 32]}, a missing value as
     * empty text. Empty when the text is not a JSON object, so a form keeps its last good state while
     * the JSON is being typed.
     */
    public static Optional<SpecForm> fromJson(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text == null ? "" : text);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        List<Array> arrays = new ArrayList<>();
        JsonNode schema = root.get("schema");
        if (schema != null && schema.isObject()) {
            schema.properties().forEach(entry -> {
                JsonNode shape = entry.getValue().get("shape");
                arrays.add(new Array(entry.getKey(), text(entry.getValue().get("dtype")),
                        shape == null || shape.isTextual() ? text(shape) : shape.toString().replace(",", ", ")));
            });
        }
        JsonNode models = root.get("num_models");
        return Optional.of(new SpecForm(models == null || models.isTextual() ? text(models) : models.toString(), arrays));
    }

    private static String text(JsonNode node) {
        return node == null ? "" : node.asText();
    }

    /** {@code [3, 32]}, {@code 3, 32} or {@code []} as dimensions; empty when the text is not a list of integers. */
    static Optional<List<Long>> parseShape(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String inner = text.trim();
        if (inner.startsWith("[") && inner.endsWith("]")) {
            inner = inner.substring(1, inner.length() - 1).trim();
        }
        List<Long> dims = new ArrayList<>();
        if (inner.isEmpty()) {
            return Optional.of(dims);
        }
        for (String part : inner.split(",")) {
            try {
                dims.add(Long.parseLong(part.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.of(dims);
    }

    /** The array called {@code name}, if the form has one. */
    public Optional<Array> array(String name) {
        return arrays.stream().filter(a -> name.equals(a.name())).findFirst();
    }

    /** This form with one mask entry per component: the masks array resized, or added as {@code bool_}. */
    public SpecForm withMaskWidth(long components) {
        return withWidth(MASKS, Dtype.BOOL, components);
    }

    /**
     * This form with one output per evaluation example: its first array other than the masks resized,
     * or {@value #DEFAULT_OUTPUT} added as {@code float16}.
     */
    public SpecForm withOutputWidth(long examples) {
        String output = arrays.stream().map(Array::name).filter(name -> !MASKS.equals(name)).findFirst().orElse(DEFAULT_OUTPUT);
        return withWidth(output, Dtype.FLOAT16, examples);
    }

    /** This form with another {@code float16} output array of shape {@code [1]}, named by its position. */
    public SpecForm withNewArray() {
        List<Array> more = new ArrayList<>(arrays);
        more.add(new Array("output" + arrays.size(), Dtype.FLOAT16.numpyName(), "[1]"));
        return new SpecForm(numModels, more);
    }

    /** The array called {@code name} with shape {@code [width]} and its dtype kept; added at the end with {@code dtype} if absent. */
    private SpecForm withWidth(String name, Dtype dtype, long width) {
        String shape = "[" + width + "]";
        List<Array> sized = new ArrayList<>(arrays);
        for (int i = 0; i < sized.size(); i++) {
            if (name.equals(sized.get(i).name())) {
                sized.set(i, new Array(name, sized.get(i).dtype(), shape));
                return new SpecForm(numModels, sized);
            }
        }
        sized.add(new Array(name, dtype.numpyName(), shape));
        return new SpecForm(numModels, sized);
    }
}
