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
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.coar.workbench.Version;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.DataLoader;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.JobCancelledException;
import org.coar.workbench.model.AblatedEvaluator;
import org.coar.workbench.model.BatchSize;
import org.coar.workbench.model.ComponentPreset;
import org.coar.workbench.model.Devices;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.ModelOutput;
import org.coar.workbench.model.OutputFunction;
import org.coar.workbench.model.ParameterInfo;
import org.coar.workbench.model.ReplicaPool;
import org.coar.workbench.model.TorchModel;
import org.coar.workbench.model.WorkerStatus;
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
 * <p>Its length (about 440 lines) is one build's life in the order that keeps a store consistent:
 * the checks made before anything is recorded, the record, the roll-back of a failed first build,
 * and the row loop. Progress and the task record live in {@link ProgressTracker} and {@link TaskReporter}.
 */
public final class BuildService {
    /** How often a worker with nothing else to do looks again at rows that other processes hold. */
    private static final long REVISIT_INTERVAL_MILLIS = 500;

    /** Runs one row's ablated model; null when {@code stop} turned true mid-row. */
    @FunctionalInterface
    interface RowEvaluation {
        AblatedEvaluator.Result evaluate(AblatedEvaluator evaluator, long row, boolean[] keep, BooleanSupplier stop);
    }

    private final RowEvaluation rowEvaluation;

    public BuildService() {
        this((evaluator, row, keep, stop) -> evaluator.evaluate(keep, stop));
    }

    /** With another way to run a row's model: how tests make a worker fail mid-row. */
    BuildService(RowEvaluation rowEvaluation) {
        this.rowEvaluation = rowEvaluation;
    }

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
        return RunConfig.builder().optModel(absolute(requested.model())).optData(requestedData)
                .optOutput(requested.output() == null ? OutputFunction.MARGIN.cliName()
                        : OutputFunction.parse(requested.output()).cliName())
                .optMaskArray(requested.maskArray()).optOutputArray(requested.outputArray())
                .optAlpha(alpha).optSeed(requested.seed() == null ? 0L : requested.seed())
                .optInclude(requested.include()).optExclude(requested.exclude())
                .optCreated(Instant.now().toString()).optWorkbenchVersion(Version.workbench())
                .optOutputElement(ModelOutput.parse(requested.outputElement()).recorded())
                .optComponents(ComponentPreset.parse(requested.components()).cliName()).optAutocast(requested.usesAutocast())
                .build();
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

