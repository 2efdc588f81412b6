package org.coar.workbench.ui.regression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The panel's histograms: round bin edges and counts worked out by hand. */
class FitHistogramTest {

    @Test
    void r2ValuesFallInRoundBinsAndAValueOnAnEdgeStartsItsBin() {
        // Range 0.9 over at most 10 bins: width 0.09, rounded up to 0.1; edges 0.1, 0.2, …, 1.1.
        // 0.1, 0.15 → [0.1, 0.2); 0.3, 0.32 → [0.3, 0.4) (0.3 / 0.1 is 2.9999… in doubles); 0.9 → [0.9, 1.0); 1.0 → [1.0, 1.1).
        FitHistogram h = FitHistogram.of(new double[] {0.1, 0.15, 0.3, 0.32, 0.9, 1.0, Double.NaN}, 10);
        assertEquals(0.1, h.low(), 1e-12);
        assertEquals(0.1, h.width(), 1e-12);
        assertArrayEquals(new long[] {2, 0, 2, 0, 0, 0, 0, 0, 1, 1}, h.counts());
        assertEquals(6, h.total(), "NaN (an example without validation variance) is left out");
        assertEquals(1.1, h.high(), 1e-12);
        assertEquals(1, h.decimals());
    }

    @Test
    void negativeR2StartsAtARoundEdgeBelowTheSmallest() {
        // Range 1.3 over at most 20 bins: 0.065 → 0.1; the first edge is the multiple of 0.1 at or below −0.45: −0.5.
        FitHistogram h = FitHistogram.of(new double[] {-0.45, -0.05, 0.0, 0.85}, 20);
        assertEquals(-0.5, h.low(), 1e-12);
        assertEquals(0.1, h.width(), 1e-12);
        // −0.45 → [−0.5, −0.4); −0.05 → [−0.1, 0); 0 → [0, 0.1); 0.85 → [0.8, 0.9).
        assertArrayEquals(new long[] {1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1}, h.counts());
    }

    @Test
    void logLambdasWidenTheBinWhenTheRoundedRangeNeedsOneBinTooMany() {
        // λ = 1e-3, 1e-3, 10^-2.5, 1e-1: range 2 over 20 bins is 0.1 wide, but −1 then opens a 21st bin; 0.2 is next.
        FitHistogram h = FitHistogram.of(new double[] {-3, -3, -2.5, -1}, 20);
        assertEquals(-3, h.low(), 1e-12);
        assertEquals(0.2, h.width(), 1e-12);
        assertArrayEquals(new long[] {2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, h.counts());
    }

    @Test
    void equalValuesMakeOneBinAndNoValuesNoHistogram() {
        FitHistogram h = FitHistogram.of(new double[] {0.5, 0.5, 0.5}, 20);
        assertArrayEquals(new long[] {3}, h.counts());
        assertEquals(0.5, h.low(), 1e-12);
        assertNull(FitHistogram.of(new double[] {Double.NaN}, 20));
        assertNull(FitHistogram.of(new double[0], 20));
    }

    @Test
    void stepsAreOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen() {
        assertEquals(0.1, FitHistogram.niceStep(0.09), 1e-12);
        assertEquals(0.25, FitHistogram.niceStep(0.21), 1e-12);
        assertEquals(5, FitHistogram.niceStep(2.6), 1e-12);
        assertEquals(10, FitHistogram.niceStep(5.5), 1e-12);
        assertEquals(2, new FitHistogram(0, 0.25, new long[1]).decimals());
        assertEquals(0, new FitHistogram(0, 5, new long[1]).decimals());
    }

    @Test
    void lambdaTicksReadAsPowersOfTen() {
        assertEquals("10⁻³", HistogramCharts.powerOfTen(-3));
        assertEquals("10⁻¹²", HistogramCharts.powerOfTen(-12));
        assertEquals("1", HistogramCharts.powerOfTen(0));
        assertEquals("10", HistogramCharts.powerOfTen(1));
        assertEquals("10²", HistogramCharts.powerOfTen(2));
        // and back: the tick formatter reads its own labels as the exponents they stand for
        for (long exponent : new long[] {-12, -3, 0, 1, 2}) {
            assertEquals(exponent, HistogramCharts.exponentOf(HistogramCharts.powerOfTen(exponent)));
        }
    }
}
