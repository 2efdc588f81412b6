package org.coar.workbench.job;

/**
 * The one cancellation token of every job: the caller cancels (and, where the job supports it,
 * pauses and resumes) from any thread; the job polls {@link #throwIfCancelled()} between units
 * of work, or {@link #awaitRunning()} where it can hold, and ends by throwing
 * {@link JobCancelledException}.
 */
public final class Cancellation {
    private volatile boolean cancelled;
    private volatile boolean paused;

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Asks the job to hold before its next unit; jobs that cannot hold ignore it. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    public boolean isPaused() {
        return paused && !cancelled;
    }

    /** Ends the job the one way a cancelled job ends. */
    public void throwIfCancelled() {
        if (cancelled) {
            throw new JobCancelledException();
        }
    }

    /**
     * Blocks while paused; returns at once when running or cancelled. An interrupt cancels,
     * so a job's thread that is interrupted stops at its next check.
     */
    public void awaitRunning() {
        while (paused && !cancelled) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancelled = true;
            }
        }
    }
}
