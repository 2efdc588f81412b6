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
 *   <li>{@code correlation_histograms.png}: per method, the distribution over examples of its correlation, one outline per α;</li>
 *   <li>{@code correlation_vs_alpha.png}: mean correlation against α per method, and a close-up of the best methods;</li>
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
        files.add(Charts.save(histograms(alphas, methods, correlations), 2, outDir.resolve(HISTOGRAMS)));
        files.add(Charts.save(versusAlpha(alphas, methods, correlations, validation), 2, outDir.resolve(VERSUS_ALPHA)));
        files.add(Charts.save(scatters(alphas, methods, example, actual, predicted), 3, outDir.resolve("scatter_example_" + example + ".png")));
        return files;
    }

    /** One panel per method, each with its own x-range, one outline per α. */
    static List<XYChart> histograms(List<Double> alphas, List<String> methods, Map<String, double[][]> correlations) {
        List<XYChart> panels = new ArrayList<>();
        for (String method : methods) {
            double[][] perAlpha = correlations.get(method);
            int examples = perAlpha[0].length;
            double[] all = Arrays.stream(perAlpha).flatMapToDouble(Arrays::stream).filter(v -> !Double.isNaN(v)).sorted().toArray();
            // from the 1st percentile: a few outliers must not squeeze the bulk into one bin
            double from = all.length == 0 ? -1 : Math.max(-1, Math.floor(Correlation.Summary.percentile(all, 1) * 20) / 20);
            double to = 1;
            if (to - from < 0.1) {
                from = to - 0.1;
            }
            XYChart chart = Charts.xy(method + ": correlation per example (" + examples + " examples)",
                    "Pearson correlation, actual vs predicted output over runs", "fraction of examples");
            Charts.baseline(chart, from, to);
            for (int a = 0; a < alphas.size(); a++) {
                double[][] outline = histogramOutline(perAlpha[a], from, to);
                Correlation.Summary s = Correlation.Summary.of(perAlpha[a]);
                Charts.line(chart, String.format(Locale.ROOT, "α = %s (mean %.3f, median %.3f)", EvaluationResult.trim(alphas.get(a)),
                        s.mean(), s.median()), outline[0], outline[1], Charts.colour("", a), 1.8f);
            }
            chart.getStyler().setXAxisMin(from);
            chart.getStyler().setXAxisMax(to);
            chart.getStyler().setYAxisMin(0.0);
            panels.add(chart);
        }
        return panels;
    }

    /**
     * The outline of a histogram of the defined values over [from, to] in {@link #BINS} bins, as
     * fractions of the defined values; values below {@code from} count in the first bin.
     */
    static double[][] histogramOutline(double[] values, double from, double to) {
        double[] counts = new double[BINS];
        int defined = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                continue;
            }
            int bin = (int) Math.floor((v - from) / (to - from) * BINS);
            counts[Math.max(0, Math.min(BINS - 1, bin))]++;
            defined++;
        }
        double[] x = new double[2 * BINS + 2];
        double[] y = new double[2 * BINS + 2];
        x[0] = from;
        y[0] = 0;
        for (int b = 0; b < BINS; b++) {
            double left = from + (to - from) * b / BINS;
            double right = from + (to - from) * (b + 1) / BINS;
            double fraction = defined == 0 ? 0 : counts[b] / defined;
            x[1 + 2 * b] = left;
            y[1 + 2 * b] = fraction;
            x[2 + 2 * b] = right;
            y[2 + 2 * b] = fraction;
        }
        x[2 * BINS + 1] = to;
        y[2 * BINS + 1] = 0;
        return new double[][] {x, y};
    }

    /** Mean correlation against α per method: every method, and a close-up of the methods near the best. */
    static List<XYChart> versusAlpha(List<Double> alphas, List<String> methods, Map<String, double[][]> correlations,
                                     EvaluationResult.ValidationCheck validation) {
        double[] x = alphas.stream().mapToDouble(Double::doubleValue).toArray();
        Map<String, Correlation.Summary[]> summaries = new java.util.LinkedHashMap<>();
        for (String method : methods) {
            Correlation.Summary[] s = new Correlation.Summary[x.length];
            for (int a = 0; a < x.length; a++) {
                s[a] = Correlation.Summary.of(correlations.get(method)[a]);
            }
            summaries.put(method, s);
        }
        double best = summaries.values().stream().flatMap(Arrays::stream).mapToDouble(Correlation.Summary::mean)
                .filter(Double::isFinite).max().orElse(1);
        List<String> near = methods.stream().filter(m -> Arrays.stream(summaries.get(m)).mapToDouble(Correlation.Summary::mean)
                .filter(Double::isFinite).max().orElse(-1) >= best - 0.25).toList();
        double lowestNear = near.stream().flatMap(m -> Arrays.stream(summaries.get(m))).mapToDouble(Correlation.Summary::mean)
                .filter(Double::isFinite).min().orElse(0);
        double lowestAll = summaries.values().stream().flatMap(Arrays::stream).mapToDouble(Correlation.Summary::mean)
                .filter(Double::isFinite).min().orElse(0);

        XYChart overview = Charts.xy("Mean correlation per example against α", "α (fraction of components ablated)",
                "mean Pearson correlation", 780, Charts.PANEL_HEIGHT);
        XYChart closeUp = Charts.xy("Close-up of the best methods", "α (fraction of components ablated)",
                "mean Pearson correlation", 780, Charts.PANEL_HEIGHT);
        for (int k = 0; k < methods.size(); k++) {
            String method = methods.get(k);
            Correlation.Summary[] s = summaries.get(method);
            double[] mean = Arrays.stream(s).mapToDouble(Correlation.Summary::mean).toArray();
            Color colour = Charts.colour(method, k);
            float width = method.equals(EvaluationResult.COAR) ? 2.6f : 1.8f;
            for (XYChart chart : near.contains(method) ? List.of(overview, closeUp) : List.of(overview)) {
                Charts.line(chart, method, x, mean, colour, width).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE);
                chart.getSeriesMap().get(method).setMarkerColor(colour);
            }
        }
        if (validation != null && validation.rows() > 0 && Double.isFinite(validation.summary().mean())) {
            double[] level = new double[x.length];
            Arrays.fill(level, validation.summary().mean());
            String name = String.format(Locale.ROOT, "COAR, %d store rows%s", validation.rows(),
                    validation.inSample() ? " (in-sample)" : "");
            Charts.dashed(overview, name, x, level, new Color(0x99, 0x99, 0xcc));
            Charts.dashed(closeUp, name, x, level, new Color(0x99, 0x99, 0xcc));
            lowestNear = Math.min(lowestNear, validation.summary().mean());
        }
        overview.getStyler().setYAxisMin(Math.min(0, Math.floor(lowestAll * 10) / 10));
        overview.getStyler().setYAxisMax(1.0);
        double span = Math.max(0.02, best - lowestNear);
        closeUp.getStyler().setYAxisMin(Math.max(-1, lowestNear - 0.15 * span));
        closeUp.getStyler().setYAxisMax(Math.min(1, best + 0.15 * span));
        for (XYChart chart : List.of(overview, closeUp)) {
            chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        }
        return List.of(overview, closeUp);
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
