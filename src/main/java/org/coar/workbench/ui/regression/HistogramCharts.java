package org.coar.workbench.ui.regression;

import javafx.scene.chart.AreaChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.util.StringConverter;
import org.coar.workbench.ui.common.Axes;

/**
 * Draws a {@link FitHistogram} on an area chart with numeric axes: the outline steps over each
 * bin's edges, x ticks fall on round values (whole decades for λ, labelled 10⁻³), and the count
 * axis has whole-number ticks only.
 */
final class HistogramCharts {
    /** About this many x ticks, at most. */
    private static final int X_TICKS = 8;
    private static final String SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    private HistogramCharts() {
    }

    /** Shows {@code histogram} (of log10 values when {@code log10}); hides the chart when it is null. */
    static void show(AreaChart<Number, Number> chart, FitHistogram histogram, boolean log10) {
        chart.getData().clear();
        chart.setVisible(histogram != null);
        if (histogram == null) {
            return;
        }
        XYChart.Series<Number, Number> series = new XYChart.Series<>();
        series.getData().add(new XYChart.Data<>(histogram.low(), 0));
        for (int b = 0; b < histogram.bins(); b++) {
            double from = histogram.low() + b * histogram.width();
            series.getData().add(new XYChart.Data<>(from, histogram.counts()[b]));
            series.getData().add(new XYChart.Data<>(from + histogram.width(), histogram.counts()[b]));
        }
        series.getData().add(new XYChart.Data<>(histogram.high(), 0));
        chart.getData().add(series);
        NumberAxis x = (NumberAxis) chart.getXAxis();
        if (log10) {
            decades(x, histogram);
        } else {
            linear(x, histogram);
        }
        counts((NumberAxis) chart.getYAxis(), histogram.largestCount());
    }

    private static void linear(NumberAxis axis, FitHistogram histogram) {
        double unit = Math.max(histogram.width(), FitHistogram.niceStep((histogram.high() - histogram.low()) / X_TICKS));
        range(axis, histogram.low(), histogram.high(), unit);
        Axes.useTicks(axis, new FitHistogram(0, unit, new long[1]).decimals());
    }

    /** Ticks at whole powers of ten. */
    private static void decades(NumberAxis axis, FitHistogram histogram) {
        double span = Math.ceil(histogram.high() - 1e-9) - Math.floor(histogram.low() + 1e-9);
        range(axis, histogram.low(), histogram.high(), Math.max(1, Math.ceil(span / X_TICKS)));
        axis.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number value) {
                long exponent = Math.round(value.doubleValue());
                return Math.abs(value.doubleValue() - exponent) < 1e-6 ? powerOfTen(exponent) : "";
            }

            @Override
            public Number fromString(String text) {
                return exponentOf(text);
            }
        });
    }

    /** "10⁻³" for −3, "1" for 0, "10" for 1. */
    static String powerOfTen(long exponent) {
        if (exponent == 0) {
            return "1";
        }
        if (exponent == 1) {
            return "10";
        }
        StringBuilder text = new StringBuilder("10");
        if (exponent < 0) {
            text.append('⁻');
        }
        for (char digit : Long.toString(Math.abs(exponent)).toCharArray()) {
            text.append(SUPERSCRIPTS.charAt(digit - '0'));
        }
        return text.toString();
    }

    /** The exponent a {@link #powerOfTen} label stands for: −3 for "10⁻³", 0 for "1". */
    static long exponentOf(String label) {
        if (label.equals("1")) {
            return 0;
        }
        if (!label.startsWith("10")) {
            throw new IllegalArgumentException("not a power of ten: " + label);
        }
        String rest = label.substring(2);
        boolean negative = rest.startsWith("⁻");
        long exponent = 0;
        for (char c : (negative ? rest.substring(1) : rest).toCharArray()) {
            int digit = SUPERSCRIPTS.indexOf(c);
            if (digit < 0) {
                throw new IllegalArgumentException("not a power of ten: " + label);
            }
            exponent = exponent * 10 + digit;
        }
        if (rest.isEmpty()) {
            exponent = 1;
        }
        return negative ? -exponent : exponent;
    }

    /** From 0 to a round count above the largest, in whole-number steps. */
    private static void counts(NumberAxis axis, long largest) {
        double unit = Math.max(1, FitHistogram.niceStep(Math.max(1, largest) / 5.0));
        if (unit == 2.5) {
            unit = 5; // the one nice step of 1 or more that is not a whole number
        }
        axis.setLowerBound(0);
        axis.setUpperBound(Math.max(unit, Math.ceil(largest / unit) * unit));
        axis.setTickUnit(unit);
        Axes.useTicks(axis, 0);
    }

    /** Bounds on whole multiples of {@code unit} around [low, high], so that every tick is a round value. */
    private static void range(NumberAxis axis, double low, double high, double unit) {
        double lower = Math.floor(low / unit + 1e-9) * unit;
        double upper = Math.ceil(high / unit - 1e-9) * unit;
        axis.setLowerBound(lower);
        axis.setUpperBound(upper > lower ? upper : lower + unit);
        axis.setTickUnit(unit);
    }
}
