package org.coar.workbench.ui.ablation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.coar.workbench.ablation.BuildProgress;
import org.coar.workbench.job.Progress;
import org.coar.workbench.model.WorkerStatus;
import org.coar.workbench.ui.common.FxThread;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The charts' data: a history that runs on across builds of one store, and the outputs' histogram, against hand counts. */
class BuildChartModelTest {
    @BeforeAll
    static void toolkit() {
        FxThread.start();
    }

    private static BuildProgress snapshot(long rowsBuilt, double accuracy, float[] outputs, double unablated) {
        return new BuildProgress(new Progress(BuildProgress.STAGE, 100 + rowsBuilt, 1000, "rows"), 1, null,
                List.of(new BuildProgress.WorkerState("cpu", WorkerStatus.RUNNING, rowsBuilt)), 0, accuracy, outputs, unablated, 0, -1);
    }

    @Test
    void theHistoryRunsOnAcrossALaterBuildOfTheSameStore() {
        FxThread.run(() -> {
            BuildChartModel chart = new BuildChartModel();
            chart.buildStarted("margin");
            chart.show(snapshot(0, Double.NaN, null, Double.NaN));
            chart.show(snapshot(1, 0.9, new float[] {1}, 0.95));
            chart.show(snapshot(1, 0.9, new float[] {1}, 0.95)); // the same row again: no new point
            chart.show(snapshot(3, 0.88, new float[] {2}, 0.95));
            // A second build (after a cancel, say) counts its rows from 1 again; its points follow at 3 + 1, 3 + 2.
            chart.buildStarted("margin");
            chart.show(snapshot(1, 0.91, new float[] {3}, Double.NaN));
            chart.show(snapshot(2, 0.87, new float[] {4}, Double.NaN));
            assertEquals(List.of(new BuildChartModel.AccuracyPoint(1, 0.9), new BuildChartModel.AccuracyPoint(3, 0.88),
                    new BuildChartModel.AccuracyPoint(4, 0.91), new BuildChartModel.AccuracyPoint(5, 0.87)), chart.accuracy());
            assertEquals(0.95, chart.unablatedAccuracyProperty().get(), "kept until a build measures it again");
            assertEquals("margin", chart.outputNameProperty().get());
            chart.clear();
            assertEquals(List.of(), chart.accuracy());
            assertNull(chart.histogramProperty().get());
        });
    }

    @Test
    void theHistogramPoolsTheLatestRowsOutputs() {
        FxThread.run(() -> {
            BuildChartModel chart = new BuildChartModel();
            chart.buildStarted("margin");
            for (int row = 1; row <= BuildChartModel.HISTOGRAM_ROWS + 2; row++) {
                // Rows 1 and 2 (outputs -100) fall out of the window of the latest rows; each later row holds 0 and 24.
                chart.show(snapshot(row, 0.5, row <= 2 ? new float[] {-100} : new float[] {0, 24}, Double.NaN));
            }
            BuildChartModel.Histogram histogram = chart.histogramProperty().get();
            assertEquals(0, histogram.low());
            assertEquals(1, histogram.binWidth(), "24 bins over 0 … 24");
            long[] expected = new long[24];
            expected[0] = BuildChartModel.HISTOGRAM_ROWS;
            expected[23] = BuildChartModel.HISTOGRAM_ROWS; // the top value is in the last bin
            assertArrayEquals(expected, histogram.counts());
        });
    }

    @Test
    void histogramBinsCountHandWorkedValues() {
        BuildChartModel.Histogram h = BuildChartModel.Histogram.of(List.of(new float[] {0, 1, 2, 3, 4}, new float[] {4, 4, Float.NaN}), 4);
        assertEquals(0, h.low());
        assertEquals(1, h.binWidth());
        assertArrayEquals(new long[] {1, 1, 1, 4}, h.counts(), "[0,1) [1,2) [2,3) [3,4]; NaN left out");
        BuildChartModel.Histogram flat = BuildChartModel.Histogram.of(List.of(new float[] {2, 2}), 2);
        assertEquals(1.5, flat.low());
        assertEquals(0.5, flat.binWidth());
        assertArrayEquals(new long[] {0, 2}, flat.counts());
        assertNull(BuildChartModel.Histogram.of(List.of(new float[] {Float.NaN}), 3));
    }
}
