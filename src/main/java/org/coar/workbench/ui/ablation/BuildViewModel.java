package org.coar.workbench.ui.ablation;

import ai.djl.Device;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.ablation.BuildProgress;
import org.coar.workbench.ablation.BuildRequest;
import org.coar.workbench.ablation.BuildResult;
import org.coar.workbench.ablation.BuildService;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.model.BatchSize;
import org.coar.workbench.model.DeviceReport;
import org.coar.workbench.model.Devices;
import org.coar.workbench.store.Store;
import org.coar.workbench.ablation.TaskRecord;
import org.coar.workbench.ui.common.BackgroundJob;
import org.coar.workbench.ui.common.DialogService;
import org.coar.workbench.ui.common.FormFields;
import org.coar.workbench.ui.common.ProjectState;
import org.coar.workbench.ui.common.TaskExecutor;

/**
 * The Build panel's state: the store, its recorded settings and completion, the devices, the range, and the build's
 * commands. The build's live figures and charts are {@link BuildFigures}, the SLURM script {@link SlurmScriptForm}.
 * <p>Its length (about 430 lines) is what changes together when a store opens or a build starts: opening a store
 * clears everything the previous one showed, and a build's progress shows only while its store is the open one.
 */
public final class BuildViewModel {
    static final String DEFAULT_ALPHA = "0.05";
    static final String DEFAULT_SEED = "0";

    private final BuildService service;
    /** Titles of the jobs this view model runs. */
    static final String FINDING_DEVICES = "Looking for devices";
    static final String READING_STORE = "Reading store ";
    static final String REFRESHING_STORE = "Refreshing store ";

    private final TaskExecutor tasks;
    private final ProjectState project;
    private final DialogService dialogs;


    private final ObservableList<DeviceOption> devices = FXCollections.observableArrayList();
    private final StringProperty alpha = new SimpleStringProperty(DEFAULT_ALPHA);
    private final StringProperty seed = new SimpleStringProperty(DEFAULT_SEED);
    private final StringProperty batchSize = new SimpleStringProperty("auto");
    private final StringProperty cpuWorkers = new SimpleStringProperty("");
    private final StringProperty start = new SimpleStringProperty("");
    private final StringProperty end = new SimpleStringProperty("");
    private final StringProperty partition = new SimpleStringProperty("");
    private final ReadOnlyBooleanWrapper settingsRecorded = new ReadOnlyBooleanWrapper();
    /** Every row of the store is built: Start has nothing to do. */
    private final ReadOnlyBooleanWrapper storeComplete = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper storeSummary = new ReadOnlyStringWrapper("No store open.");
    private final ReadOnlyStringWrapper runSummary = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper deviceNote = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper resultText = new ReadOnlyStringWrapper("");

    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private final BooleanProperty paused = new SimpleBooleanProperty();
    private final BuildFigures figures = new BuildFigures();
    /** Every process filling the store (this window's builds, other terminals, SLURM tasks), from its task records. */
    private final ObservableList<TaskRecord> tasksFillingStore = FXCollections.observableArrayList();

    private final SlurmScriptForm slurm = new SlurmScriptForm();

    private Cancellation control;
    private final Timeline watcher = new Timeline(new KeyFrame(javafx.util.Duration.seconds(2), e -> refreshStoreSummary()));
    private boolean refreshing;
    /** The store whose run.json the panel shows; until it is the project's store, starting would ignore what run.json says. */
    private Path storeShown;
    /** The store the running (or last) build fills; its progress shows only while that store is the project's. */
    private Path buildStore;

    public BuildViewModel(BuildService service, TaskExecutor tasks, ProjectState project, DialogService dialogs) {
        this.service = service;
        this.tasks = tasks;
        this.project = project;
        this.dialogs = dialogs;
        Timeline throttle = new Timeline(new KeyFrame(javafx.util.Duration.millis(100), e -> showLatestProgress()));
        throttle.setCycleCount(Timeline.INDEFINITE);
        throttle.play();
        project.storeProperty().addListener((obs, old, now) -> {
            clearForNewStore(now);
            readStore(now);
        });
        // A store other processes fill (e.g. cluster jobs) shows its completion growing.
        watcher.setCycleCount(Timeline.INDEFINITE);
        watcher.play();
        tasks.submit(BackgroundJob.titled(FINDING_DEVICES, p -> {
            DeviceReport report = DeviceReport.inspect();
            if (!report.engineLoaded()) {
                throw new WorkbenchException("PyTorch: " + report.engineProblem());
            }
            List<Device> available = Devices.available();
            Map<Integer, String> gpuNames = available.stream().anyMatch(Device::isGpu) ? Devices.gpuNames() : Map.of();
            int cores = Runtime.getRuntime().availableProcessors();
            List<DeviceOption> options = new ArrayList<>();
            boolean anyGpu = available.stream().anyMatch(Device::isGpu);
            for (Device device : available) {
                options.add(new DeviceOption(Devices.name(device), Devices.describe(device, gpuNames, Devices.memory(device), cores),
                        device.isGpu() || !anyGpu));
            }
            return new FoundDevices(options, noGpuNote(report));
        }).onSuccess(this::setDevices));
        readStore(project.storeProperty().get());
    }

