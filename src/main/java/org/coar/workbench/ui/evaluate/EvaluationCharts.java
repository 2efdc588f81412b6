package org.coar.workbench.ui.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import org.coar.workbench.evaluation.Correlation;
import org.coar.workbench.evaluation.EvaluationFiles;
import org.coar.workbench.evaluation.EvaluationResult;
import org.coar.workbench.evaluation.WeightNorm;
import org.coar.workbench.ui.common.Axes;

/**
 * The series of the Evaluate tab's charts, built from an evaluation's report and arrays: mean
 * correlation against α per method, the per-example correlation histograms, and one example's
 * predicted against actual outputs over the runs.
 */
final class EvaluationCharts {
    /** Bins of every histogram; 20 keep a bin a few pixels wide at the tab's minimum chart width. */
    static final int BINS = 20;

    private EvaluationCharts() {
    }

    /** Per method, its mean correlation over examples at each α, from the report's summaries (α ascending). */
    static List<XYChart.Series<Number, Number>> versusAlpha(EvaluationResult result) {
        List<EvaluationResult.AlphaResult> byAlpha = result.alphas().stream()
                .sorted((x, y) -> Double.compare(x.alpha(), y.alpha())).toList();
        List<XYChart.Series<Number, Number>> series = new ArrayList<>();
        for (String method : result.methods()) {
            XYChart.Series<Number, Number> line = new XYChart.Series<>();
            line.setName(method);
            for (EvaluationResult.AlphaResult a : byAlpha) {
                Correlation.Summary s = a.byMethod().get(method);
                if (s != null && Double.isFinite(s.mean())) {
                    line.getData().add(new XYChart.Data<>(a.alpha(), s.mean()));
                }
            }
            series.add(line);
        }
        return series;
    }

    /**
     * Counts of a method's per-example correlations in {@link #BINS} equal bins over [from, 1], per α;
     * NaN (an example whose outputs never varied) is left out, and a value below {@code from} counts
     * in the first bin.
     *
     * @param counts [alpha][bin]
     */
    record Histogram(double from, double to, int[][] counts) {
        double binWidth() {
            return (to - from) / BINS;
        }

        int highestCount() {
            return Arrays.stream(counts).flatMapToInt(Arrays::stream).max().orElse(0);
        }
    }

    /**
     * The histogram of one method. It starts at the 1st percentile of its correlations over every α
     * (a few outliers must not squeeze the bulk into one bin), rounded down to a tick of its axis so
     * that bins and ticks line up, and spans at least 0.1.
     */
    static Histogram histogram(EvaluationFiles.Correlations correlations, String method) {
        double[][] perAlpha = correlations.byMethod().get(method);
        double[] defined = Arrays.stream(perAlpha).flatMapToDouble(Arrays::stream).filter(v -> !Double.isNaN(v)).sorted().toArray();
        double lowest = defined.length == 0 ? -1 : Math.min(0.9, Math.max(-1, percentile(defined, 1)));
        double to = 1;
        double tick = tickUnit(to - lowest);
        double from = Math.max(-1, Math.floor(lowest / tick + 1e-9) * tick);
        int[][] counts = new int[perAlpha.length][BINS];
        for (int a = 0; a < perAlpha.length; a++) {
            for (double v : perAlpha[a]) {
                if (!Double.isNaN(v)) {
                    int bin = (int) Math.floor((v - from) / (to - from) * BINS);
                    counts[a][Math.max(0, Math.min(BINS - 1, bin))]++;
                }
            }
        }
        return new Histogram(from, to, counts);
    }

    /** Ticks of a correlation axis spanning {@code width}: every 0.05 up to 0.3, every 0.1 up to 1, else every 0.25. */
    static double tickUnit(double width) {
        return width <= 0.3 + 1e-9 ? 0.05 : width <= 1 + 1e-9 ? 0.1 : 0.25;
    }

