package org.coar.workbench.ablation;

import java.util.function.LongSupplier;

/**
 * Time spent running, paused intervals excluded: what a build's rows/s and ETA are measured over,
 * so a pause neither freezes them into a wrong figure nor drags them down once the build resumes.
 * Not thread-safe; {@link ProgressTracker} calls it under its own lock.
 */
final class RunningClock {
    private final LongSupplier nanoTime;
    private long runningBefore;
    /** When the current running interval began; -1 while paused or not started. */
    private long runningSince = -1;

    /** A clock reading {@code nanoTime} (e.g. {@code System::nanoTime}), not started. */
    RunningClock(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Starts or resumes counting; does nothing while already counting. */
    void run() {
        if (runningSince < 0) {
            runningSince = nanoTime.getAsLong();
        }
    }

    /** Stops counting until the next {@link #run()}; does nothing while not counting. */
    void pause() {
        if (runningSince >= 0) {
            runningBefore += nanoTime.getAsLong() - runningSince;
            runningSince = -1;
        }
    }

    boolean started() {
        return runningSince >= 0 || runningBefore > 0;
    }

    /** Seconds counted so far, up to now. */
    double seconds() {
        long running = runningBefore + (runningSince < 0 ? 0 : nanoTime.getAsLong() - runningSince);
        return running / 1e9;
    }
}