    private record FoundDevices(List<DeviceOption> options, String noGpuNote) {
    }

    /** Shown under the devices when none is a GPU: why (as 'coar doctor' says it), and how to get one. */
    static String noGpuNote(DeviceReport report) {
        if (report.anyGpuUsable()) {
            return "";
        }
        return (report.problems().isEmpty() ? "No GPU found by the PyTorch natives" : String.join(". ", report.problems()))
                + ". ('coar doctor' shows what the workbench sees.)";
    }

    private void setDevices(FoundDevices found) {
        devices.setAll(found.options());
        deviceNote.set(found.noGpuNote());
    }

    /** What the panel shows of a store, read off the FX thread. */
    private record StoreStatus(String summary, long completed, long rows, List<TaskRecord> tasks) {
    }

    private record OpenedStore(Optional<RunConfig> recorded, StoreStatus status) {
    }

    /**
     * Another store (or none): nothing of the previous store stays, neither its settings, range, workers, figures and
     * charts, nor the last build's result, while the new one is read (or when reading it fails).
     */
    private void clearForNewStore(Path store) {
        storeShown = null;
        settingsRecorded.set(false);
        storeComplete.set(false);
        alpha.set(DEFAULT_ALPHA);
        seed.set(DEFAULT_SEED);
        start.set("");
        end.set("");
        partition.set("");
        runSummary.set("");
        storeSummary.set(store == null ? "" : "Reading " + store + " …");
        tasksFillingStore.clear();
        figures.clear();
        boolean otherBuildRunning = running.get() && !Objects.equals(store, buildStore);
        resultText.set(otherBuildRunning ? "A build of " + buildStore + " is still running; its progress shows when that store is "
                + "open again." : "");
    }

    /** Reads the store's run.json and completion in the background, and shows them if the store is still the project's. */
    private void readStore(Path store) {
        slurm.setStore(store);
        if (store == null) {
            storeShown = null;
            showRecorded(null, Optional.empty());
            showStatus(readStatus(null));
            return;
        }
        tasks.submit(BackgroundJob.titled(READING_STORE + store.getFileName(),
                p -> new OpenedStore(RunConfig.exists(store) ? Optional.of(RunConfig.read(store)) : Optional.empty(), readStatus(store)))
                .onSuccess(opened -> {
                    if (store.equals(project.storeProperty().get())) {
                        storeShown = store;
                        showRecorded(store, opened.recorded());
                        showStatus(opened.status());
                    }
                })
                .onError(failure -> {
                    // The dialog has said why; the panel says the store is not open rather than keep a stale view.
                    if (store.equals(project.storeProperty().get())) {
                        storeSummary.set(store + " — could not be opened: " + failure.getMessage());
                    }
                }));
    }

    private void showRecorded(Path store, Optional<RunConfig> recorded) {
        settingsRecorded.set(recorded.isPresent());
        if (recorded.isEmpty()) {
            alpha.set(DEFAULT_ALPHA);
            seed.set(DEFAULT_SEED);
        }
        recorded.ifPresentOrElse(run -> {
            alpha.set(String.valueOf(run.alpha()));
            seed.set(String.valueOf(run.seed()));
            runSummary.set("Settings recorded in run.json: model " + Path.of(run.model()).getFileName() + ", data "
                    + Path.of(run.data().path()).getFileName() + ", output " + run.output() + ", α " + run.alpha()
                    + ", seed " + run.seed() + ".");
        }, () -> runSummary.set(store == null ? "" : "First build: uses the model, data and component groups chosen in the Spec panel."));
    }

    /** A store other processes fill (e.g. cluster jobs) shows its completion growing. */
    private void refreshStoreSummary() {
        Path store = project.storeProperty().get();
        if (store == null || refreshing) {
            return;
        }
        refreshing = true;
        tasks.submit(BackgroundJob.titled(REFRESHING_STORE + store.getFileName(), p -> readStatus(store)).unlisted()
                .onSuccess(status -> {
                    if (store.equals(project.storeProperty().get())) {
                        showStatus(status);
                    }
                })
                .andFinally(() -> refreshing = false));
    }

