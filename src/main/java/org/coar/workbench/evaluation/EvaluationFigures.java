package org.coar.workbench.evaluation;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.coar.workbench.plot.Charts;
import org.knowm.xchart.XYChart;

/**
 * The evaluation's figures, as PNG files in the output directory:
 * <ul>
 *   <li>{@code correlation_histograms.png}: per α, the distribution over examples of each method's correlation;</li>
 *   <li>{@code correlation_vs_alpha.png}: mean correlation (and the quartile range of COAR) against α, per method;</li>
 *   <li>{@code scatter_example_J.png}: for one example, predicted against actual output over the runs, per method
 *       with output units, one colour per α.</li>
 * </ul>
 */
public final class EvaluationFigures {
    public static final String HISTOGRAMS = "correlation_histograms.png";
    public static final String VERSUS_ALPHA = "correlation_vs_alpha.png";
    private static final int BINS = 40;

    private EvaluationFigures() {
    }

    static List<Path> write(Path outDir, List<Double> alphas, List<String> methods, Map<String, double[][]> correlations,
                            int example, double[][] actual, Map<String, double[][]> predicted,
                            EvaluationResult.ValidationCheck validation) {
        List<Path> files = new ArrayList<>();
        files.add(Charts.save(histograms(alphas, methods, correlations), 3, outDir.resolve(HISTOGRAMS)));
        files.add(Charts.save(List.of(versusAlpha(alphas, methods, correlations, validation)), 1, outDir.resolve(VERSUS_ALPHA)));
        files.add(Charts.save(scatters(alphas, methods, example, actual, predicted), 3, outDir.resolve("scatter_example_" + example + ".png")));
        return files;
    }

    static List<XYChart> histograms(List<Double> alphas, List<String> methods, Map<String, double[][]> correlations) {
        List<XYChart> panels = new ArrayList<>();
        for (int a = 0; a < alphas.size(); a++) {
            int examples = correlations.get(methods.getFirst())[a].length;
            XYChart chart = Charts.xy("α = " + EvaluationResult.trim(alphas.get(a)) + ": correlation per example (" + examples
                    + " examples)", "Pearson correlation, actual vs predicted output over runs", "fraction of examples");
            double lowest = 0;
            for (int k = 0; k < methods.size(); k++) {
                String method = methods.get(k);
                double[] values = correlations.get(method)[a];
                lowest = Math.min(lowest, Arrays.stream(values).filter(v -> !Double.isNaN(v)).min().orElse(0));
                double[][] outline = histogramOutline(values);
                Correlation.Summary s = Correlation.Summary.of(values);
                Charts.line(chart, String.format(Locale.ROOT, "%s (mean %.3f)", method, s.mean()), outline[0], outline[1],
                        Charts.colour(method, k), method.equals(EvaluationResult.COAR) ? 2.4f : 1.6f);
            }
            chart.getStyler().setXAxisMin(Math.floor(lowest * 4) / 4);
            chart.getStyler().setXAxisMax(1.0);
            chart.getStyler().setYAxisMin(0.0);
            panels.add(chart);
        }
        return panels;
    }

