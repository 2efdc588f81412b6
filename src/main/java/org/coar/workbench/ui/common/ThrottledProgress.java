package org.coar.workbench.ui.common;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.coar.workbench.job.Progress;

/**
 * Progress of a staged service job for a progress bar and a label: worker threads report every
 * event to {@link #listener()}, and a 100 ms timer copies only the latest one to the properties.
 * The UI's form of {@link org.coar.workbench.job.ProgressThrottle} (latest wins, at most one
 * update per interval), driven by the FX timer so that properties change on the FX thread.
 */
public final class ThrottledProgress {
    private final AtomicReference<Progress> latest = new AtomicReference<>();
    private final ReadOnlyDoubleWrapper fraction = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyStringWrapper stage = new ReadOnlyStringWrapper("");
    private boolean active;

    public ThrottledProgress() {
        Timeline timer = new Timeline(new KeyFrame(javafx.util.Duration.millis(100), e -> show()));
        timer.setCycleCount(Timeline.INDEFINITE);
        timer.play();
    }

    /** For the service; may be called from any thread. */
    public Consumer<Progress> listener() {
        return latest::set;
    }

    public void start() {
        latest.set(null);
        active = true;
        fraction.set(0);
        stage.set("Starting...");
    }

    /** Stops showing reported events and shows {@code message} instead. */
    public void finish(String message, boolean complete) {
        active = false;
        if (complete) {
            fraction.set(1);
        }
        stage.set(message);
    }

    private void show() {
        Progress p = latest.getAndSet(null);
        if (p != null && active) {
            fraction.set(p.fraction());
            stage.set(p.describe());
        }
    }

    public ReadOnlyDoubleProperty fractionProperty() { return fraction.getReadOnlyProperty(); }
    public ReadOnlyStringProperty stageProperty() { return stage.getReadOnlyProperty(); }
}
