package org.coar.workbench.model;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.JobCancelledException;

/**
 * Model replicas, one per worker device (a device may repeat: one single-threaded replica per CPU
 * core), each with its {@link AblatedEvaluator}, and one thread per replica taking work from one
 * queue: a build's store rows, an evaluation's or an edit's masks.
 * <p>
 * A worker loads its replica at the start of its first run, so a slow device does not hold the
 * others; between two units of work it holds while the job is paused and stops once it is
 * cancelled. Whatever a worker throws (an {@link Error} such as {@link OutOfMemoryError} included)
 * cancels the job, so the other workers stop after their unit in flight, and reaches the caller as
 * one {@link WorkbenchException} that names the device.
 */
public final class ReplicaPool implements AutoCloseable {
    private final Path modelFile;
    private final List<Device> devices;
    private final Components components;
    private final EvalData data;
    private final int batchSize;
    private final OutputFunction output;
    private final ModelOutput modelOutput;
    private final boolean autocast;
    private final TorchModel[] models;
    /** Replicas the caller lent the pool (and closes itself). */
    private final boolean[] lent;
    private final AblatedEvaluator[] evaluators;

    /** Hears each worker's progress through a run, on the worker's thread. */
    public interface Listener {
        Listener NONE = (worker, status) -> { };

        void status(int worker, WorkerStatus status);

        /** The worker's replica is ready and evaluates {@code batchSize} examples per forward pass; RUNNING follows. */
        default void ready(int worker, int batchSize) {
        }
    }

    /** What a worker does with one unit of work taken from the queue. */
    @FunctionalInterface
    public interface Task<T> {
        void run(Worker worker, T item);
    }

    /** Receives each finished mask's result, on the worker thread that made it. */
    @FunctionalInterface
    public interface ResultListener {
        void done(int index, AblatedEvaluator.Result result);
    }

    /** One worker as its task sees it. */
    public static final class Worker {
        private final int index;
        private final Device device;
        private final AblatedEvaluator evaluator;
        private final Cancellation cancellation;
        private final Listener listener;

        private Worker(int index, Device device, AblatedEvaluator evaluator, Cancellation cancellation, Listener listener) {
            this.index = index;
            this.device = device;
            this.evaluator = evaluator;
            this.cancellation = cancellation;
            this.listener = listener;
        }

        public int index() {
            return index;
        }

        public Device device() {
            return device;
        }

        public AblatedEvaluator evaluator() {
            return evaluator;
        }

        /** True once the job is cancelled or another worker failed: a long unit of work gives up at its next check. */
        public boolean stopRequested() {
            return cancellation.isCancelled();
        }

        /** Reports a state of this worker's own (e.g. waiting on rows another process holds). */
        public void status(WorkerStatus status) {
            listener.status(index, status);
        }
    }

    /**
     * A pool of one replica per entry of {@code workerDevices}, loaded by the first run (or
     * {@link #load()}); {@code modelOutput} names the logits of a model whose forward returns a
     * tuple or dict, {@code batchSize} 0 chooses one per replica ({@link BatchSize}), {@code autocast}
     * runs the forward passes under CUDA autocast.
     */
    public ReplicaPool(Path modelFile, List<Device> workerDevices, Components components, EvalData data, int batchSize,
                       OutputFunction output, ModelOutput modelOutput, boolean autocast) {
        if (workerDevices.isEmpty()) {
            throw new IllegalArgumentException("no worker devices");
        }
        this.modelFile = modelFile;
        this.devices = List.copyOf(workerDevices);
        this.components = components;
        this.data = data;
        this.batchSize = batchSize;
        this.output = output;
        this.modelOutput = modelOutput;
        this.autocast = autocast;
        this.models = new TorchModel[devices.size()];
        this.lent = new boolean[devices.size()];
        this.evaluators = new AblatedEvaluator[devices.size()];
    }

    /**
     * As above, with worker 0's replica already loaded by the caller (on {@code workerDevices.get(0)},
     * its output selected), e.g. for checks before the run; the caller closes it after the pool.
     */
    public ReplicaPool(TorchModel first, List<Device> workerDevices, Components components, EvalData data, int batchSize,
                       OutputFunction output, ModelOutput modelOutput, boolean autocast) {
        this(first.file(), workerDevices, components, data, batchSize, output, modelOutput, autocast);
        if (!first.device().equals(devices.getFirst())) {
            throw new IllegalArgumentException("the first replica is on " + first.device() + ", worker 0 on " + devices.getFirst());
        }
        models[0] = first;
        lent[0] = true;
    }