    /** The outline of a histogram of the defined values over [-1, 1] in {@link #BINS} bins, as fractions. */
    static double[][] histogramOutline(double[] values) {
        double[] counts = new double[BINS];
        int defined = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                continue;
            }
            int bin = (int) Math.floor((v + 1) / 2 * BINS);
            counts[Math.max(0, Math.min(BINS - 1, bin))]++;
            defined++;
        }
        double[] x = new double[2 * BINS + 2];
        double[] y = new double[2 * BINS + 2];
        x[0] = -1;
        y[0] = 0;
        for (int b = 0; b < BINS; b++) {
            double left = -1 + 2.0 * b / BINS;
            double right = -1 + 2.0 * (b + 1) / BINS;
            double fraction = defined == 0 ? 0 : counts[b] / defined;
            x[1 + 2 * b] = left;
            y[1 + 2 * b] = fraction;
            x[2 + 2 * b] = right;
            y[2 + 2 * b] = fraction;
        }
        x[2 * BINS + 1] = 1;
        y[2 * BINS + 1] = 0;
        return new double[][] {x, y};
    }

    static XYChart versusAlpha(List<Double> alphas, List<String> methods, Map<String, double[][]> correlations,
                               EvaluationResult.ValidationCheck validation) {
        XYChart chart = Charts.xy("Mean correlation per example against α", "α (fraction of components ablated)",
                "mean Pearson correlation");
        double[] x = alphas.stream().mapToDouble(Double::doubleValue).toArray();
        double lowest = 0;
        for (int k = 0; k < methods.size(); k++) {
            String method = methods.get(k);
            double[] mean = new double[x.length];
            double[] q25 = new double[x.length];
            double[] q75 = new double[x.length];
            for (int a = 0; a < x.length; a++) {
                Correlation.Summary s = Correlation.Summary.of(correlations.get(method)[a]);
                mean[a] = s.mean();
                q25[a] = s.q25();
                q75[a] = s.q75();
                lowest = Math.min(lowest, Math.min(mean[a], s.q25()));
            }
            Color colour = Charts.colour(method, k);
            Charts.line(chart, method, x, mean, colour, method.equals(EvaluationResult.COAR) ? 2.6f : 1.8f)
                    .setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE);
            chart.getSeriesMap().get(method).setMarkerColor(colour);
            if (method.equals(EvaluationResult.COAR)) {
                Charts.dashed(chart, "COAR quartiles", x, q25, colour);
                Charts.dashed(chart, "COAR q75", x, q75, colour).setShowInLegend(false);
            }
        }
        if (validation != null && validation.rows() > 0 && Double.isFinite(validation.summary().mean())) {
            double[] level = new double[x.length];
            Arrays.fill(level, validation.summary().mean());
            Charts.dashed(chart, String.format(Locale.ROOT, "COAR on %d store rows%s", validation.rows(),
                    validation.inSample() ? " (in-sample)" : ""), x, level, new Color(0x99, 0x99, 0xcc));
        }
        chart.getStyler().setYAxisMin(Math.min(0, Math.floor(lowest * 10) / 10));
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
        return chart;
    }

    static List<XYChart> scatters(List<Double> alphas, List<String> methods, int example, double[][] actual,
                                  Map<String, double[][]> predicted) {
        List<XYChart> panels = new ArrayList<>();
        for (String method : methods) {
            if (method.equals(WeightNorm.METHOD)) {
                continue; // no output units: a scatter against actual outputs would mislead
            }
            double[][] pred = predicted.get(method);
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int a = 0; a < alphas.size(); a++) {
                for (int r = 0; r < actual[a].length; r++) {
                    lo = Math.min(lo, Math.min(actual[a][r], pred[a][r]));
                    hi = Math.max(hi, Math.max(actual[a][r], pred[a][r]));
                }
            }
            XYChart chart = Charts.xy(method + ", example " + example, "actual output of the ablated model",
                    "predicted output");
            for (int a = 0; a < alphas.size(); a++) {
                double r = Correlation.pearson(actual[a], pred[a]);
                Charts.points(chart, String.format(Locale.ROOT, "α = %s (r = %.3f)", EvaluationResult.trim(alphas.get(a)), r),
                        actual[a], pred[a], Charts.colour("", a));
            }
            double pad = (hi - lo) * 0.05 + 1e-6;
            Charts.dashed(chart, "predicted = actual", new double[] {lo - pad, hi + pad}, new double[] {lo - pad, hi + pad},
                    new Color(0x55, 0x55, 0x55));
            chart.getStyler().setXAxisMin(lo - pad);
            chart.getStyler().setXAxisMax(hi + pad);
            chart.getStyler().setYAxisMin(lo - pad);
            chart.getStyler().setYAxisMax(hi + pad);
            chart.getStyler().setMarkerSize(6);
            panels.add(chart);
        }
        return panels;
    }
}
