package org.coar.workbench.ablation;

import org.coar.workbench.job.Cancellation;

/**
 * Lets a caller pause, resume and cancel a running build from any thread. Pausing lets the rows
 * in flight finish and holds the workers before their next row; cancelling abandons the rows in
 * flight (they stay pending). A view of the build's {@link Cancellation}, which its workers poll.
 */
public final class BuildControl {
    private final Cancellation cancellation = new Cancellation();

    public void cancel() {
        cancellation.cancel();
    }

    public boolean isCancelled() {
        return cancellation.isCancelled();
    }

    public void pause() {
        cancellation.pause();
    }

    public void resume() {
        cancellation.resume();
    }

    public boolean isPaused() {
        return cancellation.isPaused();
    }

    Cancellation cancellation() {
        return cancellation;
    }
}