    private static StoreStatus readStatus(Path store) {
        if (store == null) {
            return new StoreStatus("No store open. Initialise one in the Spec panel, or open an existing store.", 0, 0, List.of());
        }
        String summary;
        long done = 0;
        long total = 0;
        try (Store opened = Store.open(store, false)) {
            done = opened.completedCount();
            total = opened.numModels();
            summary = String.format(Locale.ROOT, "%s — %,d / %,d rows completed (%.1f%%)", store, done, total, 100.0 * done / total)
                    + (total > 0 && done >= total ? ": complete, nothing left to build" : "");
        } catch (RuntimeException e) {
            summary = store + " — " + e.getMessage();
        }
        return new StoreStatus(summary, done, total, TaskRecord.readAll(store));
    }

    private void showStatus(StoreStatus status) {
        storeSummary.set(status.summary());
        tasksFillingStore.setAll(status.tasks());
        storeComplete.set(status.rows() > 0 && status.completed() >= status.rows());
        if (!showsRunningBuild() && status.rows() > 0) {
            // Idle: the bar shows the store itself, which other processes may be filling.
            figures.showStore(status.completed(), status.rows());
        }
    }

    /** Asks for a store directory and makes it the project's store. */
    public void openStore() {
        dialogs.chooseDirectory("Open a store directory").ifPresent(dir -> project.storeProperty().set(dir));
    }

    /** The Start command: starts the build, or says in a dialog why it cannot. */
    public void startBuild() {
        dialogs.attempt("Cannot start the build", this::start);
    }

    /** Starts (or resumes) building the project's store with the panel's settings; refuses bad settings by throwing. */
    public void start() {
        Path store = project.storeProperty().get();
        if (store == null) {
            throw new WorkbenchException("No store is open: initialise one in the Spec panel or open one with Ctrl+O");
        }
        if (!store.equals(storeShown)) {
            throw new WorkbenchException("Still reading " + store + ": start the build again once its settings are shown");
        }
        if (storeComplete.get()) {
            throw new WorkbenchException(store + ": every row is built, so there is nothing to build. Fit it in the Regression "
                    + "panel, or make a new store (Spec panel) for more rows");
        }
        RunConfig requested = settingsRecorded.get()
                ? RunConfig.builder().build()
                : RunConfig.builder().optModel(project.modelProperty().get() == null ? null : project.modelProperty().get().toString())
                        .optData(project.dataProperty().get()).optOutput(project.outputFunctionProperty().get().cliName())
                        .optAlpha(parseAlpha()).optSeed(FormFields.wholeNumber(seed.get(), "Seed"))
                        .optInclude(project.includedGroupsProperty().get())
                        .optComponents(project.componentPresetProperty().get().cliName()).build();
        if (!settingsRecorded.get() && (requested.model() == null || requested.data() == null)) {
            throw new WorkbenchException("This store has no run.json yet: open its model and choose its evaluation data in the "
                    + "Spec panel first, then start the build");
        }
        RunConfig run = service.resolveRun(store, requested);
        List<String> chosen = devices.stream().filter(d -> d.selectedProperty().get()).map(DeviceOption::name).toList();
        if (chosen.isEmpty()) {
            throw new WorkbenchException("Choose at least one device");
        }
        BuildRequest request = new BuildRequest(store, run, chosen, cpuWorkers.get().isBlank() ? 0 : SlurmScriptForm.positive(cpuWorkers.get(), "CPU workers"),
                optionalLong(start.get(), "Start row"), optionalLong(end.get(), "End row"),
                partition.get().isBlank() ? null : partition.get().trim(), BatchSize.parse(batchSize.get()), false,
                Duration.ofHours(1));
        control = new Cancellation();
        Cancellation thisControl = control;
        buildStore = store;
        figures.buildStarted(run.output());
        resultText.set("");
        running.set(true);
        paused.set(false);
        tasks.submit(BackgroundJob.titled("Building " + store.getFileName(), taskProgress -> service.build(request, event -> {
                    figures.offer(event);
                    taskProgress.accept(event.progress());
                }, thisControl))
                .cancelWith(thisControl::cancel)
                .onSuccess((BuildResult result) -> showResult(store, String.format(Locale.ROOT,
                        "Built %,d rows in %s; %,d / %,d rows of this range completed.",
                        result.rowsBuilt(), BuildFigures.format(result.elapsed()), result.rowsCompletedInPlan(), result.rowsInPlan())))
                .onCancelled(() -> showResult(store, cancelledText(figures.latest())))
                .andFinally(() -> {
                    showLatestProgress();
                    running.set(false);
                    paused.set(false);
                    if (store.equals(project.storeProperty().get())) {
                        readStore(store);
                    } else {
                        resultText.set("");
                    }
                }));
    }

