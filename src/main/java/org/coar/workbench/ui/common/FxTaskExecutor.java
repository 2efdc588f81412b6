package org.coar.workbench.ui.common;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import org.coar.workbench.job.JobCancelledException;

/**
 * Runs jobs on named daemon threads ({@code coar-task-N}) as JavaFX tasks, listed while they run
 * for the status bar's TaskProgressView, whose Cancel button asks the job to stop (see
 * {@link BackgroundJob#cancelWith}) rather than abandoning a thread that still writes.
 */
public final class FxTaskExecutor implements TaskExecutor {
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "coar-task-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final ObservableList<Task<?>> running = FXCollections.observableArrayList();
    private final JobReporter reporter;

    public FxTaskExecutor(JobReporter reporter) {
        this.reporter = reporter;
    }

    @Override
    public <T> void submit(BackgroundJob<T> job) {
        if (!Platform.isFxApplicationThread()) {
            Platform.runLater(() -> submit(job));
            return;
        }
        if (pool.isShutdown()) {
            return; // the window is closing: a timer's last refresh has nowhere to show
        }
        JobTask<T> task = new JobTask<>(job);
        task.setOnSucceeded(e -> {
            running.remove(task);
            job.succeeded(task.getValue(), reporter);
        });
        task.setOnFailed(e -> {
            running.remove(task);
            job.failed(task.getException(), reporter);
        });
        // Only shutdown() gets here (cancel is overridden): the work was abandoned, as a cancel.
        task.setOnCancelled(e -> {
            running.remove(task);
            job.failed(new JobCancelledException(), reporter);
        });
        if (job.listed()) {
            running.add(task);
        }
        pool.execute(task);
    }

    @Override
    public ObservableList<Task<?>> running() {
        return running;
    }

    @Override
    public ReadOnlyStringProperty statusProperty() {
        return reporter.statusProperty();
    }

    @Override
    public void shutdown() {
        pool.shutdownNow();
    }

    private static final class JobTask<T> extends Task<T> {
        private final BackgroundJob<T> job;

        JobTask(BackgroundJob<T> job) {
            this.job = job;
            updateTitle(job.title());
            updateMessage(job.title() + "...");
        }

        @Override
        protected T call() throws Exception {
            return job.work().run(progress -> {
                double fraction = progress.fraction();
                updateProgress(fraction < 0 ? -1 : fraction, 1);
                updateMessage(progress.describe());
            });
        }

        /** The job stops itself and ends as cancelled; the task stays running until it has. */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return job.requestCancel();
        }
    }
}
