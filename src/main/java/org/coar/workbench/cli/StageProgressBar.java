package org.coar.workbench.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.coar.workbench.StageProgress;

/**
 * Progress of a multi-stage job (evaluate, edit) on the terminal: one redrawn line on an
 * interactive terminal, otherwise a line per stage and every few seconds.
 */
final class StageProgressBar {
    private static final int WIDTH = 30;
    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;
    private static final long REDRAW_INTERVAL_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private long stageStartNanos = System.nanoTime();
    private long lastPrint;
    private String stage;
    private StageProgress latest;
    private StageProgress printed;

    StageProgressBar(PrintWriter err, boolean interactive) {
        this.err = err;
        this.interactive = interactive;
    }

    synchronized void update(StageProgress progress) {
        long now = System.nanoTime();
        boolean newStage = !progress.stage().equals(stage);
        if (newStage && latest != null && latest != printed) {
            print(latest, now); // finish the previous stage's line
        }
        if (newStage) {
            stage = progress.stage();
            stageStartNanos = now;
            if (interactive && printed != null) {
                err.println();
            }
        }
        latest = progress;
        if (!newStage && now - lastPrint < (interactive ? REDRAW_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS)
                && progress.done() < progress.total()) {
            return;
        }
        print(progress, now);
    }

    synchronized void finish() {
        if (latest != null && latest != printed) {
            print(latest, System.nanoTime());
        }
        if (interactive && printed != null) {
            err.println();
        }
        err.flush();
    }

    private void print(StageProgress p, long now) {
        lastPrint = now;
        printed = p;
        String line = render(p, (now - stageStartNanos) / 1e9, (now - startNanos) / 1e9);
        if (interactive) {
            err.print("\r" + line + "\u001b[K");
        } else {
            err.println(line);
        }
        err.flush();
    }

    static String render(StageProgress p, double stageSeconds, double totalSeconds) {
        int filled = (int) Math.round(p.fraction() * WIDTH);
        String bar = "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] ";
        String counts = p.total() > 0 ? String.format(Locale.ROOT, "%d/%d %s", p.done(), p.total(), p.unit()) : "";
        return String.format(Locale.ROOT, "%s%-34s %s  (%.0fs, total %.0fs)", bar, p.stage(), counts, stageSeconds, totalSeconds);
    }
}
