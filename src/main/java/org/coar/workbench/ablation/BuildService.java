package org.coar.workbench.ablation;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.coar.workbench.Version;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.DataLoader;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.model.AblatedEvaluator;
import org.coar.workbench.model.BatchSize;
import org.coar.workbench.model.ComponentPreset;
import org.coar.workbench.model.GpuMemory;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.ModelOutput;
import org.coar.workbench.model.OutputFunction;
import org.coar.workbench.model.ParameterInfo;
import org.coar.workbench.model.TorchModel;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.store.Store;
import org.coar.workbench.store.StoreArrays;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.store.RowMasks;

/**
 * Fills a store with (keep-mask, outputs of the ablated model) rows, as the reference
 * {@code make_dataset.py} does: one worker per device, each with its own model replica, taking
 * rows from a shared queue. Rows completed by anyone are skipped; claims keep concurrent
 * processes off each other's rows; cancelling abandons the row in flight without marking it.
 */
public final class BuildService {
    /** How often a worker with nothing else to do looks again at rows that other processes hold. */
    private static final long REVISIT_INTERVAL_MILLIS = 500;

    /**
     * The run settings to use for {@code storeDir}: those recorded in its run.json, checked against
     * what was requested (null fields of {@code requested} mean "as recorded"), or, for a store
     * without run.json, {@code requested} completed with defaults.
     */
    public RunConfig resolveRun(Path storeDir, RunConfig requested) {
        DataSpec requestedData = requested.data() == null ? null : new DataLoader().resolve(requested.data());
        if (RunConfig.exists(storeDir)) {
            RunConfig recorded = RunConfig.read(storeDir);
            List<String> conflicts = new ArrayList<>();
            conflict(conflicts, "--model", recorded.model(), requested.model() == null ? null : absolute(requested.model()));
            conflict(conflicts, "--data", recorded.data(), requestedData);
            conflict(conflicts, "--output", recorded.output(), requested.output());
            conflict(conflicts, "--model-output", recorded.modelOutput().recorded(),
                    requested.outputElement() == null ? null : ModelOutput.parse(requested.outputElement()).recorded());
            conflict(conflicts, "--alpha", recorded.alpha(), requested.alpha());
            conflict(conflicts, "--seed", recorded.seed(), requested.seed());
            conflict(conflicts, "--include", recorded.include(), requested.include().isEmpty() ? null : requested.include());
            conflict(conflicts, "--exclude", recorded.exclude(), requested.exclude().isEmpty() ? null : requested.exclude());
            conflict(conflicts, "--components", recorded.componentPreset().cliName(),
                    requested.components() == null ? null : ComponentPreset.parse(requested.components()).cliName());
            conflict(conflicts, "--autocast", recorded.usesAutocast(), requested.autocast());
            if (!conflicts.isEmpty()) {
                throw new WorkbenchException(storeDir.resolve(RunConfig.FILE) + ": this store's rows were made with other settings: "
                        + String.join("; ", conflicts) + ". Rows of one store must share them; use a new store for new settings, "
                        + "or omit the options to resume as recorded");
            }
            return recorded;
        }
        if (requested.model() == null || requested.data() == null) {
            throw new WorkbenchException(storeDir + ": no run.json yet, so the first build needs --model and --data");
        }
        if (!Files.isRegularFile(Path.of(requested.model()))) {
            throw new WorkbenchException(requested.model() + ": no such model file (--model); give a TorchScript file saved with "
                    + "torch.jit.save");
        }
        double alpha = requested.alpha() == null ? 0.05 : requested.alpha();
        if (!(alpha > 0 && alpha < 1)) {
            throw new WorkbenchException("--alpha: the ablated fraction must be in (0, 1), got " + alpha);
        }
        return new RunConfig(absolute(requested.model()), null, requestedData,
                requested.output() == null ? OutputFunction.MARGIN.cliName() : OutputFunction.parse(requested.output()).cliName(),
                requested.maskArray(), requested.outputArray(), alpha, requested.seed() == null ? 0L : requested.seed(),
                requested.include(), requested.exclude(), Instant.now().toString(), Version.workbench(),
                ModelOutput.parse(requested.outputElement()).recorded(), ComponentPreset.parse(requested.components()).cliName(),
                requested.usesAutocast());
    }

