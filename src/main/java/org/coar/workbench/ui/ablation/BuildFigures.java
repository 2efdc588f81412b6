package org.coar.workbench.ui.ablation;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.coar.workbench.Sizes;
import org.coar.workbench.ablation.BuildProgress;
import org.coar.workbench.job.Progress;

/**
 * The Build panel's live figures: the bar, rows, rows/s, ETA, the workers and the charts. Snapshots
 * arrive from the build's worker threads into one field ({@link #offer}); the view model copies the
 * latest to the properties on its 100 ms timer ({@link #showLatest}), so the FX thread never sees
 * one event per row. Idle, the bar and the rows show the store's own completion.
 */
public final class BuildFigures {
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper rowsText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper rateText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper etaText = new ReadOnlyStringWrapper("");
    private final ObservableList<BuildProgress.WorkerState> workers = FXCollections.observableArrayList();
    private final BuildChartModel chart = new BuildChartModel();
    private final AtomicReference<BuildProgress> latest = new AtomicReference<>();
    private BuildProgress shown;

    /** Takes a snapshot from any thread; the latest one wins. */
    public void offer(BuildProgress snapshot) {
        latest.set(snapshot);
    }

    /** The last snapshot of the build, null before its first. */
    public BuildProgress latest() {
        return latest.get();
    }

    /** A build making {@code output} per example starts: no snapshot yet, and the charts carry on from the store's earlier builds. */
    public void buildStarted(String output) {
        latest.set(null);
        shown = null;
        chart.buildStarted(output);
    }

    /** Shows the latest snapshot if it is not shown yet; {@code paused} marks the ETA as held. */
    public void showLatest(boolean paused) {
        BuildProgress p = latest.get();
        if (p == null || p == shown) {
            return;
        }
        shown = p;
        Progress rows = p.progress();
        progress.set(rows.fraction());
        rowsText.set(rowsOf(rows.done(), rows.total()));
        rateText.set(String.format(Locale.ROOT, "%.2f rows/s", p.rowsPerSecond()));
        etaText.set(etaText(p.eta(), paused));
        workers.setAll(p.workers());
        chart.show(p);
    }

    /** The build paused or resumed: its ETA, over running time only, holds while paused and says why. */
    public void pausedChanged(boolean paused) {
        if (shown != null) {
            etaText.set(etaText(shown.eta(), paused));
        }
    }

    /** No build shown: the bar and the rows show the store's completion. */
    public void showStore(long completed, long rows) {
        progress.set((double) completed / rows);
        rowsText.set(rowsOf(completed, rows));
    }

    /** Another store: no figure, worker or chart of the previous one stays; the next snapshot shows again. */
    public void clear() {
        shown = null;
        workers.clear();
        chart.clear();
        progress.set(0);
        rowsText.set("");
        rateText.set("");
        etaText.set("");
    }

    static String etaText(Duration eta, boolean paused) {
        return "ETA " + format(eta) + (paused ? " (paused)" : "");
    }

    static String format(Duration d) {
        return d == null ? "—" : Sizes.duration(d);
    }

    private static String rowsOf(long done, long total) {
        return String.format(Locale.ROOT, "%,d / %,d rows", done, total);
    }

    public ReadOnlyDoubleProperty progressProperty() { return progress.getReadOnlyProperty(); }
    public ReadOnlyStringProperty rowsTextProperty() { return rowsText.getReadOnlyProperty(); }
    public ReadOnlyStringProperty rateTextProperty() { return rateText.getReadOnlyProperty(); }
    public ReadOnlyStringProperty etaTextProperty() { return etaText.getReadOnlyProperty(); }
    public ObservableList<BuildProgress.WorkerState> workers() { return workers; }
    /** The accuracy chart and the outputs' histogram. */
    public BuildChartModel chart() { return chart; }
}
