package org.coar.workbench.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import org.coar.workbench.Sizes;
import org.coar.workbench.ablation.BuildProgress;
import org.coar.workbench.job.Progress;
import org.coar.workbench.job.ProgressThrottle;
import org.coar.workbench.model.WorkerStatus;

/**
 * Build progress on the terminal: one redrawn line on an interactive terminal, otherwise (logs,
 * CI, SLURM output files) a plain line every few seconds.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);
    private static final Duration REDRAW_INTERVAL = Duration.ofMillis(100);

    private final PrintWriter err;
    private final boolean interactive;
    private final ProgressThrottle<BuildProgress> throttle;
    private BuildProgress printed;

    ProgressBar(PrintWriter err, boolean interactive) {
        this.err = err;
        this.interactive = interactive;
        this.throttle = new ProgressThrottle<>(interactive ? REDRAW_INTERVAL : PLAIN_INTERVAL, this::print);
    }

    synchronized void update(BuildProgress progress) {
        if (printed != null && progress.rowsWithNonFiniteOutputs() > printed.rowsWithNonFiniteOutputs()) {
            throttle.acceptNow(progress); // a new NaN/Inf row is shown at once
        } else {
            throttle.accept(progress);
        }
    }

    /** The most recent snapshot, or null before the first. */
    synchronized BuildProgress latest() {
        return throttle.latest();
    }

    /** Prints the final state once, whatever the throttling skipped. */
    synchronized void finish() {
        throttle.flush();
        if (interactive && printed != null) {
            err.println();
            err.flush();
        }
    }

    private void print(BuildProgress progress) {
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
        Progress rows = p.progress();
        String bar = StageProgressBar.bar(rows, WIDTH);
        StringBuilder line = new StringBuilder(bar);
        line.append(String.format(Locale.ROOT, "%d/%d rows %5.1f%%  %.2f rows/s  ETA %s", rows.done(), rows.total(),
                100 * rows.fraction(), p.rowsPerSecond(), formatDuration(p.eta())));
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
        return d == null ? "--" : Sizes.duration(d);
    }
}
