package org.coar.workbench.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/** Runs a cancellable service call so that Ctrl-C cancels it and waits for it to stop cleanly. */
final class Interruptible {
    private Interruptible() {
    }

    static <T> T run(PrintWriter err, String whatStays, Function<AtomicBoolean, T> call) {
        AtomicBoolean cancel = new AtomicBoolean();
        return run(err, whatStays, () -> cancel.set(true), () -> call.apply(cancel));
    }

    /** Runs {@code call}; Ctrl-C runs {@code cancel} and waits (up to a minute) for {@code call} to return. */
    static <T> T run(PrintWriter err, String whatStays, Runnable cancel, java.util.function.Supplier<T> call) {
        CountDownLatch finished = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            cancel.run();
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
            return call.get();
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
