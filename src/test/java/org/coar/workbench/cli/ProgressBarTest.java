package org.coar.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.coar.workbench.ablation.BuildProgress;
import org.junit.jupiter.api.Test;
import org.coar.workbench.model.WorkerStatus;

class ProgressBarTest {
    @Test
    void gpuWorkersShowTheirBatchAndTheDevicesMemory() {
        BuildProgress p = new BuildProgress(10, 100, 2.5, Duration.ofSeconds(36), List.of(
                new BuildProgress.WorkerState("cuda:0", WorkerStatus.RUNNING, 6, 1.5, 3L << 30, 512),
                new BuildProgress.WorkerState("cuda:1", WorkerStatus.RUNNING, 4, 1.0, 5L << 29, 256)), 3.2, 0.9, 0, -1);
        String line = ProgressBar.render(p);
        assertTrue(line.contains("[cuda:0 running 6 (batch 512, 3.0 GiB); cuda:1 running 4 (batch 256, 2.5 GiB)]"), line);
    }

    @Test
    void aSingleRunningCpuWorkerAddsNothing() {
        BuildProgress p = new BuildProgress(1, 10, 1, null, List.of(new BuildProgress.WorkerState("cpu", WorkerStatus.RUNNING, 1)), 1, 1, 0, -1);
        assertFalse(ProgressBar.render(p).contains("[cpu"), ProgressBar.render(p));
    }
}