    /** A pool whose replicas are all loaded now, in parallel: what a job that evaluates many mask sets needs. */
    public static ReplicaPool loaded(Path modelFile, List<Device> workerDevices, Components components, EvalData data, int batchSize,
                                     OutputFunction output, ModelOutput modelOutput, boolean autocast) {
        ReplicaPool pool = new ReplicaPool(modelFile, workerDevices, components, data, batchSize, output, modelOutput, autocast);
        try {
            pool.load();
            return pool;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** Loads every replica not loaded yet, in parallel. */
    public void load() {
        Cancellation cancellation = new Cancellation();
        run(() -> null, (worker, item) -> { }, cancellation, Listener.NONE);
        cancellation.throwIfCancelled();
    }

    /**
     * Runs {@code task} on every item {@code queue} hands out (it returns null once it has none;
     * workers call it concurrently), one worker per replica, until the queue is empty or
     * {@code cancellation} is cancelled; holds the workers between items while it is paused.
     * Returns normally when cancelled (what was done stays done), also when a task ends by throwing
     * {@link JobCancelledException}, which cancels the job; the first failure of any worker,
     * whatever it threw, cancels {@code cancellation} and is thrown here as a
     * {@link WorkbenchException} naming the worker's device. Both callbacks run on worker threads;
     * an interrupt of the calling thread cancels, and the call still waits for the workers.
     */
    public <T> void run(Supplier<T> queue, Task<T> task, Cancellation cancellation, Listener listener) {
        AtomicReference<WorkbenchException> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < devices.size(); w++) {
            int worker = w;
            threads.add(Thread.ofPlatform().name("coar-worker-" + Devices.name(devices.get(w)) + "-" + w)
                    .start(() -> work(worker, queue, task, cancellation, listener, failure)));
        }
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    // the workers stop between units; wait for them, as they may be restoring their replicas' weights
                    interrupted = true;
                    cancellation.cancel();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private <T> void work(int w, Supplier<T> queue, Task<T> task, Cancellation cancellation, Listener listener,
                          AtomicReference<WorkbenchException> failure) {
        try {
            if (evaluators[w] == null) {
                listener.status(w, WorkerStatus.LOADING);
                loadReplica(w);
            }
            listener.ready(w, evaluators[w].batchSize());
            listener.status(w, WorkerStatus.RUNNING);
            Worker worker = new Worker(w, devices.get(w), evaluators[w], cancellation, listener);
            while (true) {
                if (cancellation.isPaused()) {
                    listener.status(w, WorkerStatus.PAUSED);
                    cancellation.awaitRunning();
                    listener.status(w, WorkerStatus.RUNNING);
                }
                if (cancellation.isCancelled()) {
                    break;
                }
                T item = queue.get();
                if (item == null) {
                    break;
                }
                task.run(worker, item);
            }
            listener.status(w, cancellation.isCancelled() ? WorkerStatus.CANCELLED : WorkerStatus.FINISHED);
        } catch (JobCancelledException e) {
            cancellation.cancel();
            listener.status(w, WorkerStatus.CANCELLED);
        } catch (Throwable t) {
            failure.compareAndSet(null, failure(devices.get(w), evaluators[w] == null ? batchSize : evaluators[w].batchSize(), t));
            cancellation.cancel();
            try {
                // the message reaches the user once, as the job's error, not in every worker's state
                listener.status(w, WorkerStatus.FAILED);
            } catch (Throwable secondary) {
                failure.get().addSuppressed(secondary);
            }
        }
    }

    private void loadReplica(int w) {
        if (models[w] == null) {
            models[w] = TorchModel.load(modelFile, devices.get(w)).selectOutput(modelOutput);
        }
        evaluators[w] = new AblatedEvaluator(models[w], components, data, BatchSize.choose(batchSize, models[w], data), output,
                autocast);
    }

    /** What the user is told when a worker on {@code device}, evaluating {@code batchSize} examples per pass (0: auto), threw {@code t}. */
    static WorkbenchException failure(Device device, int batchSize, Throwable t) {
        String worker = "the worker on " + Devices.name(device);
        String batch = batchSize > 0 ? "batch size " + batchSize : "the automatic batch size";
        String message = String.valueOf(t.getMessage());
        if (t instanceof OutOfMemoryError) {
            return new WorkbenchException(worker + " ran out of memory (" + message + ") at " + batch + "; lower --batch-size"
                    + (device.isGpu() ? "" : " or --cpu-workers") + ", or give the JVM more memory (COAR_JAVA_OPTS=-Xmx...)", t);
        }
        if (device.isGpu() && message.toLowerCase(Locale.ROOT).contains("out of memory")) {
            return new WorkbenchException(worker + " ran out of GPU memory at " + batch + " ("
                    + message.lines().findFirst().orElse("") + "); lower --batch-size, or free the GPU of other work", t);
        }
        if (t instanceof WorkbenchException) {
            return new WorkbenchException(worker + ": " + message, t);
        }
        String where = t.getStackTrace().length == 0 ? "" : " at " + t.getStackTrace()[0];
        return new WorkbenchException(worker + " failed: " + t + where + "; please report it", t);
    }

    /**
     * Evaluates {@code count} masks, mask i given by {@code maskOf.apply(i)}, and returns every
     * result in mask order. Both callbacks run on worker threads, so they must be thread-safe; a
     * failure in either is the job's failure. Throws {@link JobCancelledException} when
     * {@code cancellation} is cancelled before every mask is done.
     */
    public AblatedEvaluator.Result[] evaluate(int count, IntFunction<boolean[]> maskOf, ResultListener onDone,
                                              Cancellation cancellation) {
        AblatedEvaluator.Result[] results = new AblatedEvaluator.Result[count];
        AtomicInteger next = new AtomicInteger();
        run(() -> {
            int i = next.getAndIncrement();
            return i < count ? i : null;
        }, (worker, i) -> {
            AblatedEvaluator.Result result = worker.evaluator().evaluate(maskOf.apply(i), worker::stopRequested);
            if (result != null) {
                results[i] = result;
                onDone.done(i, result);
            }
        }, cancellation, Listener.NONE);
        if (Arrays.stream(results).anyMatch(r -> r == null)) {
            cancellation.throwIfCancelled();
            throw new IllegalStateException("a mask was left unevaluated without a cancel or a failure");
        }
        return results;
    }

    @Override
    public void close() {
        for (int w = 0; w < devices.size(); w++) {
            if (evaluators[w] != null) {
                evaluators[w].close();
                evaluators[w] = null;
            }
            if (models[w] != null && !lent[w]) {
                models[w].close();
            }
            models[w] = null;
        }
    }
}
