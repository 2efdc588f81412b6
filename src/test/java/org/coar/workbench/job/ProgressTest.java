package org.coar.workbench.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void anUnknownTotalHasNoFraction() {
        Progress p = Progress.indeterminate("opening the store", "");
        assertFalse(p.isDeterminate());
        assertEquals(-1, p.fraction());
        assertEquals(-1, new Progress("reading", 500, Progress.UNKNOWN, "rows").fraction());
    }

    @Test
    void anEmptyStageIsFinished() {
        assertEquals(1, new Progress("leave-one-out", 0, 0, "models").fraction());
    }

    @Test
    void theFractionIsTheShareDoneAndNeverAboveOne() {
        assertEquals(0.25, new Progress("rows", 1, 4, "rows").fraction());
        assertEquals(1, new Progress("rows", 7, 4, "rows").fraction());
    }

    @Test
    void theLineShowsCountsOnlyForAKnownTotal() {
        assertEquals("reading rows: 1,234 / 5,000 rows · from masks.npy",
                new Progress("reading rows", 1234, 5000, "rows", "from masks.npy").describe());
        assertEquals("solving · λ 3/20", new Progress("solving", 0, Progress.UNKNOWN, "", "λ 3/20").describe());
        assertTrue(new Progress(null, 0, 1, null, null).describe().startsWith(": 0 / 1"));
    }
}
