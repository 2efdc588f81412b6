package org.coar.workbench.ui;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import org.coar.workbench.ui.common.TaskExecutor;

/**
 * Measures start-up for the benchmark ({@code -Dcoar.startup.measure=true}): from the JVM's start
 * to the window's first frame, and to the end of the work start-up queued (reading the store,
 * opening its attributions); prints both to stderr, then quits.
 */
final class StartupTimer {
    static final String PROPERTY = "coar.startup.measure";

    private StartupTimer() {
    }

    static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** Call right after the stage is shown. */
    static void measure(TaskExecutor tasks) {
        Instant jvmStart = ProcessHandle.current().info().startInstant().orElseThrow();
        // runLater runs after the pulse that rendered the shown window's first frame
        Platform.runLater(() -> {
            long shown = Duration.between(jvmStart, Instant.now()).toMillis();
            Timeline poll = new Timeline();
            poll.getKeyFrames().add(new KeyFrame(javafx.util.Duration.millis(10), e -> {
                if (tasks.running().isEmpty()) {
                    poll.stop();
                    long settled = Duration.between(jvmStart, Instant.now()).toMillis();
                    System.err.printf(Locale.ROOT, "startup: first frame %d ms, store and attributions open %d ms after JVM start%n",
                            shown, settled);
                    Platform.exit();
                }
            }));
            poll.setCycleCount(Timeline.INDEFINITE);
            poll.play();
        });
    }
}
