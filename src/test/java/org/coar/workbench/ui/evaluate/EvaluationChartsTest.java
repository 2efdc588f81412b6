package org.coar.workbench.ui.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import org.coar.workbench.evaluation.EvaluationFiles;
import org.coar.workbench.evaluation.EvaluationResult;
import org.coar.workbench.testing.Fixtures;
import org.coar.workbench.ui.common.FxThread;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Evaluate tab's chart series from the hand-made evaluation in test resources
 * (evaluation/hand-made/make_fixture.py lists every value); expectations worked out by hand.
 */
class EvaluationChartsTest {
    static final Path HAND_MADE = Fixtures.resource("evaluation/hand-made");
    private final EvaluationResult result = EvaluationFiles.read(HAND_MADE);

    @BeforeAll
    static void toolkit() {
        FxThread.start(); // an axis needs the toolkit
    }

    @Test
    void correlationAgainstAlphaIsOneLinePerMethodThroughTheReportsMeans() {
        List<XYChart.Series<Number, Number>> series = EvaluationCharts.versusAlpha(result);
        assertEquals(List.of("COAR", "leave-one-out", "weight norm"), series.stream().map(XYChart.Series::getName).toList());
        // COAR at 0.05: (0.925 + 0.97 + 0.99 + 0.85) / 4, the NaN left out; at 0.1: (0.905 + 0.955 + 0.985 + 0.805 + 0.61) / 5
        assertPoints(series.get(0), new double[][] {{0.05, 0.93375}, {0.1, 0.852}});
        // leave-one-out: (0.5 + 0.7 + 0.2 + 0.65 + 0.1) / 5 and (0.45 + 0.62 + 0.15 + 0.55 - 0.3) / 5
        assertPoints(series.get(1), new double[][] {{0.05, 0.43}, {0.1, 0.294}});
    }

    @Test
    void histogramCountsEachDefinedCorrelationInItsBinFromTheFirstPercentile() {
        EvaluationFiles.Correlations correlations = EvaluationFiles.readCorrelations(result);
        assertEquals(5, correlations.examples());
        EvaluationCharts.Histogram coar = EvaluationCharts.histogram(correlations, "COAR");
        // 1st percentile of the 9 defined values: 0.61 + 0.08 * (0.805 - 0.61) = 0.6256; span 0.37, ticks of 0.1: from 0.6, bins of 0.02
        assertEquals(0.6, coar.from(), 1e-12);
        assertEquals(1.0, coar.to());
        int[] at005 = new int[EvaluationCharts.BINS];
        at005[12] = 1; // 0.85
        at005[16] = 1; // 0.925
        at005[18] = 1; // 0.97
        at005[19] = 1; // 0.99; the NaN of example 4 is not counted
        int[] at01 = new int[EvaluationCharts.BINS];
        at01[0] = 1;  // 0.61
        at01[10] = 1; // 0.805
        at01[15] = 1; // 0.905
        at01[17] = 1; // 0.955
        at01[19] = 1; // 0.985
        assertArrayEquals(at005, coar.counts()[0]);
        assertArrayEquals(at01, coar.counts()[1]);
        assertEquals(1, coar.highestCount());

        // leave-one-out: 1st percentile -0.3 + 0.09 * 0.4 = -0.264; span 1.264, ticks of 0.25: from -0.5
        assertEquals(-0.5, EvaluationCharts.histogram(correlations, "leave-one-out").from(), 1e-12);
        // weight norm: 0.1, 0.15, 0.2, 0.25, 0.3 at both α; span 0.9, ticks of 0.1: from 0.1, bins of 0.045,
        // so (v - 0.1) / 0.045 = 0, 1.1, 2.2, 3.3, 4.4
        EvaluationCharts.Histogram norm = EvaluationCharts.histogram(correlations, "weight norm");
        assertEquals(0.1, norm.from(), 1e-12);
        int[] oneEach = new int[EvaluationCharts.BINS];
        java.util.Arrays.fill(oneEach, 0, 5, 1);
        assertArrayEquals(oneEach, norm.counts()[0]);
        assertArrayEquals(oneEach, norm.counts()[1]);
    }

