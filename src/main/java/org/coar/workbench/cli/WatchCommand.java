package org.coar.workbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.coar.workbench.ablation.TaskRecord;
import org.coar.workbench.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Watch a store being filled by any number of processes (e.g. SLURM tasks): completion, rows/s, tasks, stalls.")
final class WatchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec commandSpec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Store directory.")
    private Path storeDir;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "5", description = "Seconds between updates (default ${DEFAULT-VALUE}).")
    private long interval;

    @Option(names = "--stall-after", paramLabel = "SECONDS", defaultValue = "300",
            description = "A running task silent this long is reported as stalled (default ${DEFAULT-VALUE}).")
    private long stallAfter;

    @Option(names = "--once", description = "Print one update and exit.")
    private boolean once;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = commandSpec.commandLine().getOut();
        long previousDone = -1;
        long previousNanos = 0;
        while (true) {
            long done;
            long total;
            try (Store store = Store.open(storeDir, false)) {
                done = store.completedCount();
                total = store.numModels();
            }
            long now = System.nanoTime();
            String rate = previousDone < 0 ? "" : String.format(Locale.ROOT, "  %.2f rows/s overall",
                    (done - previousDone) / ((now - previousNanos) / 1e9));
            out.printf(Locale.ROOT, "%s  %,d / %,d rows completed (%.1f%%)%s%n", java.time.LocalTime.now().withNano(0), done, total,
                    100.0 * done / total, rate);
            TaskTable.print(out, TaskRecord.readAll(storeDir), Duration.ofSeconds(stallAfter));
            out.flush();
            if (once || done == total) {
                return 0;
            }
            previousDone = done;
            previousNanos = now;
            Thread.sleep(interval * 1000);
        }
    }
}
