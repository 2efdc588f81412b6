package org.coar.workbench.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The edited model's evaluation per label, against counts and means worked by hand. */
class EditedModelEvaluationTest {
    @Test
    void perLabelAccuracyCountsMarginsAboveZeroAndAllExamplesComeLast() {
        int[] labels = {2, 0, 2, 0, 2};
        float[] before = {1f, -1f, 2f, 3f, -3f};
        float[] after = {-1f, 1f, 2f, 1f, 0f};
        List<EditedModelEvaluation.LabelRow> rows = EditedModelEvaluation.byLabel(labels, before, after);
        assertEquals(3, rows.size());
        // label 0: examples 1, 3; before -1, 3 (1 of 2 right, mean 1); after 1, 1 (2 of 2, mean 1)
        assertEquals(new EditedModelEvaluation.LabelRow(0, new EditResult.SubsetMetrics(2, 0.5, 1.0),
                new EditResult.SubsetMetrics(2, 1.0, 1.0)), rows.get(0));
        // label 2: examples 0, 2, 4; before 1, 2, -3 (2 of 3, mean 0); after -1, 2, 0 (1 of 3, mean 1/3)
        assertEquals(2, rows.get(1).label());
        assertEquals(2.0 / 3, rows.get(1).before().accuracy(), 1e-12);
        assertEquals(0.0, rows.get(1).before().meanMargin(), 1e-12);
        assertEquals(1.0 / 3, rows.get(1).after().accuracy(), 1e-12);
        assertEquals(1.0 / 3, rows.get(1).after().meanMargin(), 1e-6);
        // all: before 3 of 5 right (mean 2/5), after 3 of 5 (mean 3/5)
        assertNull(rows.get(2).label());
        assertEquals(new EditResult.SubsetMetrics(5, 0.6, 0.4), rows.get(2).before());
        assertEquals(0.6, rows.get(2).after().accuracy(), 1e-12);
        assertEquals(0.6, rows.get(2).after().meanMargin(), 1e-6);
    }
}
