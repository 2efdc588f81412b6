package org.coar.workbench.ui.ablation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.coar.workbench.ablation.BuildProgress;

/**
 * What the Build panel's charts show, as data: the ablated accuracy of the latest rows, the
 * unablated model's accuracy as their reference, and a histogram of the latest rows' outputs.
 * The history belongs to the store: it runs on across pauses and later builds of the same store
 * (its x is rows built in this window, which only grows), and is cleared when another store opens.
 * It sees the snapshots the panel samples every 100 ms, so a fast build plots every few rows.
 */
public final class BuildChartModel {
    /** Latest rows of ablated accuracy kept for the chart. */
    public static final int ACCURACY_POINTS = 200;
    /** Rows whose outputs make the histogram. */
    public static final int HISTOGRAM_ROWS = 10;
    public static final int HISTOGRAM_BINS = 24;

    /** One point of the accuracy chart: rows built in this window so far, and the latest row's ablated accuracy. */
    public record AccuracyPoint(long rowsBuilt, double accuracy) {
    }

    /**
     * Counts of outputs in {@code counts.length} equal bins from {@code low}, each {@code binWidth} wide; the last bin
     * includes its upper edge.
     */
    public record Histogram(double low, double binWidth, long[] counts) {
        public double high() {
            return low + binWidth * counts.length;
        }

        /** The finite values of {@code rows} in {@code bins} bins from their least to their greatest; null when none is finite. */
        public static Histogram of(List<float[]> rows, int bins) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (float[] row : rows) {
                for (float v : row) {
                    if (Float.isFinite(v)) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
            if (min > max) {
                return null;
            }
            // All outputs equal: one unit-wide range centred on them.
            double low = min < max ? min : min - 0.5;
            double width = ((min < max ? max : min + 0.5) - low) / bins;
            long[] counts = new long[bins];
            for (float[] row : rows) {
                for (float v : row) {
                    if (Float.isFinite(v)) {
                        counts[Math.min(bins - 1, (int) ((v - low) / width))]++;
                    }
                }
            }
            return new Histogram(low, width, counts);
        }
    }

    private final ObservableList<AccuracyPoint> accuracy = FXCollections.observableArrayList();
    private final ReadOnlyDoubleWrapper unablatedAccuracy = new ReadOnlyDoubleWrapper(Double.NaN);
    private final ReadOnlyObjectWrapper<Histogram> histogram = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper outputName = new ReadOnlyStringWrapper("output");
    private final Deque<float[]> latestOutputs = new ArrayDeque<>();
    /** Rows built in this window by earlier builds of this store: where the current build's x starts. */
    private long rowsBuiltBefore;
    private long rowsBuiltNow = -1;

    /** A build of the same store starts, making {@code output} (e.g. margin) per example: its points follow the earlier ones. */
    public void buildStarted(String output) {
        outputName.set(output);
        rowsBuiltBefore = accuracy.isEmpty() ? 0 : accuracy.getLast().rowsBuilt();
        rowsBuiltNow = -1;
    }

    /** Adds what {@code progress} has that the charts do not yet show. */
    public void show(BuildProgress progress) {
        if (!Double.isNaN(progress.unablatedAccuracy())) {
            unablatedAccuracy.set(progress.unablatedAccuracy());
        }
        long built = progress.workers().stream().mapToLong(BuildProgress.WorkerState::rowsBuilt).sum();
        if (built == rowsBuiltNow || built == 0 || Double.isNaN(progress.latestAccuracy())) {
            return;
        }
        rowsBuiltNow = built;
        accuracy.add(new AccuracyPoint(rowsBuiltBefore + built, progress.latestAccuracy()));
        if (accuracy.size() > ACCURACY_POINTS) {
            accuracy.remove(0, accuracy.size() - ACCURACY_POINTS);
        }
        if (progress.latestOutputs() != null) {
            latestOutputs.addLast(progress.latestOutputs());
            while (latestOutputs.size() > HISTOGRAM_ROWS) {
                latestOutputs.removeFirst();
            }
            histogram.set(Histogram.of(List.copyOf(latestOutputs), HISTOGRAM_BINS));
        }
    }

    /** Another store: nothing of this one's history stays. */
    public void clear() {
        accuracy.clear();
        unablatedAccuracy.set(Double.NaN);
        histogram.set(null);
        outputName.set("output");
        latestOutputs.clear();
        rowsBuiltBefore = 0;
        rowsBuiltNow = -1;
    }

    public ObservableList<AccuracyPoint> accuracy() { return accuracy; }
    /** The model's accuracy with nothing ablated; NaN until a build of this store measured it. */
    public ReadOnlyDoubleProperty unablatedAccuracyProperty() { return unablatedAccuracy.getReadOnlyProperty(); }
    /** The latest rows' outputs; null before the first row. */
    public ReadOnlyObjectProperty<Histogram> histogramProperty() { return histogram.getReadOnlyProperty(); }
    /** What each row's outputs are (the run's output function, e.g. margin). */
    public ReadOnlyStringProperty outputNameProperty() { return outputName.getReadOnlyProperty(); }
}