    private static String absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize().toString();
    }

    private static void conflict(List<String> conflicts, String option, Object recorded, Object requested) {
        if (requested != null && !deepEquals(recorded, requested)) {
            conflicts.add(option + " recorded as " + describe(recorded) + ", requested " + describe(requested));
        }
    }

    private static boolean deepEquals(Object a, Object b) {
        return Objects.deepEquals(a, b) || Objects.equals(describe(a), describe(b));
    }

    private static String describe(Object value) {
        return value instanceof float[] f ? Arrays.toString(f) : String.valueOf(value);
    }

    public BuildResult build(BuildRequest request, Consumer<BuildProgress> listener, BuildControl control) {
        Instant started = Instant.now();
        RunConfig run = request.run();
        Path storeDir = request.storeDir();
        Path modelFile = Path.of(run.model());
        if (!Files.isRegularFile(modelFile)) {
            throw new WorkbenchException(RunConfig.exists(storeDir)
                    ? modelFile + ": the model file recorded for this store is missing; restore it, or build a new store"
                    : modelFile + ": no such model file (--model); give a TorchScript file saved with torch.jit.save");
        }
        String sha = RunConfig.sha256(modelFile);
        List<Device> devices = workerDevices(resolveDevices(request.devices()), request.cpuWorkers());
        OutputFunction outputFunction = OutputFunction.parse(run.output());
        checkAutocastDevices(run.usesAutocast(), devices);

        try (Store store = Store.open(storeDir, true)) {
            StoreArrays arrays = StoreArrays.resolve(store, run.maskArray(), run.outputArray());
            String maskArray = arrays.maskArray();
            String outputArray = arrays.outputArray();
            // Before anything is recorded: a bad range must not pin the store's settings.
            RowPlan plan = RowPlan.of(store.numModels(), request.start(), request.end(), request.partition());
            EvalData data = new DataLoader().load(run.data());
            TorchModel first = TorchModel.load(modelFile, devices.getFirst()).selectOutput(run.modelOutput());
            List<AutoCloseable> toClose = new ArrayList<>(List.of(first));
            try {
                Components components = selectComponents(modelFile, first.parameters(), run);
                Recorded recorded;
                if (RunConfig.exists(storeDir)) {
                    recorded = checkAndRecord(store, run, sha, maskArray, outputArray, components, data, first.parameters());
                } else {
                    // First build: the model must accept the data before run.json pins these settings,
                    // or a wrong --resize/--crop or model would leave the store locked to them.
                    try (AblatedEvaluator probe = new AblatedEvaluator(first, components, data,
                            request.batchSize() > 0 ? request.batchSize() : BatchSize.CPU_DEFAULT, outputFunction)) {
                        recorded = checkAndRecord(store, run, sha, maskArray, outputArray, components, data, first.parameters());
                    }
                }
                try {
                    return runWorkers(request, recorded.run(), store, plan, components, data, outputFunction, devices, first,
                            toClose, listener, control, started);
                } catch (RuntimeException | Error e) {
                    if (recorded.first()) {
                        rollBack(store);
                    }
                    throw e;
                }
            } finally {
                for (AutoCloseable closeable : toClose.reversed()) {
                    try {
                        closeable.close();
                    } catch (Exception e) {
                        // Closing native resources after a failure must not hide the failure.
                    }
                }
            }
        }
    }

    /**
     * Checks that the model and data fit the store (mask and output widths, data accepted by the
     * model, labels in range) and records run.json and components.json, building no row: what a
     * cluster submission needs before its tasks start.
     */
    public RunConfig record(Path storeDir, RunConfig run) {
        Path modelFile = Path.of(run.model());
        try (Store store = Store.open(storeDir, true);
             TorchModel model = TorchModel.load(modelFile, Device.cpu()).selectOutput(run.modelOutput())) {
            String sha = RunConfig.sha256(modelFile);
            StoreArrays arrays = StoreArrays.resolve(store, run.maskArray(), run.outputArray());
            String maskArray = arrays.maskArray();
            String outputArray = arrays.outputArray();
            EvalData data = new DataLoader().load(run.data());
            Components components = selectComponents(modelFile, model.parameters(), run);
            try (AblatedEvaluator probe = new AblatedEvaluator(model, components, data, 100, OutputFunction.parse(run.output()))) {
                return checkAndRecord(store, run, sha, maskArray, outputArray, components, data, model.parameters()).run();
            }
        }
    }

    /** The settings the rows are built with, and whether this call recorded them first (so may roll them back). */
    private record Recorded(RunConfig run, boolean first) {
    }

    /** The component groups of {@code run}'s preset and patterns in {@code model}, whose parameters are {@code parameters}. */
    private static Components selectComponents(Path model, List<ParameterInfo> parameters, RunConfig run) {
        return Components.select(model, parameters, run.componentPreset(), run.include(), run.exclude());
    }

    private static Recorded checkAndRecord(Store store, RunConfig run, String sha, String maskArray, String outputArray,
                                           Components components, EvalData data, List<ParameterInfo> parameters) {
        Path storeDir = store.dir();
        checkMaskWidth(store.array(maskArray), components, run, parameters);
        checkStoreFits(store.array(outputArray), data);
        if (run.modelSha256() != null && !run.modelSha256().equals(sha)) {
            throw new WorkbenchException(run.model() + ": the model changed since this store's first rows (SHA-256 " + sha
                    + ", recorded " + run.modelSha256() + "); rows of one store must come from one model. Use a new store");
        }
        RunConfig ours = new RunConfig(run.model(), sha, run.data(), run.output(), maskArray, outputArray, run.alpha(),
                run.seed(), run.include(), run.exclude(), run.created(), run.workbenchVersion(), run.outputElement(),
                run.components(), run.autocast());
        // run.json is created exclusively: of two first builds started together, one records its settings
        // and the other, finding them, is held to them like any resume.
        if (!RunConfig.exists(storeDir) && ours.writeIfAbsent(storeDir)) {
            components.write(storeDir);
            return new Recorded(ours, true);
        }
        RunConfig recorded = RunConfig.read(storeDir);
        List<String> conflicts = differences(recorded, ours);
        if (!conflicts.isEmpty()) {
            throw new WorkbenchException(storeDir.resolve(RunConfig.FILE) + ": this store's rows are made with other settings "
                    + "(recorded by " + (recorded.created() == null ? "an earlier build" : "a build started " + recorded.created())
                    + "): " + String.join("; ", conflicts) + ". Rows of one store must share them; use a new store for new "
                    + "settings, or omit the options to build as recorded");
        }
        if (!Components.exists(storeDir)) {
            components.write(storeDir);
        } else if (!Components.read(storeDir).equals(components)) {
            throw new WorkbenchException(storeDir.resolve(Components.FILE) + ": the store's component list differs from "
                    + "the model's selection " + components + "; rows would not be comparable. Use a new store");
        }
        if (recorded.modelSha256() == null || recorded.maskArray() == null || recorded.outputArray() == null) {
            // run.json written by an earlier version, or by hand: complete it
            recorded = new RunConfig(recorded.model(), sha, recorded.data(), recorded.output(), maskArray, outputArray,
                    recorded.alpha(), recorded.seed(), recorded.include(), recorded.exclude(), recorded.created(),
                    recorded.workbenchVersion(), recorded.outputElement(), recorded.components(), recorded.autocast());
            recorded.write(storeDir);
        }
        return new Recorded(recorded, false);
    }

    /** Where {@code ours} differs from the {@code recorded} settings; fields an older run.json lacks are not compared. */
    private static List<String> differences(RunConfig recorded, RunConfig ours) {
        List<String> conflicts = new ArrayList<>();
        differ(conflicts, "--model", recorded.model(), ours.model());
        differ(conflicts, "--model (its SHA-256)", recorded.modelSha256(), ours.modelSha256());
        differ(conflicts, "--data", recorded.data(), ours.data());
        differ(conflicts, "--output", recorded.output(), ours.output());
        differ(conflicts, "--model-output", Objects.requireNonNullElse(recorded.modelOutput().recorded(), "none (one tensor)"),
                Objects.requireNonNullElse(ours.modelOutput().recorded(), "none (one tensor)"));
        differ(conflicts, "mask array", recorded.maskArray(), ours.maskArray());
        differ(conflicts, "--output-array", recorded.outputArray(), ours.outputArray());
        differ(conflicts, "--alpha", recorded.alpha(), ours.alpha());
        differ(conflicts, "--seed", recorded.seed(), ours.seed());
        differ(conflicts, "--include", recorded.include(), ours.include());
        differ(conflicts, "--exclude", recorded.exclude(), ours.exclude());
        differ(conflicts, "--components", recorded.componentPreset().cliName(), ours.componentPreset().cliName());
        differ(conflicts, "--autocast", recorded.autocast(), ours.autocast());
        return conflicts;
    }

    private static void differ(List<String> conflicts, String option, Object recorded, Object ours) {
        if (recorded != null && !deepEquals(recorded, ours)) {
            conflicts.add(option + " recorded as " + describe(recorded) + ", requested " + describe(ours));
        }
    }

    /**
     * Undoes a first build's run.json and components.json when the build failed before any row was
     * completed, so the failed settings do not lock the store. With a completed row they stay: that
     * row was made with them.
     */
    private static void rollBack(Store store) {
        if (store.completedCount() > 0) {
            return;
        }
        try {
            Files.deleteIfExists(store.dir().resolve(RunConfig.FILE));
            Files.deleteIfExists(store.dir().resolve(Components.FILE));
        } catch (java.io.IOException e) {
            // The build's own failure is what the user must see.
        }
    }

    /**
     * Refuses a store whose mask width is not the selection's, naming both counts and the preset
     * that selects that many components of this model, if one does: a reference spec's width says
     * which reference selection it was made for.
     */
    private static void checkMaskWidth(NpyArray masks, Components components, RunConfig run, List<ParameterInfo> parameters) {
        long width = masks.rowLength();
        if (width == components.total()) {
            return;
        }
        String selection = "--components " + run.componentPreset().cliName()
                + (run.include().isEmpty() ? "" : " --include " + String.join(",", run.include()))
                + (run.exclude().isEmpty() ? "" : " --exclude " + String.join(",", run.exclude()));
        List<ComponentPreset> matching = Components.presetsWithWidth(parameters, width);
        String fix = matching.isEmpty()
                ? "No preset selects " + width + " components of this model (" + presetCounts(parameters) + "); make the store with "
                  + "\"shape\": [" + components.total() + "] for this array, or choose groups with --include/--exclude"
                : "--components " + matching.getFirst().cliName() + " selects " + width + " (" + matching.getFirst().description()
                  + "): build with it, in a new store if this one's run.json records other settings";
        throw new WorkbenchException(masks.file() + ": each row holds " + width + " mask entries, but " + selection + " selects "
                + components.total() + " components of this model (" + components.groups().size() + " groups). " + fix
                + ". No row was written");
    }

    private static String presetCounts(List<ParameterInfo> parameters) {
        return String.join(", ", Components.presetTotals(parameters).entrySet().stream()
                .map(e -> e.getKey().cliName() + " " + (e.getValue() == 0 ? "none" : e.getValue())).toList());
    }

    private static void checkStoreFits(NpyArray outputs, EvalData data) {
        if (outputs.rowLength() != data.size()) {
            throw new WorkbenchException(outputs.file() + ": each row holds " + outputs.rowLength() + " outputs, but the evaluation "
                    + "data has " + data.size() + " examples (" + data.description() + "). Make the store with \"shape\": ["
                    + data.size() + "] for this array, or change --limit/--skip. No row was written");
        }
    }

    /** Autocast rows come from CUDA's float16 kernels; a CPU worker would make other rows for the same store. */
    public static void checkAutocastDevices(boolean autocast, List<Device> devices) {
        if (autocast && devices.stream().anyMatch(d -> !d.isGpu())) {
            throw new WorkbenchException("--autocast: rows made under CUDA autocast (float16) need GPU workers only, but the "
                    + "devices include the CPU; give --devices cuda:0[,cuda:1...], or make the store without --autocast");
        }
    }

    /** The devices named (cpu, cuda:N), or every GPU (else the CPU) when none is named; refuses absent ones. */
    public static List<Device> resolveDevices(List<String> names) {
        List<Device> available = TorchModel.availableDevices();
        if (names.isEmpty()) {
            List<Device> gpus = available.stream().filter(d -> d.isGpu()).toList();
            return gpus.isEmpty() ? List.of(Device.cpu()) : gpus;
        }
        List<Device> chosen = new ArrayList<>();
        for (String name : names) {
            Device device = parseDevice(name);
            if (!available.contains(device)) {
                throw new WorkbenchException("--devices: " + name + " is not available here; available: "
                        + String.join(", ", available.stream().map(BuildService::deviceName).toList())
                        + (device.isGpu() ? ". GPUs need CUDA natives for DJL; see the user guide" : ""));
            }
            if (!chosen.contains(device)) {
                chosen.add(device);
            }
        }
        return chosen;
    }

    /** One entry per worker: each GPU once, the CPU once per CPU worker (0: one per core). */
    public static List<Device> workerDevices(List<Device> devices, int cpuWorkers) {
        if (cpuWorkers < 0) {
            throw new WorkbenchException("--cpu-workers must be 0 (one per core) or more, got " + cpuWorkers);
        }
        int perCpu = cpuWorkers > 0 ? cpuWorkers : Runtime.getRuntime().availableProcessors();
        List<Device> workers = new ArrayList<>();
        for (Device device : devices) {
            for (int i = 0; i < (device.isGpu() ? 1 : perCpu); i++) {
                workers.add(device);
            }
        }
        return workers;
    }

    static Device parseDevice(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        for (String prefix : List.of("cuda:", "gpu:")) {
            if (n.startsWith(prefix)) {
                try {
                    return Device.gpu(Integer.parseInt(n.substring(prefix.length())));
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new WorkbenchException("--devices: unknown device '" + name + "'; use cpu or cuda:N (comma-separated)");
    }

    public static String deviceName(Device device) {
        return device.isGpu() ? "cuda:" + device.getDeviceId() : "cpu";
    }

    private BuildResult runWorkers(BuildRequest request, RunConfig run, Store store, RowPlan plan, Components components,
                                   EvalData data, OutputFunction outputFunction, List<Device> devices, TorchModel first,
                                   List<AutoCloseable> toClose, Consumer<BuildProgress> listener, BuildControl control,
                                   Instant started) {
        ConcurrentLinkedQueue<Long> queue = new ConcurrentLinkedQueue<>();
        long alreadyDone = 0;
        for (long row = plan.start(); row < plan.end(); row++) {
            if (request.rerun() || !store.isCompleted(row)) {
                queue.add(row);
            } else {
                alreadyDone++;
            }
        }
        RowClaims claims = new RowClaims(store.dir(), request.claimTimeout());
        ConcurrentLinkedQueue<Long> claimedElsewhere = new ConcurrentLinkedQueue<>();
        ProgressTracker tracker = new ProgressTracker(plan.size(), alreadyDone, devices,
                listener.andThen(new TaskReporter(store.dir(), plan)));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < devices.size(); w++) {
            int worker = w;
            Device device = devices.get(w);
            threads.add(Thread.ofPlatform().name("coar-build-" + deviceName(device)).start(() -> {
                try {
                    tracker.state(worker, "loading");
                    TorchModel model;
                    if (worker == 0) {
                        model = first;
                    } else {
                        model = TorchModel.load(first.file(), device).selectOutput(run.modelOutput());
                        synchronized (toClose) {
                            toClose.add(model);
                        }
                    }
                    int batchSize = BatchSize.choose(request.batchSize(), model, data);
                    try (AblatedEvaluator evaluator = new AblatedEvaluator(model, components, data, batchSize, outputFunction,
                            run.usesAutocast())) {
                        tracker.running(worker, batchSize);
                        buildRows(request, run, store, queue, claimedElsewhere, claims, components, evaluator, tracker, worker, control);
                    }
                    tracker.state(worker, control.isCancelled() ? "cancelled" : "finished");
                } catch (RuntimeException | Error e) {
                    // an Error (e.g. out of memory) in one worker must fail the build, not end it as if finished
                    failure.compareAndSet(null, e);
                    // the message reaches the user once, as the build's error, not in every worker's progress
                    tracker.state(worker, "failed");
                    control.cancel();
                }
            }));
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                control.cancel();
                Thread.currentThread().interrupt();
            }
        }
        switch (failure.get()) {
            case null -> { }
            case RuntimeException e -> throw e;
            case OutOfMemoryError e -> throw new WorkbenchException("a build worker ran out of memory (" + e.getMessage()
                    + "); lower --batch-size or --cpu-workers, or give the JVM more memory (COAR_JAVA_OPTS=-Xmx...)", e);
            case Error e -> throw e;
            default -> throw new IllegalStateException(failure.get());
        }
        long completedInPlan = 0;
        for (long row = plan.start(); row < plan.end(); row++) {
            completedInPlan += store.isCompleted(row) ? 1 : 0;
        }
        return new BuildResult(tracker.built(), completedInPlan, plan.size(), control.isCancelled() && completedInPlan < plan.size(),
                Duration.between(started, Instant.now()));
    }

    private static void buildRows(BuildRequest request, RunConfig run, Store store, ConcurrentLinkedQueue<Long> queue,
                                  ConcurrentLinkedQueue<Long> claimedElsewhere, RowClaims claims, Components components,
                                  AblatedEvaluator evaluator, ProgressTracker tracker, int worker, BuildControl control) {
        String maskArray = run.maskArray();
        String outputArray = run.outputArray();
        Long row;
        while (true) {
            if (control.isPaused()) {
                tracker.state(worker, "paused");
                control.awaitRunning();
                tracker.state(worker, "running");
            }
            if (control.isCancelled()) {
                return;
            }
            boolean revisit = false;
            if ((row = queue.poll()) == null) {
                // Rows another process had claimed: revisit them until they are completed, or their
                // claimer is gone and the claim can be taken over.
                if ((row = claimedElsewhere.poll()) == null) {
                    return;
                }
                revisit = true;
            }
            if ((!request.rerun() || revisit) && store.isCompleted(row)) {
                continue; // completed by another process since the queue was made
            }
            if (!claims.tryClaim(row)) {
                claimedElsewhere.add(row); // another process is building it
                if (revisit) {
                    tracker.state(worker, "waiting");
                    if (!pause(control)) {
                        return;
                    }
                    tracker.state(worker, "running");
                }
                continue;
            }
            try {
                if (store.isCompleted(row)) {
                    if (!request.rerun() || revisit) {
                        continue;
                    }
                    store.markPending(row);
                }
                boolean[] keep = RowMasks.keepMask(run.seed(), row, components.total(), run.alpha());
                AblatedEvaluator.Result result = evaluator.evaluate(keep, control::isCancelled);
                if (result == null) {
                    return; // cancelled mid-row: the row stays pending
                }
                store.writeRow(row, Map.of(maskArray, keep, outputArray, result.outputs()));
                tracker.rowBuilt(worker, row, result);
            } finally {
                claims.release(row);
            }
        }
    }

    /** Waits a moment before revisiting rows claimed elsewhere; false when cancelled meanwhile. */
    private static boolean pause(BuildControl control) {
        try {
            Thread.sleep(REVISIT_INTERVAL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !control.isCancelled();
    }

    /** Keeps this process's task record beside the store current, at most every two seconds. */
    private static final class TaskReporter implements Consumer<BuildProgress> {
        private static final long INTERVAL_NANOS = 2_000_000_000L;
        private final Path storeDir;
        private final RowPlan plan;
        private final String host = RowClaims.hostName();
        private final String started = Instant.now().toString();
        private long lastWrite;

        TaskReporter(Path storeDir, RowPlan plan) {
            this.storeDir = storeDir;
            this.plan = plan;
        }

        @Override
        public synchronized void accept(BuildProgress progress) {
            boolean done = progress.workers().stream().noneMatch(w -> w.state().equals("running") || w.state().equals("loading")
                    || w.state().equals("waiting") || w.state().equals("paused"));
            long now = System.nanoTime();
            if (!done && lastWrite != 0 && now - lastWrite < INTERVAL_NANOS) {
                return;
            }
            lastWrite = now;
            String state = !done ? (progress.workers().stream().allMatch(w -> w.state().equals("paused")) ? "paused" : "running")
                    : progress.workers().stream().anyMatch(w -> w.state().startsWith("failed")) ? "failed"
                    : progress.workers().stream().anyMatch(w -> w.state().equals("cancelled")) ? "cancelled" : "finished";
            long built = progress.workers().stream().mapToLong(BuildProgress.WorkerState::rowsBuilt).sum();
            String job = System.getenv("SLURM_ARRAY_JOB_ID") != null ? System.getenv("SLURM_ARRAY_JOB_ID") : System.getenv("SLURM_JOB_ID");
            new TaskRecord(host, ProcessHandle.current().pid(), job, System.getenv("SLURM_ARRAY_TASK_ID"), plan.start(), plan.end(),
                    built, progress.rowsPerSecond(), state, started, Instant.now().toString()).write(storeDir);
        }
    }

    /** Turns per-row events from the workers into progress snapshots. */
    private static final class ProgressTracker {
        private static final long MEMORY_SAMPLE_NANOS = 1_000_000_000L;
        private final long total;
        private final long alreadyDone;
        private final List<Device> devices;
        private final List<String> deviceNames;
        private final String[] states;
        private final long[] builtPerWorker;
        private final long[] runningSince;
        private final int[] batchSizes;
        private final long[] memoryUsed;
        private final long[] memorySampled;
        private final Consumer<BuildProgress> listener;
        private final long startNanos = System.nanoTime();
        private final AtomicLong built = new AtomicLong();
        private double latestMean = Double.NaN;
        private double latestAccuracy = Double.NaN;
        private long rowsWithNonFinite;
        private long firstNonFiniteRow = -1;

        ProgressTracker(long total, long alreadyDone, List<Device> devices, Consumer<BuildProgress> listener) {
            this.total = total;
            this.alreadyDone = alreadyDone;
            this.devices = List.copyOf(devices);
            long cpus = devices.stream().filter(d -> !d.isGpu()).count();
            List<String> names = new ArrayList<>();
            int cpuIndex = 0;
            for (Device device : devices) {
                names.add(device.isGpu() || cpus == 1 ? deviceName(device) : "cpu#" + cpuIndex++);
            }
            this.deviceNames = names;
            this.states = new String[devices.size()];
            Arrays.fill(states, "waiting");
            this.builtPerWorker = new long[devices.size()];
            this.runningSince = new long[devices.size()];
            this.batchSizes = new int[devices.size()];
            this.memoryUsed = new long[devices.size()];
            Arrays.fill(memoryUsed, -1);
            this.memorySampled = new long[devices.size()];
            this.listener = listener;
            publish();
        }

        synchronized void state(int worker, String state) {
            states[worker] = state;
            publish();
        }

        /** The worker's replica is ready and takes rows with this batch size. */
        synchronized void running(int worker, int batchSize) {
            runningSince[worker] = System.nanoTime();
            batchSizes[worker] = batchSize;
            sampleMemory(worker, true);
            state(worker, "running");
        }

        synchronized void rowBuilt(int worker, long row, AblatedEvaluator.Result result) {
            builtPerWorker[worker]++;
            built.incrementAndGet();
            latestMean = result.meanOutput();
            latestAccuracy = result.accuracy();
            if (result.nonFiniteOutputs() > 0) {
                rowsWithNonFinite++;
                firstNonFiniteRow = firstNonFiniteRow < 0 ? row : Math.min(firstNonFiniteRow, row);
            }
            sampleMemory(worker, false);
            publish();
        }

        /** A GPU's memory in use, read at most once a second per worker (the CPU's is not a worker's own). */
        private void sampleMemory(int worker, boolean now) {
            long t = System.nanoTime();
            if (devices.get(worker).isGpu() && (now || t - memorySampled[worker] > MEMORY_SAMPLE_NANOS)) {
                GpuMemory memory = GpuMemory.of(devices.get(worker));
                memoryUsed[worker] = memory == null ? -1 : memory.usedBytes();
                memorySampled[worker] = t;
            }
        }

        long built() {
            return built.get();
        }

        private void publish() {
            long now = System.nanoTime();
            double seconds = (now - startNanos) / 1e9;
            long done = alreadyDone + built.get();
            double rate = seconds > 0 ? built.get() / seconds : 0;
            Duration eta = rate > 0 ? Duration.ofMillis((long) ((total - done) / rate * 1000)) : null;
            List<BuildProgress.WorkerState> workers = new ArrayList<>();
            for (int w = 0; w < states.length; w++) {
                double workerSeconds = runningSince[w] == 0 ? 0 : (now - runningSince[w]) / 1e9;
                workers.add(new BuildProgress.WorkerState(deviceNames.get(w), states[w], builtPerWorker[w],
                        workerSeconds > 0 ? builtPerWorker[w] / workerSeconds : 0, memoryUsed[w], batchSizes[w]));
            }
            listener.accept(new BuildProgress(done, total, rate, eta, workers, latestMean, latestAccuracy, rowsWithNonFinite,
                    firstNonFiniteRow));
        }
    }
}
