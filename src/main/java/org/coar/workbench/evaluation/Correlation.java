package org.coar.workbench.evaluation;

import java.util.Arrays;

/** Pearson correlation per example between actual and predicted outputs over runs, and its summary. */
public final class Correlation {
    private Correlation() {
    }

    /**
     * Pearson's r of two equally long series, in double precision with centred sums (as
     * {@code np.corrcoef}); NaN when either series is constant or shorter than 2.
     */
    public static double pearson(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " vs " + y.length + " values");
        }
        int n = x.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
    }

    /**
     * Correlation of every example over the runs: {@code actual[run][example]} against
     * {@code predicted[run][example]}; NaN for an example whose actual or predicted outputs do
     * not vary over the runs.
     */
    public static double[] perExample(float[][] actual, float[][] predicted) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException(actual.length + " actual runs vs " + predicted.length + " predicted");
        }
        int runs = actual.length;
        int examples = runs == 0 ? 0 : actual[0].length;
        double[] result = new double[examples];
        double[] x = new double[runs];
        double[] y = new double[runs];
        for (int j = 0; j < examples; j++) {
            for (int r = 0; r < runs; r++) {
                x[r] = actual[r][j];
                y[r] = predicted[r][j];
            }
            result[j] = pearson(x, y);
        }
        return result;
    }

    /**
     * Per-example correlation accumulated one run at a time (sums of products in double, shifted
     * by the first run's values against cancellation), for row sets too large to hold at once.
     */
    public static final class Accumulator {
        private final int examples;
        private final double[] shiftX;
        private final double[] shiftY;
        private final double[] sx;
        private final double[] sy;
        private final double[] sxx;
        private final double[] syy;
        private final double[] sxy;
        private long runs;

        public Accumulator(int examples) {
            this.examples = examples;
            shiftX = new double[examples];
            shiftY = new double[examples];
            sx = new double[examples];
            sy = new double[examples];
            sxx = new double[examples];
            syy = new double[examples];
            sxy = new double[examples];
        }

        public void add(float[] actual, float[] predicted) {
            if (actual.length != examples || predicted.length != examples) {
                throw new IllegalArgumentException("a run has " + actual.length + " actual and " + predicted.length
                        + " predicted outputs for " + examples + " examples");
            }
            if (runs == 0) {
                for (int j = 0; j < examples; j++) {
                    shiftX[j] = actual[j];
                    shiftY[j] = predicted[j];
                }
            }
            for (int j = 0; j < examples; j++) {
                double x = actual[j] - shiftX[j];
                double y = predicted[j] - shiftY[j];
                sx[j] += x;
                sy[j] += y;
                sxx[j] += x * x;
                syy[j] += y * y;
                sxy[j] += x * y;
            }
            runs++;
        }

        public long runs() {
            return runs;
        }

        /** Pearson's r per example over the runs added; NaN where either side never varied. */
        public double[] result() {
            double[] r = new double[examples];
            for (int j = 0; j < examples; j++) {
                if (runs < 2) {
                    r[j] = Double.NaN;
                    continue;
                }
                double cxy = sxy[j] - sx[j] * sy[j] / runs;
                double cxx = sxx[j] - sx[j] * sx[j] / runs;
                double cyy = syy[j] - sy[j] * sy[j] / runs;
                r[j] = cxx <= 0 || cyy <= 0 ? Double.NaN : Math.max(-1, Math.min(1, cxy / Math.sqrt(cxx * cyy)));
            }
            return r;
        }
    }

    /**
     * Mean, median and quartiles of the defined (non-NaN) values; quartiles interpolate linearly
     * between order statistics, as numpy's default {@code np.percentile}.
     *
     * @param count     values that were defined
     * @param undefined values that were NaN (an example whose outputs never varied), left out
     */
    public record Summary(double mean, double median, double q25, double q75, double min, double max, int count, int undefined) {
        public static Summary of(double[] values) {
            double[] defined = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
            int undefined = values.length - defined.length;
            if (defined.length == 0) {
                return new Summary(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, undefined);
            }
            double mean = Arrays.stream(defined).sum() / defined.length;
            return new Summary(mean, percentile(defined, 50), percentile(defined, 25), percentile(defined, 75), defined[0],
                    defined[defined.length - 1], defined.length, undefined);
        }

        /** numpy's "linear" percentile of sorted values. */
        static double percentile(double[] sorted, double q) {
            double position = q / 100 * (sorted.length - 1);
            int below = (int) Math.floor(position);
            int above = Math.min(below + 1, sorted.length - 1);
            double fraction = position - below;
            return sorted[below] + (sorted[above] - sorted[below]) * fraction;
        }
    }
}
