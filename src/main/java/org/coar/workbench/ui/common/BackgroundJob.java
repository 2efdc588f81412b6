package org.coar.workbench.ui.common;

import java.util.Objects;
import java.util.function.Consumer;
import org.coar.workbench.job.JobCancelledException;
import org.coar.workbench.job.Progress;

/**
 * One piece of background work and what to do when it ends, for a {@link TaskExecutor}: the work
 * runs off the FX thread; {@code onSuccess}, {@code onCancelled}, {@code onError} and
 * {@code andFinally} run on the FX thread (on the calling thread with {@link CurrentThreadTaskExecutor}).
 * A job that throws {@link JobCancelledException} was cancelled, never failed: no dialog.
 *
 * @param <T> what the work returns
 */
public final class BackgroundJob<T> {
    /** The work; {@code progress} may be called from any thread, as often as the work likes. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Consumer<Progress> progress) throws Exception;
    }

    private final String title;
    private final Work<T> work;
    private Consumer<T> onSuccess = value -> { };
    private Runnable onCancelled = () -> { };
    private Consumer<Throwable> onError = error -> { };
    private Runnable andFinally = () -> { };
    private Runnable cancelAction;
    private boolean listed = true;

    private BackgroundJob(String title, Work<T> work) {
        this.title = Objects.requireNonNull(title);
        this.work = Objects.requireNonNull(work);
    }

    public static <T> BackgroundJob<T> titled(String title, Work<T> work) {
        return new BackgroundJob<>(title, work);
    }

    public BackgroundJob<T> onSuccess(Consumer<T> action) {
        onSuccess = Objects.requireNonNull(action);
        return this;
    }

    public BackgroundJob<T> onCancelled(Runnable action) {
        onCancelled = Objects.requireNonNull(action);
        return this;
    }

    /** Runs after the executor has reported the failure (dialog, and the log for unexpected ones). */
    public BackgroundJob<T> onError(Consumer<Throwable> action) {
        onError = Objects.requireNonNull(action);
        return this;
    }

    /** Runs last, whichever way the job ended. */
    public BackgroundJob<T> andFinally(Runnable action) {
        andFinally = Objects.requireNonNull(action);
        return this;
    }

    /**
     * How the task view's Cancel button asks this job to stop (the job then ends by throwing
     * {@link JobCancelledException}); a job without one cannot be cancelled from there.
     */
    public BackgroundJob<T> cancelWith(Runnable action) {
        cancelAction = Objects.requireNonNull(action);
        return this;
    }

    /** Keeps the job out of the task view and the status line: periodic refreshes the user did not ask for. */
    public BackgroundJob<T> unlisted() {
        listed = false;
        return this;
    }

    public String title() {
        return title;
    }

    public boolean listed() {
        return listed;
    }

    Work<T> work() {
        return work;
    }

    /** Asks the work to stop; false when it cannot be asked. */
    boolean requestCancel() {
        if (cancelAction == null) {
            return false;
        }
        cancelAction.run();
        return true;
    }

    /** The work returned {@code value}: runs the success callbacks; one that throws counts as the job's failure. */
    void succeeded(T value, JobReporter reporter) {
        try {
            onSuccess.accept(value);
        } catch (RuntimeException e) {
            ended(e, reporter);
            return;
        }
        try {
            if (listed) {
                reporter.succeeded(title);
            }
        } finally {
            andFinally.run();
        }
    }

    /** The work (or a success callback) threw {@code error}. */
    void failed(Throwable error, JobReporter reporter) {
        ended(error, reporter);
    }

    private void ended(Throwable error, JobReporter reporter) {
        try {
            if (error instanceof JobCancelledException) {
                reporter.cancelled(title, listed);
                onCancelled.run();
            } else {
                reporter.failed(title, error, listed);
                onError.accept(error);
            }
        } finally {
            andFinally.run();
        }
    }
}
