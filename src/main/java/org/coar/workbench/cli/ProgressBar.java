package org.coar.workbench.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import org.coar.workbench.ablation.BuildProgress;
import org.coar.workbench.model.WorkerStatus;

/**
 * Build progress on the terminal: one redrawn line on an interactive terminal, otherwise (logs,
 * CI, SLURM output files) a plain line every few seconds.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;
    private static final long REDRAW_INTERVAL_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean interactive;
    private long lastPrint;
    private boolean drawn;
    private BuildProgress latest;
    private BuildProgress printed;

    ProgressBar(PrintWriter err, boolean interactive) {
        this.err = err;
        this.interactive = interactive;
    }

    synchronized void update(BuildProgress progress) {
        latest = progress;
        long now = System.nanoTime();
        boolean newNonFinite = printed != null && progress.rowsWithNonFiniteOutputs() > printed.rowsWithNonFiniteOutputs();
        if (drawn && !newNonFinite && now - lastPrint < (interactive ? REDRAW_INTERVAL_NANOS : PLAIN_INTERVAL_NANOS)) {
            return;
        }
        print(progress, now);
    }

    /** The most recent snapshot, or null before the first. */
    synchronized BuildProgress latest() {
        return latest;
    }

    /** Prints the final state once, whatever the throttling skipped. */
    synchronized void finish() {
        if (latest != null && latest != printed) {
            print(latest, System.nanoTime());
        }
        if (interactive && drawn) {
            err.println();
            err.flush();
        }
    }

    private void print(BuildProgress progress, long now) {
        lastPrint = now;
        drawn = true;
        printed = progress;
        String line = render(progress);
        if (interactive) {
            err.print("\r" + line + "\u001b[K");
        } else {
            err.println(line);
        }
        err.flush();
    }

    static String render(BuildProgress p) {
        int filled = (int) Math.round(p.fraction() * WIDTH);
        StringBuilder line = new StringBuilder("[").append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ");
        line.append(String.format(Locale.ROOT, "%d/%d rows %5.1f%%  %.2f rows/s  ETA %s", p.rowsDone(), p.rowsTotal(),
                100 * p.fraction(), p.rowsPerSecond(), formatDuration(p.eta())));
        if (!Double.isNaN(p.latestAccuracy())) {
            line.append(String.format(Locale.ROOT, "  last row: acc %.3f, mean output %.3f", p.latestAccuracy(), p.latestMeanOutput()));
        }
        if (p.nonFiniteWarning() != null) {
            line.append("  WARNING: ").append(p.rowsWithNonFiniteOutputs()).append(" row(s) with NaN/Inf outputs (first: row ")
                    .append(p.firstNonFiniteRow()).append(')');
        }
        boolean anyGpu = p.workers().stream().anyMatch(w -> w.memoryUsedBytes() >= 0);
        if (p.workers().size() > 1 || anyGpu || p.workers().stream().anyMatch(w -> w.state() != WorkerStatus.RUNNING)) {
            line.append("  [");
            p.workers().forEach(w -> {
                line.append(w.device()).append(' ').append(w.state().label()).append(' ').append(w.rowsBuilt());
                if (w.memoryUsedBytes() >= 0) {
                    // a GPU worker: its own batch size and the device's memory in use
                    line.append(String.format(Locale.ROOT, " (batch %d, %.1f GiB)", w.batchSize(), w.memoryUsedBytes() / 1073741824.0));
                }
                line.append("; ");
            });
            line.setLength(line.length() - 2);
            line.append(']');
        }
        return line.toString();
    }

    static String formatDuration(Duration d) {
        if (d == null) {
            return "--";
        }
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
