package org.coar.workbench.job;

import java.util.function.BooleanSupplier;

/**
 * The one cancellation token of every job: the caller cancels (and, where the job supports it,
 * pauses and resumes) from any thread; the job polls {@link #throwIfCancelled()} between units
 * of work, or {@link #awaitRunning()} where it can hold, and ends by throwing
 * {@link JobCancelledException}.
 */
public final class Cancellation {
    private volatile boolean cancelled;
    private volatile boolean paused;
    private final BooleanSupplier flag;

    public Cancellation() {
        this(() -> false);
    }

    private Cancellation(BooleanSupplier flag) {
        this.flag = flag;
    }

    /**
     * A token that also reads as cancelled once {@code flag} is true, at once: for a job whose
     * caller still cancels through a flag (an AtomicBoolean) while the job hands the token on.
     */
    public static Cancellation following(BooleanSupplier flag) {
        return new Cancellation(flag);
    }

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled || flag.getAsBoolean();
    }

    /** Asks the job to hold before its next unit; jobs that cannot hold ignore it. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    public boolean isPaused() {
        return paused && !isCancelled();
    }

    /** Ends the job the one way a cancelled job ends. */
    public void throwIfCancelled() {
        if (isCancelled()) {
            throw new JobCancelledException();
        }
    }

    /**
     * Blocks while paused; returns at once when running or cancelled. An interrupt cancels,
     * so a job's thread that is interrupted stops at its next check.
     */
    public void awaitRunning() {
        while (paused && !isCancelled()) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancelled = true;
            }
        }
    }
}
