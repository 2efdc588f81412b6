package org.coar.workbench.ui.regression;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.beans.Observable;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.util.Duration;
import org.coar.workbench.Sizes;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.attributions.Attributions;
import org.coar.workbench.fit.FitBackend;
import org.coar.workbench.fit.FitConfig;
import org.coar.workbench.fit.FitConfigReader;
import org.coar.workbench.fit.FitConfigWriter;
import org.coar.workbench.fit.FitDevice;
import org.coar.workbench.fit.FitDevices;
import org.coar.workbench.fit.FitPlan;
import org.coar.workbench.fit.FitRequest;
import org.coar.workbench.fit.FitResult;
import org.coar.workbench.fit.RowCount;
import org.coar.workbench.fit.Solver;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;
import org.coar.workbench.store.Store;
import org.coar.workbench.ui.common.BackgroundJob;
import org.coar.workbench.ui.common.FormFields;
import org.coar.workbench.ui.common.ProjectState;
import org.coar.workbench.ui.common.TaskExecutor;

/**
 * The Regression panel's state: solver settings (to and from the reference YAML) with a hint for
 * the solver in force, the memory plan those settings would follow, the fit's state while it runs
 * and how it ended, and the report of the fit the open store (or attributions directory) holds.
 */
public final class RegressionViewModel {
    /** Where the panel's fit stands; {@link #stateTextProperty()} says it in words. */
    public enum FitState {
        NO_STORE, LOOKING, NO_FIT, RUNNING, DONE, FAILED, CANCELLED
    }

    /** Runs a fit; the panel's is the backend's own service, tests may watch it. */
    @FunctionalInterface
    interface Fitter {
        FitResult fit(FitBackend backend, FitRequest request, Consumer<Progress> listener, Cancellation cancel);
    }

    static final String CHOSEN_HERE = "chosen in the Regression panel";
    static final String NO_STORE_PLAN = "Open a store to see the fit's memory plan.";

    private final FitDevices devices;
    private final TaskExecutor tasks;
    private final ProjectState project;
    private final Fitter fitter;

    private final ObjectProperty<Solver> solver = new SimpleObjectProperty<>(Solver.OLS);
    private final ReadOnlyStringWrapper solverReason = new ReadOnlyStringWrapper("default");
    private final ReadOnlyStringWrapper solverHint = new ReadOnlyStringWrapper("");
    private final StringProperty numTrain = new SimpleStringProperty("0.9");
    private final StringProperty numVal = new SimpleStringProperty("0.1");
    private final StringProperty splitSeed = new SimpleStringProperty("");
    private final StringProperty k = new SimpleStringProperty("20");
    private final StringProperty eps = new SimpleStringProperty("1e-4");
    private final StringProperty lambdas = new SimpleStringProperty("");
    private final StringProperty outDir = new SimpleStringProperty("");
    /** What the form does not show (target columns, bias, manual λ_max, …): the defaults, or the imported YAML's. */
    private FitConfig base = FitConfig.defaults();
    private boolean importing;
    private final ObservableList<FitDevices.Choice> deviceChoices = FXCollections.observableArrayList(
            new FitDevices.Choice(FitDevice.AUTO, "Auto (looking for GPUs…)"), new FitDevices.Choice(FitDevice.CPU, "CPU (ND4J)"));
    private final ObjectProperty<FitDevices.Choice> device = new SimpleObjectProperty<>(deviceChoices.get(0));
    private final ReadOnlyStringWrapper deviceNote = new ReadOnlyStringWrapper("");

    private final ReadOnlyStringWrapper planText = new ReadOnlyStringWrapper(NO_STORE_PLAN);
    private final ReadOnlyStringWrapper planDetails = new ReadOnlyStringWrapper("");
    private final ReadOnlyDoubleWrapper planMemoryUse = new ReadOnlyDoubleWrapper(-1);
    private final PauseTransition planDelay = new PauseTransition(Duration.millis(400));
    private long planRequest;

    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(0);
    private final ReadOnlyObjectWrapper<FitState> state = new ReadOnlyObjectWrapper<>(FitState.NO_STORE);
    private final ReadOnlyStringWrapper stateText = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<FitReport> report = new ReadOnlyObjectWrapper<>();
    private final AtomicReference<Progress> latest = new AtomicReference<>();
    private long reportRequest;
    private Cancellation cancel;
    private Path runningStore;

