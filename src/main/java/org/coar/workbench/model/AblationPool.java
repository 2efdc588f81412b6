package org.coar.workbench.model;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.job.Cancellation;

/**
 * Model replicas, one per worker device, that evaluate many keep-masks in parallel: what a build
 * does for store rows, for masks that are not stored (evaluation runs, single-component
 * ablations, edits). Each worker takes the next mask from a shared counter.
 */
public final class AblationPool implements AutoCloseable {
    private final List<TorchModel> models = new ArrayList<>();
    private final List<AblatedEvaluator> evaluators = new ArrayList<>();

    /**
     * Loads one replica per entry of {@code workerDevices} (a device may repeat: one
     * single-threaded replica per CPU core), in parallel.
     */
    public AblationPool(Path modelFile, List<Device> workerDevices, Components components, EvalData data, int batchSize,
                        OutputFunction output) {
        this(modelFile, workerDevices, components, data, batchSize, output, ModelOutput.SINGLE, false);
    }

    /**
     * As above; {@code modelOutput} names the logits of a model whose forward returns a tuple or dict,
     * {@code batchSize} 0 chooses one per replica ({@link BatchSize}), {@code autocast} runs the
     * forward passes under CUDA autocast, as the store's rows were made.
     */
    public AblationPool(Path modelFile, List<Device> workerDevices, Components components, EvalData data, int batchSize,
                        OutputFunction output, ModelOutput modelOutput, boolean autocast) {
        if (workerDevices.isEmpty()) {
            throw new IllegalArgumentException("no worker devices");
        }
        TorchModel[] loaded = new TorchModel[workerDevices.size()];
        AblatedEvaluator[] made = new AblatedEvaluator[workerDevices.size()];
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workerDevices.size(); w++) {
            int worker = w;
            threads.add(Thread.ofPlatform().name("coar-load-" + w).start(() -> {
                try {
                    loaded[worker] = TorchModel.load(modelFile, workerDevices.get(worker)).selectOutput(modelOutput);
                    made[worker] = new AblatedEvaluator(loaded[worker], components, data,
                            BatchSize.choose(batchSize, loaded[worker], data), output, autocast);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        join(threads);
        for (int w = 0; w < loaded.length; w++) {
            if (loaded[w] != null) {
                models.add(loaded[w]);
            }
            if (made[w] != null) {
                evaluators.add(made[w]);
            }
        }
        if (failure.get() != null) {
            close();
            throw failure.get();
        }
    }

    public int workers() {
        return evaluators.size();
    }

    /** Number of classes of the model's logits. */
    public int classes() {
        return evaluators.getFirst().classes();
    }

    /** Receives each finished mask's result, on the worker thread that made it. */
    @FunctionalInterface
    public interface ResultListener {
        void done(int index, AblatedEvaluator.Result result);
    }

    /**
     * Evaluates {@code count} masks, mask i given by {@code maskOf.apply(i)}. Both callbacks run on
     * worker threads, so they must be thread-safe. Returns the results in mask order; a cancel first ends it with
     * {@link org.coar.workbench.job.JobCancelledException}.
     */
    public AblatedEvaluator.Result[] evaluate(int count, IntFunction<boolean[]> maskOf, ResultListener onDone, Cancellation cancel) {
        AblatedEvaluator.Result[] results = new AblatedEvaluator.Result[count];
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (AblatedEvaluator evaluator : evaluators) {
            threads.add(Thread.ofPlatform().name("coar-ablate").start(() -> {
                try {
                    int i;
                    while (!cancel.isCancelled() && failure.get() == null && (i = next.getAndIncrement()) < count) {
                        AblatedEvaluator.Result result = evaluator.evaluate(maskOf.apply(i), cancel::isCancelled);
                        if (result == null) {
                            return;
                        }
                        results[i] = result;
                        onDone.done(i, result);
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    cancel.cancel(); // the workers stop between batches; wait for them to restore their replicas
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        cancel.throwIfCancelled();
        return results;
    }

    private static void join(List<Thread> threads) {
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WorkbenchException("interrupted while the model replicas were working", e);
            }
        }
    }

    @Override
    public void close() {
        for (AblatedEvaluator evaluator : evaluators) {
            evaluator.close();
        }
        for (TorchModel model : models) {
            model.close();
        }
        evaluators.clear();
        models.clear();
    }
}
