package org.coar.workbench.fit.sparse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.JobCancelledException;

/** Runs the kernels' independent tasks on one thread per core, taking tasks in order as threads free up. */
public final class Parallel {
    private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    /** Helper threads shared by every call (the caller works too), made on first use. */
    private static final class Pool {
        static final ExecutorService HELPERS = Executors.newFixedThreadPool(Math.max(1, THREADS - 1), r -> {
            Thread t = new Thread(r, "coar-fit-kernel");
            t.setDaemon(true);
            return t;
        });
    }

    private Parallel() {
    }

    public static int threads() {
        return THREADS;
    }

    /**
     * Calls {@code task} once for every index in [0, count), on up to {@link #threads()} threads;
     * stops handing out tasks once {@code cancel} is set (then throws {@link JobCancelledException})
     * or a task fails (then rethrows its failure).
     */
    public static void forEach(int count, Cancellation cancel, IntConsumer task) {
        if (count <= 0) {
            return;
        }
        int threads = Math.min(THREADS, count);
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        Runnable worker = () -> {
            try {
                for (int i = next.getAndIncrement(); i < count && !cancel.isCancelled() && !failed.get(); i = next.getAndIncrement()) {
                    task.accept(i);
                }
            } catch (RuntimeException | Error e) {
                failed.set(true);
                throw e;
            }
        };
        Throwable failure = null;
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 1; t < threads; t++) {
                futures.add(Pool.HELPERS.submit(worker));
            }
            try {
                worker.run();
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failed.set(true);
                    cancel.cancel(); // an interrupt cancels, as everywhere in a job
                    failure = failure == null ? new JobCancelledException() : failure;
                }
            }
        } finally {
            if (failure != null) {
                futures.forEach(f -> f.cancel(false));
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        cancel.throwIfCancelled();
    }
}