    public RegressionViewModel(FitDevices devices, TaskExecutor tasks, ProjectState project) {
        this(devices, tasks, project, (backend, request, listener, cancel) -> backend.service().fit(request, listener, cancel));
    }

    RegressionViewModel(FitDevices devices, TaskExecutor tasks, ProjectState project, Fitter fitter) {
        this.devices = devices;
        this.tasks = tasks;
        this.project = project;
        this.fitter = fitter;
        Timeline throttle = new Timeline(new KeyFrame(Duration.millis(100), e -> showProgress()));
        throttle.setCycleCount(Timeline.INDEFINITE);
        throttle.play();
        solver.addListener((obs, old, now) -> {
            if (!importing) {
                solverReason.set(CHOSEN_HERE);
            }
        });
        for (Observable input : List.of(solver, solverReason, numVal)) {
            input.addListener(o -> solverHint.set(hint()));
        }
        solverHint.set(hint());
        project.storeProperty().addListener((obs, old, now) -> showStore(now));
        project.attributionsProperty().addListener((obs, old, now) -> showAttributions(now));
        findDevices();
        // The plan follows the store, the split, the solver and the device, once the user pauses typing.
        planDelay.setOnFinished(e -> refreshPlan());
        for (Observable input : List.of(project.storeProperty(), numTrain, numVal, splitSeed, solver, device, k, eps, lambdas)) {
            input.addListener(o -> planDelay.playFromStart());
        }
        showStore(project.storeProperty().get());
        refreshPlan();
    }

    /** What the solver in force does, and why it is the one in force (the panel, a YAML's keys, the default). */
    private String hint() {
        String what = switch (solver.get()) {
            case OLS -> "Least squares (λ = 0), solved exactly: what every reference config asks for (k: 1, manual_max_lambda: 0).";
            case LASSO -> "Lasso path: k λ's from λ_max down to eps · λ_max (or the λ grid), each example keeping the λ with the "
                    + "least validation error, then refitted on all rows, as the reference does.";
            case RIDGE -> "Ridge path: every λ of the grid from one eigendecomposition, each example keeping the λ with the least "
                    + "validation error, then refitted on all rows.";
        };
        String why = switch (solverReason.get()) {
            case "default" -> " Solver: the default.";
            case CHOSEN_HERE -> " Solver: chosen here.";
            default -> " Solver from the imported config: " + solverReason.get() + ".";
        };
        boolean noValidation = solver.get() != Solver.OLS && numVal.get().trim().matches("0+(\\.0*)?");
        return what + why + (noValidation ? " It needs validation rows to choose λ: set Validation rows above 0." : "");
    }

    /**
     * Works out, in the background, the memory plan a fit with the form's settings would follow
     * (reading no rows): method, precision, blocks and the predicted peak against the budget, or
     * why no plan fits. Shown before the user starts the fit; a later request supersedes it.
     */
    public void refreshPlan() {
        Path store = project.storeProperty().get();
        long id = ++planRequest;
        planDetails.set("");
        planMemoryUse.set(-1);
        if (store == null) {
            planText.set(NO_STORE_PLAN);
            return;
        }
        FitConfig config;
        try {
            config = config();
        } catch (WorkbenchException e) {
            planText.set("No plan: " + e.getMessage());
            return;
        }
        FitDevice chosen = device.get().device();
        planText.set("Planning the fit…");
        tasks.submit(BackgroundJob.titled("Planning the fit", p -> {
            try {
                FitPlan plan = devices.select(chosen).service().plan(new FitRequest(store, store.resolve(Attributions.DEFAULT_DIR), config));
                return new PlanShown(summary(plan), plan.describe(), plan.peakBytes() / (double) plan.budget().bytes());
            } catch (WorkbenchException e) {
                return new PlanShown("No plan fits: " + e.getMessage(), "", -1);
            }
        }).unlisted().onSuccess(shown -> {
            if (id == planRequest) {
                planText.set(shown.summary());
                planDetails.set(shown.details());
                planMemoryUse.set(shown.memoryUse());
            }
        }));
    }

    private record PlanShown(String summary, String details, double memoryUse) {
    }

