package org.coar.workbench.ablation;

import ai.djl.Device;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.coar.workbench.job.Progress;
import org.coar.workbench.model.AblatedEvaluator;
import org.coar.workbench.model.Devices;
import org.coar.workbench.model.GpuMemory;
import org.coar.workbench.model.ReplicaPool;
import org.coar.workbench.model.WorkerStatus;

/**
 * Turns per-row events from the workers into progress snapshots. Rates and the ETA count running
 * time only: the process's clock stops while every active worker is paused, and each worker's
 * clock while it is.
 */
final class ProgressTracker implements ReplicaPool.Listener {
    private static final long MEMORY_SAMPLE_NANOS = 1_000_000_000L;
    private final long total;
    private final long alreadyDone;
    private final List<Device> devices;
    private final List<String> deviceNames;
    private final WorkerStatus[] states;
    private final long[] builtPerWorker;
    private final RunningClock[] workerClocks;
    private final int[] batchSizes;
    private final long[] memoryUsed;
    private final long[] memorySampled;
    private final Consumer<BuildProgress> listener;
    private final LongSupplier nanoTime;
    private final RunningClock clock;
    private final AtomicLong built = new AtomicLong();
    private double latestMean = Double.NaN;
    private double latestAccuracy = Double.NaN;
    private float[] latestOutputs;
    private double unablatedAccuracy = Double.NaN;
    private long rowsWithNonFinite;
    private long firstNonFiniteRow = -1;

    ProgressTracker(long total, long alreadyDone, List<Device> devices, Consumer<BuildProgress> listener) {
        this(total, alreadyDone, devices, listener, System::nanoTime);
    }

    /** As above, reading time from {@code nanoTime}: how tests work rates out on a clock of their own. */
    ProgressTracker(long total, long alreadyDone, List<Device> devices, Consumer<BuildProgress> listener, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.clock = new RunningClock(nanoTime);
        clock.run();
        this.total = total;
        this.alreadyDone = alreadyDone;
        this.devices = List.copyOf(devices);
        long cpus = devices.stream().filter(d -> !d.isGpu()).count();
        List<String> names = new ArrayList<>();
        int cpuIndex = 0;
        for (Device device : devices) {
            names.add(device.isGpu() || cpus == 1 ? Devices.name(device) : "cpu#" + cpuIndex++);
        }
        this.deviceNames = names;
        this.states = new WorkerStatus[devices.size()];
        Arrays.fill(states, WorkerStatus.WAITING);
        this.builtPerWorker = new long[devices.size()];
        this.workerClocks = new RunningClock[devices.size()];
        for (int w = 0; w < workerClocks.length; w++) {
            workerClocks[w] = new RunningClock(nanoTime);
        }
        this.batchSizes = new int[devices.size()];
        this.memoryUsed = new long[devices.size()];
        Arrays.fill(memoryUsed, -1);
        this.memorySampled = new long[devices.size()];
        this.listener = listener;
        publish();
    }

    @Override
    public synchronized void status(int worker, WorkerStatus status) {
        states[worker] = status;
        if (status == WorkerStatus.PAUSED) {
            workerClocks[worker].pause();
        } else if (status == WorkerStatus.RUNNING && workerClocks[worker].started()) {
            workerClocks[worker].run();
        } else if (!status.isActive()) {
            workerClocks[worker].pause();
        }
        if (allActiveWorkersPaused()) {
            clock.pause();
        } else {
            clock.run();
        }
        publish();
    }

    /** The worker's replica is ready and takes rows with this batch size. */
    @Override
    public synchronized void ready(int worker, int batchSize) {
        workerClocks[worker].run();
        batchSizes[worker] = batchSize;
        sampleMemory(worker, true);
    }

    /** True while the build holds: some worker is paused and none is still working (the others ended). */
    private boolean allActiveWorkersPaused() {
        boolean anyPaused = false;
        for (WorkerStatus state : states) {
            if (state == WorkerStatus.PAUSED) {
                anyPaused = true;
            } else if (state.isActive()) {
                return false;
            }
        }
        return anyPaused;
    }

    /** The accuracy of the model with nothing ablated, measured once per build. */
    synchronized void unablatedAccuracy(double accuracy) {
        unablatedAccuracy = accuracy;
        publish();
    }

    synchronized void rowBuilt(int worker, long row, AblatedEvaluator.Result result) {
        builtPerWorker[worker]++;
        built.incrementAndGet();
        latestMean = result.meanOutput();
        latestAccuracy = result.accuracy();
        latestOutputs = result.outputs();
        if (result.nonFiniteOutputs() > 0) {
            rowsWithNonFinite++;
            firstNonFiniteRow = firstNonFiniteRow < 0 ? row : Math.min(firstNonFiniteRow, row);
        }
        sampleMemory(worker, false);
        publish();
    }

    /** A GPU's memory in use, read at most once a second per worker (the CPU's is not a worker's own). */
    private void sampleMemory(int worker, boolean now) {
        long t = nanoTime.getAsLong();
        if (devices.get(worker).isGpu() && (now || t - memorySampled[worker] > MEMORY_SAMPLE_NANOS)) {
            GpuMemory memory = Devices.memory(devices.get(worker));
            memoryUsed[worker] = memory == null ? -1 : memory.usedBytes();
            memorySampled[worker] = t;
        }
    }

    long built() {
        return built.get();
    }

    private void publish() {
        double seconds = clock.seconds();
        long done = alreadyDone + built.get();
        double rate = seconds > 0 ? built.get() / seconds : 0;
        Duration eta = rate > 0 ? Duration.ofMillis((long) ((total - done) / rate * 1000)) : null;
        List<BuildProgress.WorkerState> workers = new ArrayList<>();
        for (int w = 0; w < states.length; w++) {
            double workerSeconds = workerClocks[w].seconds();
            workers.add(new BuildProgress.WorkerState(deviceNames.get(w), states[w], builtPerWorker[w],
                    workerSeconds > 0 ? builtPerWorker[w] / workerSeconds : 0, memoryUsed[w], batchSizes[w]));
        }
        listener.accept(new BuildProgress(new Progress(BuildProgress.STAGE, done, total, "rows"), rate, eta, workers, latestMean,
                latestAccuracy, latestOutputs, unablatedAccuracy, rowsWithNonFinite, firstNonFiniteRow));
    }
}
