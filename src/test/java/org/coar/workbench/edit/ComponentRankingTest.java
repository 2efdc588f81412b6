package org.coar.workbench.edit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.coar.workbench.WorkbenchException;
import org.junit.jupiter.api.Test;

/** The Welch t-statistic of the reference coar_edit.py, against values worked out by hand. */
class ComponentRankingTest {

    @Test
    void welchTWithPopulationVariancesWorkedByHand() {
        // component 0: target (1, 3): mean 2, var 1; reference (0, 2, 1): mean 1, var 2/3
        //              t = 1 / sqrt(1/2 + (2/3)/3) = 1 / sqrt(13/18)
        // component 1: target (2, 2): mean 2, var 0; reference (0, 1, 2): mean 1, var 2/3
        //              t = 1 / sqrt(2/9)
        // component 2: target (5, 5), reference (5, 5, 5): 0/0 -> 0
        // component 3: target (1, 1), reference (4, 4, 4): -3/0 -> -infinity
        float[][] target = {{1, 2, 5, 1}, {3, 2, 5, 1}};
        float[][] reference = {{0, 0, 5, 4}, {2, 1, 5, 4}, {1, 2, 5, 4}};
        ComponentRanking.Scores s = ComponentRanking.welchT(target, reference);
        assertEquals(1 / Math.sqrt(13.0 / 18), s.t()[0], 1e-12);
        assertEquals(1 / Math.sqrt(2.0 / 9), s.t()[1], 1e-12);
        assertEquals(0, s.t()[2]);
        assertEquals(Double.NEGATIVE_INFINITY, s.t()[3]);
        assertArrayEquals(new double[] {1, 1, 0, -3}, s.meanDifference(), 1e-12);

        assertArrayEquals(new int[] {1, 0}, ComponentRanking.select(s, 2, EditMode.TOPK));
        assertArrayEquals(new int[] {3, 2, 0}, ComponentRanking.select(s, 3, EditMode.BOTTOMK));
    }

    @Test
    void oneTargetExampleAgainstOneReferenceRanksByTheDifferenceOfMeans() {
        // every score is +-infinity (both variances 0): ties broken by the difference, then by index
        ComponentRanking.Scores s = ComponentRanking.welchT(new float[][] {{3, -1, 2, 3}}, new float[][] {{0, 0, 0, 0}});
        assertArrayEquals(new int[] {0, 3, 2}, ComponentRanking.select(s, 3, EditMode.TOPK));
        assertArrayEquals(new int[] {1}, ComponentRanking.select(s, 1, EditMode.BOTTOMK));
    }

    @Test
    void emptySetsAndImpossibleKAreRefused() {
        WorkbenchException empty = assertThrows(WorkbenchException.class,
                () -> ComponentRanking.welchT(new float[0][], new float[][] {{1}}));
        assertTrue(empty.getMessage().startsWith("the target set is empty"), empty.getMessage());
        ComponentRanking.Scores s = ComponentRanking.welchT(new float[][] {{1, 2}}, new float[][] {{0, 0}});
        WorkbenchException tooMany = assertThrows(WorkbenchException.class, () -> ComponentRanking.select(s, 3, EditMode.TOPK));
        assertEquals("--k 3: choose between 1 and 2 (the number of components)", tooMany.getMessage());
        assertThrows(WorkbenchException.class, () -> ComponentRanking.select(s, 0, EditMode.TOPK));
    }
}