    /** The plan in two lines: how each fit is solved, then the predicted peak against the budget. */
    static String summary(FitPlan plan) {
        FitPlan.Shape shape = plan.shape();
        String method = switch (plan.finalMethod()) {
            case GRAM_PATH -> (shape.solver() == Solver.LASSO ? "Lasso" : "Ridge") + " path on the Gram form (every λ from one "
                    + Sizes.count(shape.components()) + " × " + Sizes.count(shape.components()) + " Gram)";
            case PRIMAL, DUAL, NONE -> "Least squares, final fit " + method(plan.finalMethod(), shape.components(),
                    shape.trainRows() + shape.validationRows())
                    + (plan.trainMethod() == FitPlan.Method.NONE ? ", no validation fit"
                    : ", validation fit " + method(plan.trainMethod(), shape.components(), shape.trainRows()));
        };
        String precision = plan.precision() == org.coar.workbench.fit.linalg.Precision.DOUBLE ? "float64" : "float32";
        String blocks = plan.blocks() == 1 ? "all " + Sizes.count(shape.examples()) + " outputs in one block"
                : plan.blocks() + " blocks of " + Sizes.count(plan.blockWidth()) + " outputs (the outputs are read once per block)";
        return method + "; " + precision + "; " + blocks + ".\nPredicted peak " + Sizes.human(plan.peakBytes()) + " beyond the "
                + "process's baseline, of a " + Sizes.human(plan.budget().bytes()) + " budget (" + plan.budget().source() + ").";
    }

    private static String method(FitPlan.Method method, int components, long rows) {
        return switch (method) {
            case PRIMAL -> "primal (Cholesky of the " + Sizes.count(components) + " × " + Sizes.count(components) + " Gram)";
            case DUAL -> "dual (minimum norm, the " + Sizes.count(rows) + " × " + Sizes.count(rows) + " kernel)";
            case GRAM_PATH, NONE -> method.name().toLowerCase(Locale.ROOT);
        };
    }

    /** Probes for GPUs in the background (loading the CUDA libraries takes a moment) and offers what it finds. */
    private void findDevices() {
        tasks.submit(BackgroundJob.titled("Looking for GPUs for the fit", p -> new FoundDevices(devices.choices(),
                devices.cuda().shortProblem().map(problem -> "No GPU for the fit: " + problem
                        + " ('coar fit --device cuda:0' says where it looked and how to fix it).").orElse(""))).onSuccess(found -> {
            FitDevice chosen = device.get().device();
            deviceChoices.setAll(found.choices());
            device.set(found.choices().stream().filter(c -> c.device().equals(chosen)).findFirst().orElse(found.choices().get(0)));
            deviceNote.set(found.note());
        }));
    }

    private record FoundDevices(List<FitDevices.Choice> choices, String note) {
    }

    /** The store changed: clear what the previous store showed, then show this store's fit, if it has one. */
    private void showStore(Path store) {
        long id = ++reportRequest;
        report.set(null);
        outDir.set(store == null ? "" : store.resolve(Attributions.DEFAULT_DIR).toString());
        if (store == null) {
            setState(FitState.NO_STORE, "No store open: open or build one, then fit it here.");
            return;
        }
        setState(FitState.LOOKING, "Looking for a fit of " + store + "…");
        tasks.submit(BackgroundJob.titled("Reading the fit of " + store.getFileName(), p -> {
            try (Store opened = Store.open(store, false)) {
                return new Found(store, Attributions.defaultFor(store).map(RegressionViewModel::readReport).orElse(null), freeOutDir(store));
            } catch (WorkbenchException e) {
                return new Found(store, new Loaded(store, null, "the store cannot be opened: " + e.getMessage()), "");
            }
        }).unlisted().onSuccess(found -> {
                    if (id == reportRequest) {
                        show(found);
                    }
                }));
    }

    /** An attributions directory was opened or fitted: show its report, unless it is already shown. */
    private void showAttributions(Path dir) {
        if (dir == null || report.get() != null && report.get().dir().equals(dir)) {
            return;
        }
        long id = ++reportRequest;
        setState(FitState.LOOKING, "Reading the fit in " + dir + "…");
        Path store = project.storeProperty().get();
        tasks.submit(BackgroundJob.titled("Reading the fit in " + dir.getFileName(), p -> new Found(store, readReport(dir),
                store == null ? "" : freeOutDir(store))).unlisted().onSuccess(found -> {
                    if (id == reportRequest) {
                        show(found);
                    }
                }));
    }

