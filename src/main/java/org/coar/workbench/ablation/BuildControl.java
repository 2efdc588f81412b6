package org.coar.workbench.ablation;

/**
 * Lets a caller pause, resume and cancel a running build from any thread. Pausing lets the rows
 * in flight finish and holds the workers before their next row; cancelling abandons the rows in
 * flight (they stay pending).
 */
public final class BuildControl {
    private volatile boolean cancelled;
    private volatile boolean paused;

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    public boolean isPaused() {
        return paused;
    }

    /** Blocks while paused; returns at once when running or cancelled. */
    void awaitRunning() {
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
