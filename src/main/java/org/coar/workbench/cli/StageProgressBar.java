package org.coar.workbench.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import org.coar.workbench.job.Progress;
import org.coar.workbench.job.ProgressThrottle;

/**
 * Progress of a multi-stage job (evaluate, edit) on the terminal: one redrawn line on an
 * interactive terminal, otherwise a line per stage and every few seconds.
 */
final class StageProgressBar {
    private static final int WIDTH = 30;
    private static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);
    private static final Duration REDRAW_INTERVAL = Duration.ofMillis(100);

    private final PrintWriter err;
    private final boolean interactive;
    private final ProgressThrottle<Progress> throttle;
    private final long startNanos = System.nanoTime();
    private long stageStartNanos = System.nanoTime();
    private String stage;

    StageProgressBar(PrintWriter err, boolean interactive) {
        this.err = err;
        this.interactive = interactive;
        this.throttle = new ProgressThrottle<>(interactive ? REDRAW_INTERVAL : PLAIN_INTERVAL, this::print);
    }

    synchronized void update(Progress progress) {
        if (!progress.stage().equals(stage)) {
            throttle.flush(); // finish the previous stage's line
            if (interactive && stage != null) {
                err.println();
            }
            stage = progress.stage();
            stageStartNanos = System.nanoTime();
            throttle.acceptNow(progress);
        } else if (progress.fraction() == 1) {
            throttle.acceptNow(progress); // a stage's end is always shown
        } else {
            throttle.accept(progress);
        }
    }

    synchronized void finish() {
        throttle.flush();
        if (interactive && stage != null) {
            err.println();
        }
        err.flush();
    }

    private void print(Progress p) {
        long now = System.nanoTime();
        String line = render(p, (now - stageStartNanos) / 1e9, (now - startNanos) / 1e9);
        if (interactive) {
            err.print("\r" + line + "\u001b[K");
        } else {
            err.println(line);
        }
        err.flush();
    }

    static String render(Progress p, double stageSeconds, double totalSeconds) {
        String counts = p.total() > 0 ? String.format(Locale.ROOT, "%d/%d %s", p.done(), p.total(), p.unit()) : "";
        return String.format(Locale.ROOT, "%s%-34s %s  (%.0fs, total %.0fs)", bar(p, WIDTH), p.stage(), counts, stageSeconds, totalSeconds);
    }

    /** "[####------] ", empty while the total is unknown. */
    static String bar(Progress p, int width) {
        int filled = (int) Math.round(Math.max(0, p.fraction()) * width);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] ";
    }
}
