package org.coar.workbench.fit;

import java.nio.file.Path;
import org.coar.workbench.attributions.Attributions;

/**
 * Per-example figures of an attributions directory, binned for display: the validation R² and the
 * chosen λ of every example.
 *
 * @param r2        validation R² histogram (NaN-free), or null without validation rows
 * @param lambda    chosen-λ histogram on a log10 scale of the non-zero λ's, or null when every λ is 0
 * @param zeroLambdas examples fitted at λ = 0 (least squares)
 * @param examples  examples in the directory
 */
public record AttributionsSummary(Histogram r2, Histogram lambda, int zeroLambdas, int examples) {

    /** Counts of values in equal bins over [low, high]. */
    public record Histogram(double low, double high, long[] counts) {
        public double binWidth() {
            return (high - low) / counts.length;
        }

        static Histogram of(double[] values, int bins) {
            double low = Double.POSITIVE_INFINITY;
            double high = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
            if (high == low) {
                high = low + 1;
            }
            long[] counts = new long[bins];
            for (double v : values) {
                counts[Math.min(bins - 1, (int) ((v - low) / (high - low) * bins))]++;
            }
            return new Histogram(low, high, counts);
        }
    }

    public static AttributionsSummary read(Path dir, int bins) {
        double[] lambdas = Attributions.readLambdas(dir);
        double[] r2 = Attributions.readValidationR2(dir);
        double[] finiteR2 = java.util.Arrays.stream(r2).filter(Double::isFinite).toArray();
        double[] logLambdas = java.util.Arrays.stream(lambdas).filter(l -> l > 0).map(Math::log10).toArray();
        return new AttributionsSummary(finiteR2.length == 0 ? null : Histogram.of(finiteR2, bins),
                logLambdas.length == 0 ? null : Histogram.of(logLambdas, bins), lambdas.length - logLambdas.length, lambdas.length);
    }
}
