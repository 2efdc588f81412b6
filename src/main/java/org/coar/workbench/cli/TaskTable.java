package org.coar.workbench.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.coar.workbench.ablation.TaskRecord;

/** The processes filling a store, as `coar info` and `coar watch` print them. */
final class TaskTable {
    private TaskTable() {
    }

    static void print(PrintWriter out, List<TaskRecord> tasks, Duration stallAfter) {
        if (tasks.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        out.printf("Build processes (from tasks/):%n");
        out.printf("  %-28s %-16s %8s %9s  %-10s %s%n", "task", "rows", "built", "rows/s", "state", "last update");
        for (TaskRecord t : tasks) {
            long ago = Duration.between(Instant.parse(t.updated()), now).toSeconds();
            String state = t.displayState(now, stallAfter);
            out.printf(Locale.ROOT, "  %-28s %-16s %8d %9.2f  %-10s %ds ago%n", t.label(), t.start() + "-" + (t.end() - 1),
                    t.rowsBuilt(), t.rowsPerSecond(), state, ago);
        }
        long dead = tasks.stream().filter(TaskRecord::isDead).count();
        if (dead > 0) {
            out.printf("  %d task(s) of this host whose process is gone (killed). Their rows stay pending; build again and they resume.%n",
                    dead);
        }
        long stalled = tasks.stream().filter(t -> !t.isDead() && t.isStalled(now, stallAfter)).count();
        if (stalled > 0) {
            out.printf("  %d task(s) silent for over %ds: killed or hung. Their rows stay pending; resubmit them and they resume.%n",
                    stalled, stallAfter.toSeconds());
        }
    }
}
