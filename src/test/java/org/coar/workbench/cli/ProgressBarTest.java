package org.coar.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.coar.workbench.ablation.BuildProgress;
import org.coar.workbench.job.Progress;
import org.junit.jupiter.api.Test;
import org.coar.workbench.model.WorkerStatus;

class ProgressBarTest {
    @Test
    void gpuWorkersShowTheirBatchAndTheDevicesMemory() {
        BuildProgress p = new BuildProgress(new Progress(BuildProgress.STAGE, 10, 100, "rows"), 2.5, Duration.ofSeconds(36), List.of(
                new BuildProgress.WorkerState("cuda:0", WorkerStatus.RUNNING, 6, 1.5, 3L << 30, 512),
                new BuildProgress.WorkerState("cuda:1", WorkerStatus.RUNNING, 4, 1.0, 5L << 29, 256)), 3.2, 0.9, null, Double.NaN, 0, -1);
        String line = ProgressBar.render(p);
        assertTrue(line.contains("[cuda:0 running 6 (batch 512, 3.0 GiB); cuda:1 running 4 (batch 256, 2.5 GiB)]"), line);
    }

    @Test
    void theLineShowsTheRowsOfThePlanAndAFullBarForAnEmptyPlan() {
        BuildProgress quarter = new BuildProgress(new Progress(BuildProgress.STAGE, 25, 100, "rows"), 2.5, Duration.ofSeconds(30),
                List.of(new BuildProgress.WorkerState("cpu", WorkerStatus.RUNNING, 25)), 1, 1, null, Double.NaN, 0, -1);
        assertTrue(ProgressBar.render(quarter).startsWith("[########----------------------] 25/100 rows  25.0%"),
                ProgressBar.render(quarter));
        BuildProgress empty = new BuildProgress(new Progress(BuildProgress.STAGE, 0, 0, "rows"), 0, null,
                List.of(new BuildProgress.WorkerState("cpu", WorkerStatus.FINISHED, 0)), Double.NaN, Double.NaN, null, Double.NaN, 0, -1);
        assertTrue(ProgressBar.render(empty).startsWith("[" + "#".repeat(30) + "] 0/0 rows 100.0%"), ProgressBar.render(empty));
    }

    @Test
    void plainOutputIsThrottledButTheFinalStateIsAlwaysPrinted() {
        StringWriter text = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(text), false);
        for (int done = 1; done <= 5; done++) {
            bar.update(new BuildProgress(new Progress(BuildProgress.STAGE, done, 5, "rows"), 1, null,
                    List.of(new BuildProgress.WorkerState("cpu", WorkerStatus.RUNNING, done)), 1, 1, null, Double.NaN, 0, -1));
        }
        bar.finish();
        List<String> lines = text.toString().lines().toList();
        assertEquals(2, lines.size(), text.toString());
        assertTrue(lines.get(0).contains(" 1/5 rows"), lines.get(0));
        assertTrue(lines.get(1).contains(" 5/5 rows"), "rows 2 to 4 fell within the interval; the last is printed at the end");
    }

    @Test
    void stagesEachGetTheirLastLineAndAnUnknownTotalAnEmptyBar() {
        StringWriter text = new StringWriter();
        StageProgressBar bar = new StageProgressBar(new PrintWriter(text), false);
        bar.update(new Progress("leave-one-out", 0, 4, "models"));
        bar.update(new Progress("leave-one-out", 1, 4, "models"));
        bar.update(new Progress("leave-one-out", 2, 4, "models"));
        bar.update(Progress.indeterminate("loading", ""));
        bar.finish();
        List<String> lines = text.toString().lines().toList();
        assertEquals(3, lines.size(), text.toString());
        assertTrue(lines.get(0).contains("0/4 models"), lines.get(0));
        assertTrue(lines.get(1).contains("2/4 models"), "the stage's last event is printed before the next stage: " + lines.get(1));
        assertTrue(lines.get(2).startsWith("[" + "-".repeat(30) + "] loading"), lines.get(2));
    }

    @Test
    void aSingleRunningCpuWorkerAddsNothing() {
        BuildProgress p = new BuildProgress(new Progress(BuildProgress.STAGE, 1, 10, "rows"), 1, null, List.of(new BuildProgress.WorkerState("cpu", WorkerStatus.RUNNING, 1)), 1, 1, null, Double.NaN, 0, -1);
        assertFalse(ProgressBar.render(p).contains("[cpu"), ProgressBar.render(p));
    }
}