    /** numpy's "linear" percentile of sorted values. */
    private static double percentile(double[] sorted, double q) {
        double position = q / 100 * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }

    /**
     * A histogram as step outlines, one series per α: from (from, 0) up and along each bin's count to
     * (1, 0), so 2 · {@link #BINS} + 2 points each.
     */
    static List<XYChart.Series<Number, Number>> histogramSeries(Histogram histogram, List<Double> alphas) {
        List<XYChart.Series<Number, Number>> series = new ArrayList<>();
        for (int a = 0; a < histogram.counts().length; a++) {
            XYChart.Series<Number, Number> outline = new XYChart.Series<>();
            outline.setName("α = " + alphaText(alphas.get(a)));
            outline.getData().add(new XYChart.Data<>(histogram.from(), 0));
            for (int b = 0; b < BINS; b++) {
                double left = histogram.from() + histogram.binWidth() * b;
                outline.getData().add(new XYChart.Data<>(left, histogram.counts()[a][b]));
                outline.getData().add(new XYChart.Data<>(left + histogram.binWidth(), histogram.counts()[a][b]));
            }
            outline.getData().add(new XYChart.Data<>(histogram.to(), 0));
            series.add(outline);
        }
        return series;
    }

    /** Methods whose predictions are in output units: every one but the weight norm, whose scale is arbitrary. */
    static List<String> scatterMethods(EvaluationFiles.ExampleRuns runs) {
        return runs.predicted().keySet().stream().filter(method -> !method.equals(WeightNorm.METHOD)).toList();
    }

    /** One method's predicted (y) against actual (x) output of the example, one series per α named with its Pearson r. */
    static List<XYChart.Series<Number, Number>> scatter(EvaluationFiles.ExampleRuns runs, String method) {
        double[][] predicted = runs.predicted().get(method);
        List<XYChart.Series<Number, Number>> series = new ArrayList<>();
        for (int a = 0; a < runs.alphas().size(); a++) {
            XYChart.Series<Number, Number> points = new XYChart.Series<>();
            double r = Correlation.pearson(runs.actual()[a], predicted[a]);
            points.setName(String.format(Locale.ROOT, "α = %s (r = %s)", alphaText(runs.alphas().get(a)),
                    Double.isNaN(r) ? "undefined" : String.format(Locale.ROOT, "%.3f", r)));
            for (int run = 0; run < runs.actual()[a].length; run++) {
                points.getData().add(new XYChart.Data<>(runs.actual()[a][run], predicted[a][run]));
            }
            series.add(points);
        }
        return series;
    }

    /** An axis of counts: whole-number ticks from 0, about six of them, never a tick between two integers. */
    static void countAxis(NumberAxis axis, int highestCount) {
        int step = 1;
        for (int decade = 1; highestCount / step > 6; decade *= 10) {
            step = highestCount / (2 * decade) <= 6 ? 2 * decade : highestCount / (5 * decade) <= 6 ? 5 * decade : 10 * decade;
        }
        axis.setAutoRanging(false);
        axis.setLowerBound(0);
        axis.setUpperBound(Math.max(step, (int) Math.ceil((double) highestCount / step) * step));
        axis.setTickUnit(step);
        axis.setMinorTickCount(0);
        Axes.useTicks(axis, 0);
    }

    /** The x-axis of a histogram: exactly [from, 1], ticks as {@link #tickUnit}. */
    static void correlationAxis(NumberAxis axis, Histogram histogram) {
        axis.setAutoRanging(false);
        axis.setLowerBound(histogram.from());
        axis.setUpperBound(histogram.to());
        axis.setTickUnit(tickUnit(histogram.to() - histogram.from()));
        Axes.useTicks(axis, 2);
    }

    static String alphaText(double alpha) {
        String s = String.format(Locale.ROOT, "%.6f", alpha).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }

    /** A method's name as a node id: "gradient x parameter" is "gradient-x-parameter". */
    static String key(String method) {
        return method.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }
}
