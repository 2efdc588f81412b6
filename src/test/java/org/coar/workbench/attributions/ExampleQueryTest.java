package org.coar.workbench.attributions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.coar.workbench.attributions.ExampleBrowser.ExampleRow;
import org.junit.jupiter.api.Test;

/** Each condition on eight hand-made rows, whose matches are counted by hand in the comments. */
class ExampleQueryTest {
    private static final int UNKNOWN = ExampleRow.UNKNOWN;
    // index, label, prediction, output, validation R²
    private static final List<ExampleRow> ROWS = List.of(
            new ExampleRow(0, 3, 3, 1.5f, 0.90),
            new ExampleRow(1, 3, 5, -0.2f, 0.40),
            new ExampleRow(2, 5, 5, 2.0f, Double.NaN),
            new ExampleRow(3, 5, 3, -1.0f, 0.10),
            new ExampleRow(10, 3, 3, 0.7f, 0.55),
            new ExampleRow(11, 7, 3, -0.5f, 0.30),
            new ExampleRow(12, 7, UNKNOWN, Float.NaN, 0.20),
            new ExampleRow(13, UNKNOWN, 7, Float.NaN, 0.95));
    /** Component 4's score for examples 0..13 (only the listed indices are used). */
    private static final float[] SCORES = {0.5f, -0.1f, 0.2f, 0.9f, 0, 0, 0, 0, 0, 0, -0.3f, 0.2f, 0.05f, 1.0f};
    private static final int[] STRONGEST = {4, 2, 4, 4, 0, 0, 0, 0, 0, 0, 1, 4, 2, 2};

    private static List<Integer> matching(ExampleQuery query) {
        return ROWS.stream().filter(r -> query.matches(r, SCORES, STRONGEST)).map(ExampleRow::index).toList();
    }

    @Test
    void everyConditionCountsWhatAPersonCounts() {
        assertEquals(8, matching(ExampleQuery.ALL).size());
        assertEquals(List.of(0, 1, 10), matching(ExampleQuery.ALL.withLabel(3)));
        assertEquals(List.of(0, 3, 10, 11), matching(ExampleQuery.ALL.withPrediction(3)));
        // wrong where both are known and differ: 1 (3→5), 3 (5→3), 11 (7→3); 12 and 13 lack one of them
        assertEquals(List.of(1, 3, 11), matching(ExampleQuery.ALL.withMisclassified(true)));
        // R² below 0.35: 0.10, 0.30, 0.20; NaN never matches
        assertEquals(List.of(3, 11, 12), matching(ExampleQuery.ALL.withR2Below(0.35)));
        assertEquals(List.of(1, 10, 11, 12, 13), matching(ExampleQuery.ALL.withIndexPrefix("1")));
        assertEquals(List.of(0, 3, 13), matching(component(ExampleQuery.Kind.SCORE_AT_LEAST, 0.5)));
        assertEquals(List.of(1, 10, 12), matching(component(ExampleQuery.Kind.SCORE_AT_MOST, 0.06)));
        assertEquals(List.of(0, 2, 3, 11), matching(component(ExampleQuery.Kind.STRONGEST, 0)));
    }

    @Test
    void conditionsCombine() {
        // misclassified with label 3: only example 1; with prediction 3 and R² below 0.35: 3 and 11
        assertEquals(List.of(1), matching(ExampleQuery.ALL.withMisclassified(true).withLabel(3)));
        assertEquals(List.of(3, 11), matching(ExampleQuery.ALL.withPrediction(3).withR2Below(0.35)));
        assertEquals(List.of(11), matching(component(ExampleQuery.Kind.STRONGEST, 0).withIndexPrefix("1")));
    }

    private static ExampleQuery component(ExampleQuery.Kind kind, double value) {
        return ExampleQuery.ALL.withComponent(new ExampleQuery.ComponentCondition(4, kind, value));
    }
}