    /**
     * Builds the rows of the request's plan. {@code control} pauses (the rows in flight finish, the
     * workers hold before their next row) and cancels: a cancel abandons the rows in flight, which stay
     * pending, and ends the build with {@link JobCancelledException}; every row completed before it
     * stays completed, and the next build resumes from them. A cancel that comes once every row of
     * the plan is completed changes nothing: the build returns its result.
     */
    public BuildResult build(BuildRequest request, Consumer<BuildProgress> listener, Cancellation control) {
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
        List<Device> devices = Devices.workers(request.devices(), request.cpuWorkers());
        OutputFunction outputFunction = OutputFunction.parse(run.output());
        Devices.checkAutocast(run.usesAutocast(), devices);

        try (Store store = Store.open(storeDir, true)) {
            StoreArrays arrays = StoreArrays.resolve(store, run.maskArray(), run.outputArray());
            String maskArray = arrays.maskArray();
            String outputArray = arrays.outputArray();
            // Before anything is recorded: a bad range must not pin the store's settings.
            RowPlan plan = RowPlan.of(store.numModels(), request.start(), request.end(), request.partition());
            EvalData data = new DataLoader().load(run.data());
            try (TorchModel first = TorchModel.load(modelFile, devices.getFirst()).selectOutput(run.modelOutput())) {
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
                BuildResult result;
                try {
                    result = runWorkers(request, recorded.run(), store, plan, components, data, outputFunction, devices, first,
                            listener, control, started);
                } catch (RuntimeException | Error e) {
                    if (recorded.first()) {
                        rollBack(store);
                    }
                    throw e;
                }
                // Outside the roll-back: a cancelled build keeps its settings and completed rows, to resume.
                if (control.isCancelled() && result.rowsCompletedInPlan() < result.rowsInPlan()) {
                    throw new JobCancelledException();
                }
                return result;
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
        RunConfig ours = run.toBuilder().optModelSha256(sha).optMaskArray(maskArray).optOutputArray(outputArray).build();
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
            recorded = recorded.toBuilder().optModelSha256(sha).optMaskArray(maskArray).optOutputArray(outputArray).build();
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

    private BuildResult runWorkers(BuildRequest request, RunConfig run, Store store, RowPlan plan, Components components,
                                   EvalData data, OutputFunction outputFunction, List<Device> devices, TorchModel first,
                                   Consumer<BuildProgress> listener, Cancellation cancellation, Instant started) {
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
        UnablatedReference unablated = new UnablatedReference(tracker, components.total());
        // Rows another process had claimed are revisited once the queue is empty, until they are
        // completed, or their claimer is gone and the claim can be taken over.
        Supplier<Candidate> rows = () -> {
            Long row = queue.poll();
            if (row != null) {
                return new Candidate(row, false);
            }
            row = claimedElsewhere.poll();
            return row == null ? null : new Candidate(row, true);
        };
        try (ReplicaPool pool = new ReplicaPool(first, devices, components, data, request.batchSize(), outputFunction,
                run.modelOutput(), run.usesAutocast())) {
            pool.run(rows, (worker, candidate) -> {
                unablated.measureOnce(worker);
                buildRow(request, run, store, candidate, claimedElsewhere, claims, components,
                        worker, tracker, cancellation);
            }, cancellation, tracker);
        }
        long completedInPlan = 0;
        for (long row = plan.start(); row < plan.end(); row++) {
            completedInPlan += store.isCompleted(row) ? 1 : 0;
        }
        return new BuildResult(tracker.built(), completedInPlan, plan.size(), Duration.between(started, Instant.now()));
    }

    /** A row to build; {@code revisit} when it was claimed by another process at an earlier look. */
    private record Candidate(long row, boolean revisit) {
    }

    private void buildRow(BuildRequest request, RunConfig run, Store store, Candidate candidate,
                                 ConcurrentLinkedQueue<Long> claimedElsewhere, RowClaims claims, Components components,
                                 ReplicaPool.Worker worker, ProgressTracker tracker, Cancellation cancellation) {
        long row = candidate.row();
        boolean revisit = candidate.revisit();
        if ((!request.rerun() || revisit) && store.isCompleted(row)) {
            return; // completed by another process since the queue was made
        }
        if (!claims.tryClaim(row)) {
            claimedElsewhere.add(row); // another process is building it
            if (revisit) {
                worker.status(WorkerStatus.WAITING);
                if (waitBeforeRevisit(cancellation)) {
                    worker.status(WorkerStatus.RUNNING);
                }
            }
            return;
        }
        try {
            if (store.isCompleted(row)) {
                if (!request.rerun() || revisit) {
                    return;
                }
                store.markPending(row);
            }
            boolean[] keep = RowMasks.keepMask(run.seed(), row, components.total(), run.alpha());
            AblatedEvaluator.Result result = rowEvaluation.evaluate(worker.evaluator(), row, keep, worker::stopRequested);
            if (result == null) {
                return; // cancelled mid-row: the row stays pending
            }
            store.writeRow(row, Map.of(run.maskArray(), keep, run.outputArray(), result.outputs()));
            tracker.rowBuilt(worker.index(), row, result);
        } finally {
            claims.release(row);
        }
    }

    /** Waits a moment before revisiting rows claimed elsewhere; false when cancelled meanwhile (an interrupt cancels). */
    private static boolean waitBeforeRevisit(Cancellation cancellation) {
        try {
            Thread.sleep(REVISIT_INTERVAL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancellation.cancel();
        }
        return !cancellation.isCancelled();
    }

}
