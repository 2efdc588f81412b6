package org.coar.workbench.ui.regression;

import java.util.Arrays;

/**
 * Counts of per-example values in equal bins whose edges are round numbers (a width of 1, 2, 2.5
 * or 5 times a power of ten, edges at multiples of the width), so that the chart's numeric axis
 * can put its ticks on bin edges. Bins are half-open, [edge, edge + width): a value on an edge
 * counts in the bin that starts there.
 *
 * @param low   the first bin's lower edge
 * @param width every bin's width
 * @param counts values per bin
 */
public record FitHistogram(double low, double width, long[] counts) {
    /** Relative slack when a value sits on an edge: 0.3 / 0.1 is 2.9999999999999996 in doubles, and 0.3 belongs to bin 3. */
    private static final double EDGE_SLACK = 1e-9;

    public FitHistogram {
        counts = counts.clone();
    }

    /** The finite values binned in at most {@code maxBins} round bins; null when no value is finite. */
    public static FitHistogram of(double[] values, int maxBins) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
        if (finite.length == 0) {
            return null;
        }
        double min = Arrays.stream(finite).min().orElseThrow();
        double max = Arrays.stream(finite).max().orElseThrow();
        double width = niceStep(max > min ? (max - min) / maxBins : 1.0 / maxBins);
        // The range [min, max] may need one bin more than maxBins once its ends are rounded out to edges.
        while (binOf(max, Math.floor(min / width + EDGE_SLACK) * width, width) >= maxBins) {
            width = niceStep(width * 1.01);
        }
        double low = Math.floor(min / width + EDGE_SLACK) * width;
        long[] counts = new long[binOf(max, low, width) + 1];
        for (double v : finite) {
            counts[binOf(v, low, width)]++;
        }
        return new FitHistogram(low, width, counts);
    }

    private static int binOf(double value, double low, double width) {
        return (int) Math.floor((value - low) / width + EDGE_SLACK);
    }

    /** The smallest of 1, 2, 2.5, 5 × 10^k that is at least {@code step}. */
    static double niceStep(double step) {
        double power = Math.pow(10, Math.floor(Math.log10(step)));
        for (double factor : new double[] {1, 2, 2.5, 5, 10}) {
            if (factor * power >= step * (1 - EDGE_SLACK)) {
                return factor * power;
            }
        }
        return 10 * power;
    }

    /** The upper edge of the last bin. */
    public double high() {
        return low + width * counts.length;
    }

    public int bins() {
        return counts.length;
    }

    public long total() {
        return Arrays.stream(counts).sum();
    }

    public long largestCount() {
        return Arrays.stream(counts).max().orElse(0);
    }

    /** Decimals that tick labels at multiples of the width need (0.25 → 2, 5 → 0). */
    public int decimals() {
        for (int d = 0; d < 10; d++) {
            double scaled = width * Math.pow(10, d);
            if (Math.abs(scaled - Math.rint(scaled)) < 1e-6 * Math.max(1, scaled)) {
                return d;
            }
        }
        return 10;
    }
}
