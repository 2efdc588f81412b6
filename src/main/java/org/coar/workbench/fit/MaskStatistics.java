package org.coar.workbench.fit;

import org.coar.workbench.fit.sparse.MaskBits;

/**
 * Mean and population standard deviation of every component's sparse-side indicator s over one
 * set of rows (the training rows, or all rows), from the bit counts: exact for 0/1 masks, and the
 * same std as the keep-mask x's (s = 1 − x or s = x). Components with std 0 are constant there.
 */
final class MaskStatistics {
    final long rows;
    final double[] mean;
    final double[] std;

    private MaskStatistics(long rows, double[] mean, double[] std) {
        this.rows = rows;
        this.mean = mean;
        this.std = std;
    }

    static MaskStatistics of(MaskBits train, MaskBits validation, boolean includeValidation) {
        int p = train.components();
        long n = train.rows() + (includeValidation ? validation.rows() : 0);
        double[] mean = new double[p];
        double[] std = new double[p];
        for (int i = 0; i < p; i++) {
            long c = train.count(i) + (includeValidation ? validation.count(i) : 0);
            mean[i] = n == 0 ? 0 : (double) c / n;
            // n·c − c² is an exact integer, so a constant component gives exactly 0.
            double numerator = (double) n * c - (double) c * c;
            std[i] = numerator > 0 ? Math.sqrt(numerator) / n : 0;
        }
        return new MaskStatistics(n, mean, std);
    }

    boolean varies(int component) {
        return std[component] > 0;
    }

    /** The components that vary, in order. */
    int[] varying() {
        return java.util.stream.IntStream.range(0, std.length).filter(this::varies).toArray();
    }
}
