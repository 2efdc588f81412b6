package org.coar.workbench.slurm;

import java.nio.file.Path;
import java.util.Locale;

/**
 * An sbatch array script that fills one store from N tasks, each building its own equal part
 * with {@code coar build --partition $SLURM_ARRAY_TASK_ID/N}. Completed rows are skipped and
 * claims are taken over from dead tasks, so a requeued or resubmitted task simply resumes.
 *
 * @param store       the store on a filesystem every node sees
 * @param tasks       array size N
 * @param gpusPerTask GPUs per task (0: CPU only)
 * @param cpusPerTask CPU cores per task (each runs one single-threaded model replica when there is no GPU)
 * @param partition   SLURM partition, or null for the cluster default
 * @param timeLimit   SLURM time limit (e.g. 04:00:00), or null
 * @param extra       further lines for the header, each starting with #SBATCH
 * @param coarCommand how the nodes run the workbench (e.g. the absolute path of ./coar)
 */
public record SlurmScript(Path store, int tasks, int gpusPerTask, int cpusPerTask, String partition, String timeLimit,
                          java.util.List<String> extra, String coarCommand) {
    public SlurmScript {
        extra = extra == null ? java.util.List.of() : java.util.List.copyOf(extra);
        for (String line : extra) {
            if (!line.trim().startsWith("#SBATCH")) {
                throw new org.coar.workbench.WorkbenchException("--extra: each line must start with #SBATCH, got '" + line + "'");
            }
        }
    }

    public String render() {
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks must be at least 1");
        }
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/bash\n");
        s.append("# Fills ").append(store).append(" with ").append(tasks).append(" array tasks; resubmitting resumes.\n");
        s.append("#SBATCH --job-name=coar-build\n");
        s.append("#SBATCH --array=0-").append(tasks - 1).append('\n');
        s.append("#SBATCH --output=").append(store.resolve("logs")).append("/task-%a.out\n");
        s.append("#SBATCH --requeue\n");
        if (gpusPerTask > 0) {
            s.append("#SBATCH --gres=gpu:").append(gpusPerTask).append('\n');
        }
        if (cpusPerTask > 0) {
            s.append("#SBATCH --cpus-per-task=").append(cpusPerTask).append('\n');
        }
        if (partition != null && !partition.isBlank()) {
            s.append("#SBATCH --partition=").append(partition.trim()).append('\n');
        }
        if (timeLimit != null && !timeLimit.isBlank()) {
            s.append("#SBATCH --time=").append(timeLimit.trim()).append('\n');
        }
        extra.forEach(line -> s.append(line.trim()).append('\n'));
        s.append('\n');
        s.append("mkdir -p ").append(store.resolve("logs")).append('\n');
        String devices = gpusPerTask > 0 ? " --devices " + gpuList(gpusPerTask)
                : " --devices cpu" + (cpusPerTask > 0 ? " --cpu-workers " + cpusPerTask : "");
        s.append(String.format(Locale.ROOT, "%s build --store %s --partition \"$SLURM_ARRAY_TASK_ID/%d\"%s%n",
                coarCommand, store, tasks, devices));
        return s.toString();
    }

    private static String gpuList(int gpus) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < gpus; i++) {
            list.append(i == 0 ? "" : ",").append("cuda:").append(i);
        }
        return list.toString();
    }

    /** The launcher the running workbench was started with, so the script runs the same installation. */
    public static String defaultCoarCommand() {
        return System.getProperty("coar.launcher", "coar");
    }
}
