package org.coar.workbench.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.ablation.TaskRecord;
import org.junit.jupiter.api.Test;
import org.coar.workbench.model.WorkerStatus;

class SlurmScriptTest {
    @Test
    void gpuArrayScriptPartitionsTheStoreByTaskId() {
        String script = new SlurmScript(Path.of("/shared/store"), 50, 2, 0, "gpu", "04:00:00", List.of("#SBATCH --account=lab"),
                "/opt/coar/coar").render();
        List<String> lines = script.lines().toList();
        assertEquals("#!/bin/bash", lines.getFirst());
        assertTrue(lines.contains("#SBATCH --array=0-49"), script);
        assertTrue(lines.contains("#SBATCH --gres=gpu:2"), script);
        assertTrue(lines.contains("#SBATCH --partition=gpu"), script);
        assertTrue(lines.contains("#SBATCH --time=04:00:00"), script);
        assertTrue(lines.contains("#SBATCH --requeue"), script);
        assertTrue(lines.contains("#SBATCH --account=lab"), script);
        assertTrue(lines.contains("#SBATCH --output=/shared/store/logs/task-%a.out"), script);
        assertEquals("/opt/coar/coar build --store /shared/store --partition \"$SLURM_ARRAY_TASK_ID/50\" --devices cuda:0,cuda:1",
                lines.getLast());
    }

    @Test
    void cpuTasksRunOneReplicaPerCore() {
        String script = new SlurmScript(Path.of("/s"), 4, 0, 8, null, null, List.of(), "coar").render();
        assertTrue(script.contains("#SBATCH --cpus-per-task=8"), script);
        assertFalse(script.contains("--gres"), script);
        assertTrue(script.strip().endsWith("--devices cpu --cpu-workers 8"), script);
    }

    @Test
    void extraLinesMustBeSbatchDirectives() {
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> new SlurmScript(Path.of("/s"), 4, 0, 0, null, null, List.of("rm -rf /"), "coar"));
        assertTrue(e.getMessage().startsWith("--extra: each line must start with #SBATCH"), e.getMessage());
    }

    @Test
    void aRunningTaskSilentTooLongIsStalledAFinishedOneNever() {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");
        TaskRecord quiet = new TaskRecord("n1", 1, "9", "3", 0, 10, 4, 1.0, WorkerStatus.RUNNING, "2026-11-23T09:00:00Z", "2026-11-23T09:50:00Z");
        TaskRecord recent = new TaskRecord("n1", 2, "9", "4", 10, 20, 4, 1.0, WorkerStatus.RUNNING, "2026-11-23T09:00:00Z", "2026-11-23T09:59:00Z");
        TaskRecord finished = new TaskRecord("n1", 3, "9", "5", 20, 30, 10, 1.0, WorkerStatus.FINISHED, "2026-11-23T09:00:00Z", "2026-11-23T09:10:00Z");
        assertTrue(quiet.isStalled(now, Duration.ofMinutes(5)));
        assertFalse(recent.isStalled(now, Duration.ofMinutes(5)));
        assertFalse(finished.isStalled(now, Duration.ofMinutes(5)));
        assertEquals("task 3 (job 9)", quiet.label());
    }
}
