package org.coar.workbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.coar.workbench.ablation.BuildProgress;
import org.coar.workbench.ablation.BuildRequest;
import org.coar.workbench.ablation.BuildResult;
import org.coar.workbench.ablation.BuildService;
import org.coar.workbench.job.JobCancelledException;
import org.coar.workbench.store.RunConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Fill a store with ablated models: for each row, a random keep-mask and the ablated model's output on every evaluation example.",
            "Settings are recorded in the store's run.json; 'coar build --store DIR' alone resumes. Ctrl-C stops safely: the row in flight stays pending."})
final class BuildCommand implements Callable<Integer> {
    @Spec
    private CommandSpec commandSpec;

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "Store made by 'coar init'.")
    private Path store;

    @Mixin
    private RunOptions runOptions;

    @Mixin
    private DeviceOptions deviceOptions;

    @ArgGroup(exclusive = false)
    private RangeOptions range = new RangeOptions();

    @Option(names = "--partition", paramLabel = "i/N", description = "Fill the i-th of N equal parts of the store (e.g. $SLURM_ARRAY_TASK_ID/N).")
    private String partition;

    @Option(names = "--rerun", description = "Rebuild rows that are already completed.")
    private boolean rerun;

    @Option(names = "--claim-timeout", paramLabel = "MINUTES", defaultValue = "60",
            description = "Take over another host's row claim after this many minutes (default ${DEFAULT-VALUE}).")
    private long claimTimeoutMinutes;

    static final class RangeOptions {
        @Option(names = "--start", paramLabel = "I", description = "First row to fill (inclusive).")
        Long start;

        @Option(names = "--end", paramLabel = "J", description = "Row to stop before (exclusive).")
        Long end;
    }

    @Override
    public Integer call() {
        BuildService service = new BuildService();
        RunConfig requested = runOptions.toRequest();
        RunConfig run = service.resolveRun(store, requested);
        BuildRequest request = new BuildRequest(store, run, deviceOptions.devices, deviceOptions.cpuWorkers, range.start, range.end, partition,
                deviceOptions.batchSize, rerun,
                Duration.ofMinutes(claimTimeoutMinutes));
        BuildResult result = runWithProgress(service, request, commandSpec.commandLine().getErr());
        PrintWriter out = commandSpec.commandLine().getOut();
        out.printf("Built %d rows in %s; %d / %d rows of this range completed (store %s)%n", result.rowsBuilt(),
                ProgressBar.formatDuration(result.elapsed()), result.rowsCompletedInPlan(), result.rowsInPlan(), store);
        return 0;
    }

    /**
     * Runs a build with a progress bar; Ctrl-C cancels it and waits for the workers to stop cleanly. A cancelled
     * build ends with a {@link JobCancelledException} that says how many rows of the plan are completed.
     */
    static BuildResult runWithProgress(BuildService service, BuildRequest request, PrintWriter err) {
        String whatStays = "the rows in flight stay pending and nothing completed is lost";
        ProgressBar bar = new ProgressBar(err, System.console() != null);
        try {
            return Interruptible.run(err, whatStays, cancel -> service.build(request, bar::update, cancel));
        } catch (JobCancelledException e) {
            BuildProgress last = bar.latest();
            throw last == null ? e : new JobCancelledException(String.format(Locale.ROOT, "%d / %d rows of this range completed; %s",
                    last.progress().done(), last.progress().total(), whatStays));
        } finally {
            bar.finish();
            if (bar.latest() != null && bar.latest().nonFiniteWarning() != null) {
                err.println("warning: " + bar.latest().nonFiniteWarning());
            }
        }
    }
}
