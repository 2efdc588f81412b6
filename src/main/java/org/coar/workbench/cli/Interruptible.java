package org.coar.workbench.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.JobCancelledException;

/** Runs a cancellable job so that Ctrl-C cancels it and waits for it to stop cleanly. */
final class Interruptible {
    private Interruptible() {
    }

    /**
     * Runs {@code job} with a fresh {@link Cancellation}; Ctrl-C cancels it and waits (up to a
     * minute) for the job to end. A cancelled job ends with a {@link JobCancelledException} whose
     * message is "cancelled; " + {@code whatStays}, which {@link Main} prints as the command's
     * last line, exiting with status 130.
     */
    static <T> T run(PrintWriter err, String whatStays, Function<Cancellation, T> job) {
        Cancellation cancellation = new Cancellation();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            cancellation.cancel();
            err.println();
            err.println("coar: cancelling; " + whatStays + "...");
            err.flush();
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            return job.apply(cancellation);
        } catch (JobCancelledException e) {
            throw new JobCancelledException(whatStays);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running
            }
        }
    }
}