    /** A build runs, and its store is the one the panel shows. */
    private boolean showsRunningBuild() {
        return running.get() && Objects.equals(project.storeProperty().get(), buildStore);
    }

    /** What a build's end says, shown only while its store is the project's. */
    private void showResult(Path store, String text) {
        if (store.equals(project.storeProperty().get())) {
            resultText.set(text);
        }
    }

    /** A cancelled build keeps its completed rows; the last snapshot says how many. */
    private static String cancelledText(BuildProgress last) {
        return last == null ? "Cancelled; the rows completed so far stay in the store."
                : String.format(Locale.ROOT, "Cancelled; %,d / %,d rows of this range completed, and they stay in the store.",
                last.progress().done(), last.progress().total());
    }

    public void togglePause() {
        if (control == null || !running.get()) {
            return;
        }
        if (control.isPaused()) {
            control.resume();
            paused.set(false);
        } else {
            control.pause();
            paused.set(true);
        }
        figures.pausedChanged(paused.get());
    }

    public void cancel() {
        if (control != null) {
            control.cancel();
        }
    }

    private void showLatestProgress() {
        if (Objects.equals(project.storeProperty().get(), buildStore)) {
            figures.showLatest(paused.get());
        }
    }

    /** A worker's rows per second, blank before its first row. */
    public static String workerRate(BuildProgress.WorkerState worker) {
        return worker.rowsBuilt() == 0 ? "" : String.format(Locale.ROOT, "%.2f", worker.rowsPerSecond());
    }

    /** GPU memory in use on a worker's device, blank for the CPU. */
    public static String workerMemory(BuildProgress.WorkerState worker) {
        return worker.memoryUsedBytes() < 0 ? "" : String.format(Locale.ROOT, "%.1f GiB", worker.memoryUsedBytes() / 1073741824.0);
    }

    private double parseAlpha() {
        try {
            double value = Double.parseDouble(alpha.get().trim());
            if (!(value > 0 && value < 1)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new WorkbenchException("α: expected a fraction between 0 and 1 (e.g. 0.05), got '" + alpha.get() + "'");
        }
    }

    private static Long optionalLong(String text, String field) {
        return text == null || text.isBlank() ? null : FormFields.wholeNumber(text, field);
    }

    public ObservableList<DeviceOption> devices() { return devices; }
    public StringProperty alphaProperty() { return alpha; }
    public StringProperty seedProperty() { return seed; }
    public StringProperty batchSizeProperty() { return batchSize; }
    public StringProperty cpuWorkersProperty() { return cpuWorkers; }
    public StringProperty startProperty() { return start; }
    public StringProperty endProperty() { return end; }
    public StringProperty partitionProperty() { return partition; }
    public ReadOnlyBooleanProperty settingsRecordedProperty() { return settingsRecorded.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty storeCompleteProperty() { return storeComplete.getReadOnlyProperty(); }
    public ReadOnlyStringProperty storeSummaryProperty() { return storeSummary.getReadOnlyProperty(); }
    public ReadOnlyStringProperty runSummaryProperty() { return runSummary.getReadOnlyProperty(); }
    public ReadOnlyStringProperty deviceNoteProperty() { return deviceNote.getReadOnlyProperty(); }
    /** What the last build in this window did. */
    public ReadOnlyStringProperty resultTextProperty() { return resultText.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty runningProperty() { return running.getReadOnlyProperty(); }
    public BooleanProperty pausedProperty() { return paused; }
    /** The bar, rows, rows/s, ETA, workers and charts. */
    public BuildFigures figures() { return figures; }
    public ReadOnlyStringProperty rowsTextProperty() { return figures.rowsTextProperty(); }
    public ObservableList<BuildProgress.WorkerState> workers() { return figures.workers(); }
    public ObservableList<TaskRecord> tasksFillingStore() { return tasksFillingStore; }
    /** The SLURM array script for the store. */
    public SlurmScriptForm slurm() { return slurm; }

    public void shutdown() {
        cancel();
        watcher.stop();
    }
}
