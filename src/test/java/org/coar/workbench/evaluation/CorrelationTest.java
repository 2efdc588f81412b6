package org.coar.workbench.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Pearson correlation and its summary against values worked out by hand. */
class CorrelationTest {

    @Test
    void pearsonOfASmallCaseWorkedByHand() {
        // deviations (-1.5, -0.5, 0.5, 1.5) and (-1.5, 0.5, -0.5, 1.5): sxy = 4, sxx = syy = 5, r = 0.8
        assertEquals(0.8, Correlation.pearson(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4}), 1e-12);
        assertEquals(1.0, Correlation.pearson(new double[] {1, 2, 3}, new double[] {10, 20, 30}), 1e-12);
        assertEquals(-1.0, Correlation.pearson(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-12);
        assertTrue(Double.isNaN(Correlation.pearson(new double[] {1, 1, 1}, new double[] {1, 2, 3})), "constant series");
        assertTrue(Double.isNaN(Correlation.pearson(new double[] {1}, new double[] {2})), "one value");
    }

    @Test
    void perExampleCorrelatesEachColumnOverTheRunsAndTheAccumulatorAgrees() {
        float[][] actual = {{1, 5, 2}, {2, 5, 4}, {3, 5, 6}, {4, 5, 8}};
        float[][] predicted = {{1, 0, 8}, {3, 1, 6}, {2, 2, 4}, {4, 3, 2.5f}};
        double[] r = Correlation.perExample(actual, predicted);
        assertEquals(0.8, r[0], 1e-9);
        assertTrue(Double.isNaN(r[1]), "example 1's actual output never varies");
        assertTrue(r[2] < -0.99);
        Correlation.Accumulator accumulator = new Correlation.Accumulator(3);
        for (int run = 0; run < 4; run++) {
            // a large common offset must not cost precision (the accumulator shifts by the first run)
            float[] a = actual[run].clone();
            float[] p = predicted[run].clone();
            for (int j = 0; j < 3; j++) {
                a[j] += 1000;
                p[j] -= 1000;
            }
            accumulator.add(a, p);
        }
        double[] streamed = accumulator.result();
        assertEquals(r[0], streamed[0], 1e-9);
        assertTrue(Double.isNaN(streamed[1]));
        assertEquals(r[2], streamed[2], 1e-6);
    }

    @Test
    void summaryLeavesOutUndefinedValuesAndInterpolatesQuartilesLikeNumpy() {
        // np.percentile([1, 2, 3, 4], [25, 50, 75]) = [1.75, 2.5, 3.25]
        Correlation.Summary s = Correlation.Summary.of(new double[] {4, Double.NaN, 1, 3, 2});
        assertEquals(2.5, s.mean(), 1e-12);
        assertEquals(2.5, s.median(), 1e-12);
        assertEquals(1.75, s.q25(), 1e-12);
        assertEquals(3.25, s.q75(), 1e-12);
        assertEquals(1, s.min());
        assertEquals(4, s.max());
        assertEquals(4, s.count());
        assertEquals(1, s.undefined());
        assertTrue(Double.isNaN(Correlation.Summary.of(new double[] {Double.NaN}).mean()));
    }
}
