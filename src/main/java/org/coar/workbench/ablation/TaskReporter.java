package org.coar.workbench.ablation;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.coar.workbench.job.ProgressThrottle;
import org.coar.workbench.model.WorkerStatus;

/** Keeps this process's task record beside the store current, at most every two seconds, and its end at once. */
final class TaskReporter implements Consumer<BuildProgress> {
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private final Path storeDir;
    private final RowPlan plan;
    private final String host = RowClaims.hostName();
    private final String started = Instant.now().toString();
    private final ProgressThrottle<BuildProgress> throttle = new ProgressThrottle<>(INTERVAL, this::write);

    TaskReporter(Path storeDir, RowPlan plan) {
        this.storeDir = storeDir;
        this.plan = plan;
    }

    @Override
    public void accept(BuildProgress progress) {
        if (finished(progress)) {
            throttle.acceptNow(progress);
        } else {
            throttle.accept(progress);
        }
    }

    private static boolean finished(BuildProgress progress) {
        return progress.workers().stream().noneMatch(w -> w.state().isActive());
    }

    private void write(BuildProgress progress) {
        WorkerStatus state = !finished(progress) ? (progress.workers().stream().allMatch(w -> w.state() == WorkerStatus.PAUSED)
                ? WorkerStatus.PAUSED : WorkerStatus.RUNNING)
                : progress.workers().stream().anyMatch(w -> w.state() == WorkerStatus.FAILED) ? WorkerStatus.FAILED
                : progress.workers().stream().anyMatch(w -> w.state() == WorkerStatus.CANCELLED) ? WorkerStatus.CANCELLED
                : WorkerStatus.FINISHED;
        long built = progress.workers().stream().mapToLong(BuildProgress.WorkerState::rowsBuilt).sum();
        String job = System.getenv("SLURM_ARRAY_JOB_ID") != null ? System.getenv("SLURM_ARRAY_JOB_ID") : System.getenv("SLURM_JOB_ID");
        new TaskRecord(host, ProcessHandle.current().pid(), job, System.getenv("SLURM_ARRAY_TASK_ID"), plan.start(), plan.end(),
                built, progress.rowsPerSecond(), state, started, Instant.now().toString()).write(storeDir);
    }
}
