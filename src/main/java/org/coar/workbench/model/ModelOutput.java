package org.coar.workbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.coar.workbench.WorkbenchException;

/**
 * Which tensor of a model's forward output holds the logits. A model that returns one tensor
 * needs nothing; one that returns a tuple or list (e.g. {@code (features, logits)}) or a dict
 * must be told, because taking element 0 would silently record margins of the wrong tensor.
 * DJL flattens nested tuples and lists in order, so an index counts tensors in that order.
 *
 * @param index the tensor's position in a tuple or list output, or null
 * @param key   the key of a dict output, or null (both null: the output must be one tensor)
 */
public record ModelOutput(Integer index, String key) {
    /** The forward must return exactly one tensor. */
    public static final ModelOutput SINGLE = new ModelOutput(null, null);

    /** From the {@code --model-output} value (and run.json's {@code output_element}): a number is an index, else a key. */
    public static ModelOutput parse(String text) {
        if (text == null || text.isBlank()) {
            return SINGLE;
        }
        String value = text.strip();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return new ModelOutput(Integer.parseInt(value), null);
            } catch (NumberFormatException e) {
                throw new WorkbenchException("--model-output " + value + ": too large an index");
            }
        }
        return new ModelOutput(null, value);
    }

    /** The value to record in run.json; null for {@link #SINGLE}. */
    public String recorded() {
        return index != null ? index.toString() : key;
    }

    /** The logits tensor of {@code outputs}, as returned by the model in {@code file}; refuses anything ambiguous. */
    public NDArray pick(NDList outputs, Path file) {
        if (outputs.isEmpty()) {
            throw new WorkbenchException(file + ": the model's forward returned no tensor (an empty tuple or list); it must "
                    + "return the logits (N, classes)");
        }
        boolean dict = outputs.stream().anyMatch(a -> a.getName() != null && !a.getName().isEmpty());
        if (key != null) {
            if (dict) {
                for (NDArray array : outputs) {
                    if (key.equals(array.getName())) {
                        return array;
                    }
                }
            }
            throw new WorkbenchException(file + ": --model-output " + key + ": the model's forward returns " + describe(outputs, dict)
                    + (dict ? ", without that key" : ", not a dict, so there is no key to name") + "; " + howToName(dict));
        }
        if (index != null) {
            if (dict) {
                throw new WorkbenchException(file + ": --model-output " + index + ": the model's forward returns " + describe(outputs, true)
                        + ", whose order is not defined; " + howToName(true));
            }
            if (index >= outputs.size()) {
                throw new WorkbenchException(file + ": --model-output " + index + ": the model's forward returns " + describe(outputs, false)
                        + "; " + howToName(false));
            }
            return outputs.get(index);
        }
        if (outputs.size() == 1 && !dict) {
            return outputs.getFirst();
        }
        throw new WorkbenchException(file + ": the model's forward returns " + describe(outputs, dict) + ", not one logits tensor, "
                + "and taking the first would record the wrong outputs; " + howToName(dict) + ". The choice is recorded in run.json");
    }

    private static String describe(NDList outputs, boolean dict) {
        if (outputs.size() == 1 && !dict) {
            return "one tensor " + outputs.getFirst().getShape();
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            NDArray array = outputs.get(i);
            parts.add((dict ? "'" + array.getName() + "'" : "[" + i + "]") + " " + array.getShape());
        }
        return (dict ? "a dict of " : "a tuple of ") + outputs.size() + " tensors (" + String.join(", ", parts) + ")";
    }

    private static String howToName(boolean dict) {
        return dict ? "name the logits (N, classes) by key, e.g. --model-output logits"
                : "name the logits (N, classes) by position, e.g. --model-output 1 for (features, logits)";
    }
}
