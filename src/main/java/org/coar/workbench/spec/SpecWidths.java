package org.coar.workbench.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the model and the evaluation data chosen for a spec require of it: one mask entry per
 * selected component, and one output per example. A spec the codec accepts can still be one the
 * build refuses for its widths; these problems say so before the store is made, naming the field
 * and the width to set.
 *
 * @param components the components the chosen groups select; null while no model is opened
 * @param selection  how they were chosen, for the message, e.g. {@code preset default}
 * @param examples   the examples of the chosen data after Limit and Skip; null while no data is chosen
 * @param data       how the data were cut, for the message, e.g. {@code Limit 50}; empty for all of them
 */
public record SpecWidths(Long components, String selection, Long examples, String data) {
    /** Nothing chosen yet: no width is required. */
    public static final SpecWidths NONE = new SpecWidths(null, "", null, "");

    /** The array the outputs go to: the first besides the masks, as {@link SpecForm#withOutputWidth} sizes it. */
    public static String outputArrayOf(StoreSpec spec) {
        return spec.schema().keySet().stream().filter(name -> !SpecForm.MASKS.equals(name)).findFirst().orElse(null);
    }

    /** Every width of {@code spec} that does not fit the model or the data; empty when they fit or nothing is chosen. */
    public List<SpecProblem> problems(StoreSpec spec) {
        List<SpecProblem> problems = new ArrayList<>();
        Map<String, ArraySpec> schema = spec.schema();
        if (components != null) {
            ArraySpec masks = schema.get(SpecForm.MASKS);
            if (masks == null) {
                problems.add(problem("schema", String.format(Locale.ROOT, "no %s array, but the model has %,d components with the "
                        + "chosen groups%s: add \"%s\": {\"dtype\": \"bool_\", \"shape\": [%d]}", SpecForm.MASKS, components,
                        qualifier(selection), SpecForm.MASKS, components)));
            } else if (masks.rowElements() != components) {
                problems.add(problem("schema." + SpecForm.MASKS + ".shape", String.format(Locale.ROOT,
                        "%s width %,d but the model has %,d components with the chosen groups%s: set it to %d",
                        SpecForm.MASKS, masks.rowElements(), components, qualifier(selection), components)));
            }
        }
        if (examples != null) {
            String output = outputArrayOf(spec);
            if (output == null) {
                problems.add(problem("schema", String.format(Locale.ROOT, "no output array beside %s, but the evaluation data have "
                        + "%,d examples%s: add \"%s\": {\"dtype\": \"float16\", \"shape\": [%d]}", SpecForm.MASKS, examples,
                        qualifier(data), SpecForm.DEFAULT_OUTPUT, examples)));
            } else if (schema.get(output).rowElements() != examples) {
                problems.add(problem("schema." + output + ".shape", String.format(Locale.ROOT,
                        "%s width %,d but the evaluation data have %,d examples%s: set it to %d, or change Limit / Skip",
                        output, schema.get(output).rowElements(), examples, qualifier(data), examples)));
            }
        }
        return problems;
    }

    private static String qualifier(String text) {
        return text == null || text.isBlank() ? "" : " (" + text + ")";
    }

    private static SpecProblem problem(String field, String message) {
        return new SpecProblem(field, message, 0, 0);
    }
}
