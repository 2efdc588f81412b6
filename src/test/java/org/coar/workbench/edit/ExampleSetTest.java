package org.coar.workbench.edit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.coar.workbench.WorkbenchException;
import org.junit.jupiter.api.Test;

class ExampleSetTest {
    private static final int[] LABELS = {0, 1, 2, 1, 0, 2};
    private static final float[] MARGINS = {1.5f, -0.2f, 0.3f, 0f, 2f, -3f};

    private static int[] parse(String spec) {
        return ExampleSet.parse("--target", spec, LABELS, MARGINS, null);
    }

    @Test
    void indicesRangesLabelsAndCorrectnessCombine() {
        assertArrayEquals(new int[] {1, 2, 3, 5}, parse("5, 1-3"));
        assertArrayEquals(new int[] {1, 3}, parse("label:1"));
        assertArrayEquals(new int[] {1, 3, 5}, parse("misclassified"), "margin 0 counts as misclassified, as margin > 0 is correct");
        assertArrayEquals(new int[] {0, 2, 4}, parse("correct"));
        assertArrayEquals(new int[] {1, 3}, parse("misclassified:2"));
        assertArrayEquals(new int[] {1, 3, 5}, parse("misclassified:10"));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, parse("all"));
        assertArrayEquals(new int[] {0, 2, 3, 4}, ExampleSet.parse("--reference", "rest", LABELS, MARGINS, new int[] {1, 5}));
    }

    @Test
    void outOfRangeEmptyAndUnreadableSetsAreRefused() {
        WorkbenchException range = assertThrows(WorkbenchException.class, () -> parse("2,6"));
        assertEquals("--target: example 6 is out of range; the evaluation data has 6 examples (0..5)", range.getMessage());
        assertThrows(WorkbenchException.class, () -> parse("-1"));
        WorkbenchException empty = assertThrows(WorkbenchException.class, () -> parse("label:7"));
        assertTrue(empty.getMessage().contains("selects no example (of 6)"), empty.getMessage());
        WorkbenchException words = assertThrows(WorkbenchException.class, () -> parse("the bad ones"));
        assertTrue(words.getMessage().startsWith("--target: cannot read 'the bad ones'"), words.getMessage());
        assertThrows(WorkbenchException.class, () -> parse("rest"), "rest is only for the reference");
        assertThrows(WorkbenchException.class, () -> parse("4-2"));
        WorkbenchException count = assertThrows(WorkbenchException.class, () -> parse("misclassified:0"));
        assertTrue(count.getMessage().contains("needs a count of at least 1"), count.getMessage());
    }

    @Test
    void formatWritesRunsAsRangesThatParseBackToTheSameSet() {
        assertEquals("0-2,4", ExampleSet.format(new int[] {4, 1, 0, 2, 1}));
        assertEquals("5", ExampleSet.format(new int[] {5}));
        assertEquals("1,3,5", ExampleSet.format(new int[] {5, 3, 1}));
        assertEquals("", ExampleSet.format(new int[0]));
        assertArrayEquals(new int[] {0, 1, 2, 4}, parse(ExampleSet.format(new int[] {4, 1, 0, 2})));
    }
}
