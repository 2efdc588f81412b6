package org.coar.workbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.ablation.BuildService;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.slurm.SlurmScript;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "slurm", mixinStandardHelpOptions = true,
        description = {"Write (and optionally submit) a SLURM array script that fills the store from N tasks.",
            "Each task runs 'coar build --store DIR --partition $SLURM_ARRAY_TASK_ID/N' with the store's run.json; a requeued or",
            "resubmitted task resumes (completed rows are skipped, rows claimed by dead tasks are taken over).",
            "The first time, give --model and --data (and --alpha, --seed, ...): they are checked against the store and recorded in run.json."})
final class SlurmCommand implements Callable<Integer> {
    @Spec
    private CommandSpec commandSpec;

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "Store on a filesystem every node sees.")
    private Path store;

    @Option(names = "--tasks", required = true, paramLabel = "N", description = "Array tasks; each fills 1/N of the store.")
    private int tasks;

    @Option(names = "--gpus-per-task", paramLabel = "G", defaultValue = "1", description = "GPUs per task (0 for CPU only; default ${DEFAULT-VALUE}).")
    private int gpusPerTask;

    @Option(names = "--cpus-per-task", paramLabel = "C", defaultValue = "0",
            description = "CPU cores per task; CPU-only tasks run one model replica per core (default: the cluster's default).")
    private int cpusPerTask;

    @Option(names = "--partition", paramLabel = "P", description = "SLURM partition (default: the cluster's).")
    private String partition;

    @Option(names = "--time", paramLabel = "T", description = "SLURM time limit, e.g. 04:00:00.")
    private String time;

    @Option(names = "--extra", paramLabel = "'#SBATCH ...'", description = "Further #SBATCH lines (repeatable).")
    private List<String> extra = List.of();

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the script (default: DIR/coar-build.sbatch).")
    private Path out;

    @Option(names = "--submit", description = "Submit with sbatch and print the job id.")
    private boolean submit;

    @Mixin
    private RunOptions runOptions;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (tasks < 1) {
            throw new WorkbenchException("--tasks: need at least 1 task, got " + tasks);
        }
        PrintWriter stdout = commandSpec.commandLine().getOut();
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(store, runOptions.toRequest());
        service.record(store, run);
        Path absoluteStore = store.toAbsolutePath().normalize();
        String script = new SlurmScript(absoluteStore, tasks, gpusPerTask, cpusPerTask, partition, time, extra,
                SlurmScript.defaultCoarCommand()).render();
        Path file = out != null ? out : absoluteStore.resolve("coar-build.sbatch");
        try {
            // SLURM opens each task's --output file before the script runs, so the folder must exist now.
            Files.createDirectories(absoluteStore.resolve("logs"));
            Files.writeString(file, script);
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot write the script (" + e.getMessage() + ")", e);
        }
        stdout.printf("Wrote %s (%d tasks over %s)%n", file, tasks, absoluteStore);
        if (!submit) {
            stdout.printf("Submit it with: sbatch %s   (watch with: coar watch %s)%n", file, absoluteStore);
            return 0;
        }
        Process sbatch;
        try {
            sbatch = new ProcessBuilder("sbatch", "--parsable", file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new WorkbenchException("sbatch not found: run 'coar slurm --submit' on a SLURM login node, or submit " + file + " there", e);
        }
        String output = new String(sbatch.getInputStream().readAllBytes()).trim();
        if (!sbatch.waitFor(120, TimeUnit.SECONDS) || sbatch.exitValue() != 0) {
            throw new WorkbenchException("sbatch refused " + file + ": " + output);
        }
        stdout.printf("Submitted job %s; watch it with: coar watch %s%n", output.split(";")[0], absoluteStore);
        return 0;
    }
}