    @Test
    void histogramSeriesAreStepOutlinesWithWholeCounts() {
        EvaluationFiles.Correlations correlations = EvaluationFiles.readCorrelations(result);
        List<XYChart.Series<Number, Number>> series = EvaluationCharts.histogramSeries(
                EvaluationCharts.histogram(correlations, "COAR"), correlations.alphas());
        assertEquals(List.of("α = 0.05", "α = 0.1"), series.stream().map(XYChart.Series::getName).toList());
        List<XYChart.Data<Number, Number>> outline = series.get(0).getData();
        assertEquals(2 * EvaluationCharts.BINS + 2, outline.size());
        assertPoint(outline.get(0), 0.6, 0);
        assertPoint(outline.get(1 + 2 * 16), 0.92, 1); // bin 16 holds 0.925: [0.92, 0.94)
        assertPoint(outline.get(2 + 2 * 16), 0.94, 1);
        assertPoint(outline.get(1 + 2 * 17), 0.94, 0);
        assertPoint(outline.getLast(), 1.0, 0);
        outline.forEach(point -> assertEquals(Math.rint(point.getYValue().doubleValue()), point.getYValue().doubleValue()));
    }

    @Test
    void scatterOfTheChosenExampleIsItsRunsPerAlphaForEveryMethodWithOutputUnits() {
        EvaluationFiles.ExampleRuns two = EvaluationFiles.readExample(result, 2);
        assertEquals(List.of("COAR", "leave-one-out"), EvaluationCharts.scatterMethods(two), "the weight norm has no output units");
        List<XYChart.Series<Number, Number>> coar = EvaluationCharts.scatter(two, "COAR");
        assertEquals(2, coar.size());
        // actual 1, 2, 3, 4 against predicted 1.5, 2.5, 2.5, 4.5: r = 4.5 / sqrt(5 * 4.75) = 0.923
        assertEquals("α = 0.05 (r = 0.923)", coar.get(0).getName());
        assertPoints(coar.get(0), new double[][] {{1, 1.5}, {2, 2.5}, {3, 2.5}, {4, 4.5}});
        // at 0.1 example 2 is 20 + (0.5, 1.5, 1, 2) + 1, COAR off by +0.5, -0.5, +0.5, -0.5
        assertPoints(coar.get(1), new double[][] {{21.5, 22}, {22.5, 22}, {22, 22.5}, {23, 22.5}});
        // leave-one-out predicts half the actual output: r = 1
        assertEquals("α = 0.05 (r = 1.000)", EvaluationCharts.scatter(two, "leave-one-out").get(0).getName());

        EvaluationFiles.ExampleRuns zero = EvaluationFiles.readExample(result, 0);
        List<XYChart.Series<Number, Number>> other = EvaluationCharts.scatter(zero, "COAR");
        // actual 0.5, 1.5, 1, 2 against 0.75, 1.25, 1.25, 1.75: r = 0.75 / sqrt(1.25 * 0.5) = 0.949
        assertEquals("α = 0.05 (r = 0.949)", other.get(0).getName());
        assertPoints(other.get(0), new double[][] {{0.5, 0.75}, {1.5, 1.25}, {1, 1.25}, {2, 1.75}});
    }

    @Test
    void countAxisHasWholeTicksOnly() {
        NumberAxis one = new NumberAxis();
        EvaluationCharts.countAxis(one, 1);
        assertEquals(List.of(0.0, 1.0, 1.0), List.of(one.getLowerBound(), one.getUpperBound(), one.getTickUnit()));
        NumberAxis thirteen = new NumberAxis();
        EvaluationCharts.countAxis(thirteen, 13);
        assertEquals(List.of(0.0, 14.0, 2.0), List.of(thirteen.getLowerBound(), thirteen.getUpperBound(), thirteen.getTickUnit()));
        NumberAxis many = new NumberAxis();
        EvaluationCharts.countAxis(many, 4_321);
        assertEquals(List.of(5_000.0, 1_000.0), List.of(many.getUpperBound(), many.getTickUnit()));
        assertEquals("0", many.getTickLabelFormatter().toString(-0.0));
    }

    private static void assertPoints(XYChart.Series<Number, Number> series, double[][] expected) {
        assertEquals(expected.length, series.getData().size(), series.getName());
        for (int i = 0; i < expected.length; i++) {
            assertPoint(series.getData().get(i), expected[i][0], expected[i][1]);
        }
    }

    private static void assertPoint(XYChart.Data<Number, Number> point, double x, double y) {
        assertEquals(x, point.getXValue().doubleValue(), 1e-6);
        assertEquals(y, point.getYValue().doubleValue(), 1e-6);
    }
}