    /** A report, or why the directory's fit cannot be shown. */
    private record Loaded(Path dir, FitReport report, String problem) {
    }

    private record Found(Path store, Loaded loaded, String freeOutDir) {
    }

    private static Loaded readReport(Path dir) {
        try {
            return new Loaded(dir, FitReport.read(dir), null);
        } catch (WorkbenchException e) {
            return new Loaded(dir, null, e.getMessage());
        }
    }

    private void show(Found found) {
        if (!found.freeOutDir().isEmpty()) {
            outDir.set(found.freeOutDir());
        }
        Loaded loaded = found.loaded();
        if (loaded == null) {
            setState(FitState.NO_FIT, "No fit of this store yet: choose the settings and press Run fit.");
        } else if (loaded.report() == null && loaded.dir().equals(found.store())) {
            setState(FitState.NO_STORE, "No fit to show: " + loaded.problem());
        } else if (loaded.report() == null) {
            setState(FitState.NO_FIT, "The fit in " + loaded.dir() + " cannot be shown: " + loaded.problem());
        } else {
            report.set(loaded.report());
            setState(FitState.DONE, "Fitted earlier: the report of " + loaded.dir() + ".");
        }
    }

    /** {@code STORE/attributions}, or the first of attributions-2, -3, … that is free: a fit never overwrites one. */
    private static String freeOutDir(Path store) {
        Path dir = store.resolve(Attributions.DEFAULT_DIR);
        for (int n = 2; Files.exists(dir) && !isEmptyDirectory(dir); n++) {
            dir = store.resolve(Attributions.DEFAULT_DIR + "-" + n);
        }
        return dir.toString();
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** A running fit's state stays on show until it ends, whatever store or report the panel shows meanwhile. */
    private void setState(FitState now, String text) {
        if (running.get() && now != FitState.RUNNING) {
            return;
        }
        state.set(now);
        stateText.set(text);
    }

    /** The config the form describes, on top of what it does not show; a field that does not parse is an error naming it. */
    public FitConfig config() {
        FitConfig.Builder config = base.toBuilder()
                .optNumTrain(RowCount.parse(numTrain.get(), "Training rows"))
                .optNumVal(RowCount.parse(numVal.get(), "Validation rows"))
                .optSeed(splitSeed.get().isBlank() ? null : FormFields.wholeNumber(splitSeed.get(), "Split seed"))
                .optSolver(solver.get(), solverReason.get());
        if (solver.get() != Solver.OLS) {
            config.optK((int) FormFields.wholeNumber(k.get(), "k (λ's on the path)")).optEps(FormFields.number(eps.get(), "eps"))
                    .optLambdas(parseLambdas());
        }
        return config.build();
    }

    private List<Double> parseLambdas() {
        if (lambdas.get().isBlank()) {
            return List.of();
        }
        return Arrays.stream(lambdas.get().split(",")).map(t -> FormFields.number(t, "λ grid")).toList();
    }

    /** Fills the form from a reference regression YAML; its solver comes with the reason the config gives for it. */
    public void importConfig(Path file) {
        FitConfig config = new FitConfigReader().read(file);
        importing = true;
        try {
            base = config;
            solver.set(config.solver());
            solverReason.set(config.solverReason());
            numTrain.set(text(config.numTrain()));
            numVal.set(text(config.numVal()));
            splitSeed.set(config.seed() == null ? "" : config.seed().toString());
            k.set(Integer.toString(config.k()));
            eps.set(Double.toString(config.eps()));
            lambdas.set(String.join(",", config.lambdas().stream().map(String::valueOf).toList()));
        } finally {
            importing = false;
        }
    }

    private static String text(RowCount rows) {
        return rows.fraction() ? Double.toString(rows.value()) : Long.toString((long) rows.value());
    }

    public void exportConfig(Path file) {
        new FitConfigWriter().write(config(), file);
    }

    public void run() {
        Path store = project.storeProperty().get();
        if (store == null) {
            throw new WorkbenchException("No store is open: open or build one first");
        }
        if (outDir.get().isBlank()) {
            throw new WorkbenchException("Output directory: choose where the attributions go");
        }
        FitRequest request = new FitRequest(store, Path.of(outDir.get().trim()), config());
        Cancellation thisCancel = new Cancellation();
        cancel = thisCancel;
        running.set(true);
        runningStore = store;
        latest.set(null);
        progress.set(0);
        setState(FitState.RUNNING, "Running the fit of " + store.getFileName() + ": starting…");
        FitDevice chosen = device.get().device();
        tasks.submit(BackgroundJob.titled("Fitting attributions for " + store.getFileName(), p -> {
            FitBackend backend = devices.select(chosen);
            FitResult result = fitter.fit(backend, request, latest::set, thisCancel);
            return new Fitted(result, readReport(result.outDir()), backend.description());
        }).cancelWith(thisCancel::cancel).onSuccess(done -> {
            running.set(false);
            progress.set(1);
            FitResult result = done.result();
            if (!store.equals(project.storeProperty().get())) {
                showStore(project.storeProperty().get());
                return;
            }
            report.set(done.loaded().report());
            setState(FitState.DONE, String.format(Locale.ROOT, "Done: %s on %s in %.1f s, median validation R² %.3f; written to %s.",
                    result.solver().key(), done.backend(), result.stageSeconds().getOrDefault("total", Double.NaN),
                    result.medianValidationR2(), result.outDir())
                    + (done.loaded().report() == null ? " Its report cannot be shown: " + done.loaded().problem() : ""));
            outDir.set(freeOutDir(store));
            project.attributionsProperty().set(result.outDir());
        }).onCancelled(() -> ended(store, FitState.CANCELLED, "Cancelled: nothing was written to " + request.outDir() + "."))
                .onError(error -> ended(store, FitState.FAILED, "Failed: " + (error instanceof WorkbenchException
                        ? error.getMessage() : "unexpected error (" + error + "); the log has the details.")))
                .andFinally(() -> running.set(false)));
    }

    private void ended(Path store, FitState how, String text) {
        running.set(false);
        if (Objects.equals(store, project.storeProperty().get())) {
            setState(how, text);
        } else {
            showStore(project.storeProperty().get());
        }
    }

    private record Fitted(FitResult result, Loaded loaded, String backend) {
    }

    public void cancel() {
        if (cancel != null) {
            cancel.cancel();
        }
    }

    /** Copies the latest progress event into the state (the 100 ms timer calls it; so may tests). */
    void showProgress() {
        Progress p = latest.getAndSet(null);
        if (p != null && running.get()) {
            progress.set(p.fraction());
            stateText.set("Running the fit of " + runningStore.getFileName() + ": " + p.describe());
        }
    }

    public ObjectProperty<Solver> solverProperty() { return solver; }
    public ReadOnlyStringProperty solverReasonProperty() { return solverReason.getReadOnlyProperty(); }
    public ReadOnlyStringProperty solverHintProperty() { return solverHint.getReadOnlyProperty(); }
    public StringProperty numTrainProperty() { return numTrain; }
    public StringProperty numValProperty() { return numVal; }
    public StringProperty splitSeedProperty() { return splitSeed; }
    public StringProperty kProperty() { return k; }
    public StringProperty epsProperty() { return eps; }
    public StringProperty lambdasProperty() { return lambdas; }
    public StringProperty outDirProperty() { return outDir; }
    public ObservableList<FitDevices.Choice> deviceChoices() { return deviceChoices; }
    public ObjectProperty<FitDevices.Choice> deviceProperty() { return device; }
    public ReadOnlyStringProperty deviceNoteProperty() { return deviceNote.getReadOnlyProperty(); }
    /** The plan in brief, or why there is none. */
    public ReadOnlyStringProperty planTextProperty() { return planText.getReadOnlyProperty(); }
    /** The plan as {@code coar fit --plan} prints it, with every large allocation; empty without a plan. */
    public ReadOnlyStringProperty planDetailsProperty() { return planDetails.getReadOnlyProperty(); }
    /** The plan's predicted peak as a fraction of the budget; −1 without a plan. */
    public ReadOnlyDoubleProperty planMemoryUseProperty() { return planMemoryUse.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty runningProperty() { return running.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty progressProperty() { return progress.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<FitState> stateProperty() { return state.getReadOnlyProperty(); }
    public ReadOnlyStringProperty stateTextProperty() { return stateText.getReadOnlyProperty(); }
    /** The fit shown: the open store's, the opened attributions directory's, or the one just run; null when none. */
    public ReadOnlyObjectProperty<FitReport> reportProperty() { return report.getReadOnlyProperty(); }
}
