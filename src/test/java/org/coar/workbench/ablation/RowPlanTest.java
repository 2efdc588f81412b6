package org.coar.workbench.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.coar.workbench.WorkbenchException;
import org.junit.jupiter.api.Test;

class RowPlanTest {
    @Test
    void partitionsCoverEveryRowOnceInOrder() {
        long next = 0;
        for (int i = 0; i < 7; i++) {
            RowPlan plan = RowPlan.of(50_000, null, null, i + "/7");
            assertEquals(next, plan.start());
            assertTrue(plan.size() == 7142 || plan.size() == 7143, "equal parts: " + plan.size());
            next = plan.end();
        }
        assertEquals(50_000, next);
    }

    @Test
    void explicitRangeAndDefaults() {
        assertEquals(new RowPlan(0, 100), RowPlan.of(100, null, null, null));
        assertEquals(new RowPlan(10, 20), RowPlan.of(100, 10L, 20L, null));
        assertEquals(new RowPlan(90, 100), RowPlan.of(100, 90L, null, null));
    }

    @Test
    void badRangesNameTheOption() {
        assertTrue(assertThrows(WorkbenchException.class, () -> RowPlan.of(100, null, null, "5/4")).getMessage().startsWith("--partition"));
        assertTrue(assertThrows(WorkbenchException.class, () -> RowPlan.of(100, null, null, "a/b")).getMessage().startsWith("--partition"));
        assertTrue(assertThrows(WorkbenchException.class, () -> RowPlan.of(100, 50L, 20L, null)).getMessage().startsWith("--start/--end"));
        assertTrue(assertThrows(WorkbenchException.class, () -> RowPlan.of(100, 0L, 101L, null)).getMessage().contains("<= 100"));
        assertTrue(assertThrows(WorkbenchException.class, () -> RowPlan.of(100, 1L, null, "0/2")).getMessage().contains("not both"));
    }
}
