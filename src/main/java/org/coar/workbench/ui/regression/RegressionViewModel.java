package org.coar.workbench.ui.regression;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.fit.AttributionsSummary;
import org.coar.workbench.fit.FitBackend;
import org.coar.workbench.fit.FitConfig;
import org.coar.workbench.fit.FitConfigReader;
import org.coar.workbench.fit.FitConfigWriter;
import org.coar.workbench.fit.FitDevice;
import org.coar.workbench.fit.FitDevices;
import org.coar.workbench.fit.FitRequest;
import org.coar.workbench.fit.FitResult;
import org.coar.workbench.fit.RowCount;
import org.coar.workbench.fit.Solver;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;
import org.coar.workbench.ui.common.BackgroundJob;
import org.coar.workbench.ui.common.FormFields;
import org.coar.workbench.ui.common.ProjectState;
import org.coar.workbench.ui.common.TaskExecutor;

/** The Regression panel's state: solver settings (to and from the reference YAML), a fit run, its results. */
public final class RegressionViewModel {
    public static final int HISTOGRAM_BINS = 20;

    private final FitDevices devices;
    private final TaskExecutor tasks;
    private final ProjectState project;

    private final ObjectProperty<Solver> solver = new SimpleObjectProperty<>(Solver.OLS);
    private final StringProperty numTrain = new SimpleStringProperty("0.9");
    private final StringProperty numVal = new SimpleStringProperty("0.1");
    private final StringProperty splitSeed = new SimpleStringProperty("");
    private final StringProperty k = new SimpleStringProperty("20");
    private final StringProperty eps = new SimpleStringProperty("1e-4");
    private final StringProperty lambdas = new SimpleStringProperty("");
    private final StringProperty outDir = new SimpleStringProperty("");
    private final ObservableList<FitDevices.Choice> deviceChoices = FXCollections.observableArrayList(
            new FitDevices.Choice(FitDevice.AUTO, "Auto (looking for GPUs…)"), new FitDevices.Choice(FitDevice.CPU, "CPU (ND4J)"));
    private final ObjectProperty<FitDevices.Choice> device = new SimpleObjectProperty<>(deviceChoices.get(0));
    private final ReadOnlyStringWrapper deviceNote = new ReadOnlyStringWrapper("");

    private final ReadOnlyStringWrapper planText = new ReadOnlyStringWrapper("Open a store to see the fit's memory plan.");
    private final javafx.animation.PauseTransition planDelay = new javafx.animation.PauseTransition(javafx.util.Duration.millis(400));
    private long planRequest;

    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final ReadOnlyStringWrapper stage = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper resultText = new ReadOnlyStringWrapper("No fit yet in this window.");
    private final ObjectProperty<AttributionsSummary> summary = new SimpleObjectProperty<>();
    private final AtomicReference<Progress> latest = new AtomicReference<>();
    private Cancellation cancel;

    public RegressionViewModel(FitDevices devices, TaskExecutor tasks, ProjectState project) {
        this.devices = devices;
        this.tasks = tasks;
        this.project = project;
        Timeline throttle = new Timeline(new KeyFrame(javafx.util.Duration.millis(100), e -> showProgress()));
        throttle.setCycleCount(Timeline.INDEFINITE);
        throttle.play();
        project.storeProperty().addListener((obs, old, now) -> {
            outDir.set(now == null ? "" : now.resolve(org.coar.workbench.attributions.Attributions.DEFAULT_DIR).toString());
            summary.set(null);
        });
        if (project.storeProperty().get() != null) {
            outDir.set(project.storeProperty().get().resolve(org.coar.workbench.attributions.Attributions.DEFAULT_DIR).toString());
        }
        findDevices();
        // The plan follows the store, the split, the solver and the device, once the user pauses typing.
        planDelay.setOnFinished(e -> refreshPlan());
        for (javafx.beans.Observable input : List.of(project.storeProperty(), numTrain, numVal, splitSeed, solver, device)) {
            input.addListener(o -> planDelay.playFromStart());
        }
        refreshPlan();
    }

    /**
     * Works out, in the background, the memory plan a fit with the form's settings would follow
     * (reading no rows): method, precision, blocks and every large allocation against the budget,
     * or why no plan fits. Shown before the user starts the fit.
     */
    public void refreshPlan() {
        Path store = project.storeProperty().get();
        long id = ++planRequest;
        if (store == null) {
            planText.set("Open a store to see the fit's memory plan.");
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
                return devices.select(chosen).service().plan(new FitRequest(store, store.resolve("attributions"), config)).describe();
            } catch (WorkbenchException e) {
                return "No plan fits: " + e.getMessage();
            }
        }).onSuccess(text -> {
            if (id == planRequest) {
                planText.set(text);
            }
        }));
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

    /** The config the form describes; a field that does not parse is an error naming it. */
    public FitConfig config() {
        FitConfig.Builder config = FitConfig.builder()
                .optNumTrain(RowCount.parse(numTrain.get(), "Training rows"))
                .optNumVal(RowCount.parse(numVal.get(), "Validation rows"))
                .optSeed(splitSeed.get().isBlank() ? null : FormFields.wholeNumber(splitSeed.get(), "Split seed"))
                .optSolver(solver.get(), "chosen in the Regression panel");
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

    /** Fills the form from a reference regression YAML. */
    public void importConfig(Path file) {
        FitConfig config = new FitConfigReader().read(file);
        solver.set(config.solver());
        numTrain.set(text(config.numTrain()));
        numVal.set(text(config.numVal()));
        splitSeed.set(config.seed() == null ? "" : config.seed().toString());
        k.set(Integer.toString(config.k()));
        eps.set(Double.toString(config.eps()));
        lambdas.set(String.join(",", config.lambdas().stream().map(String::valueOf).toList()));
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
        latest.set(null);
        FitDevice chosen = device.get().device();
        tasks.submit(BackgroundJob.titled("Fitting attributions for " + store.getFileName(), p -> {
            FitBackend backend = devices.select(chosen);
            FitResult result = backend.service().fit(request, latest::set, thisCancel);
            return new Fitted(result, AttributionsSummary.read(result.outDir(), HISTOGRAM_BINS), backend.description());
        }).cancelWith(thisCancel::cancel).onSuccess(done -> {
            FitResult result = done.result();
            summary.set(done.summary());
            project.attributionsProperty().set(result.outDir());
            resultText.set(String.format(Locale.ROOT,
                    "%s on %s: %,d examples × %,d components; %,d training and %,d validation rows, final fit on %,d; median validation "
                            + "R² %.4f; %.1f s in all, peak memory %s (planned %s more than at the start). Written to %s",
                    result.solver().name().toLowerCase(Locale.ROOT), done.backend(), result.examples(),
                    result.components(), result.trainRows(), result.validationRows(), result.finalRows(), result.medianValidationR2(),
                    result.stageSeconds().getOrDefault("total", Double.NaN), gibibytes(result.peakRssBytes()),
                    gibibytes(result.plan().peakBytes()), result.outDir()));
        }).andFinally(() -> {
            running.set(false);
            showProgress();
        }));
    }

    private record Fitted(FitResult result, AttributionsSummary summary, String backend) {
    }

    private static String gibibytes(long bytes) {
        return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }

    public void cancel() {
        if (cancel != null) {
            cancel.cancel();
        }
    }

    private void showProgress() {
        Progress p = latest.get();
        if (p != null) {
            progress.set(p.fraction());
            stage.set(p.stage() + ": " + p.message());
        }
    }

    public ObjectProperty<Solver> solverProperty() { return solver; }
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
    public ReadOnlyStringProperty planTextProperty() { return planText.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty runningProperty() { return running.getReadOnlyProperty(); }
    public DoubleProperty progressProperty() { return progress; }
    public ReadOnlyStringProperty stageProperty() { return stage.getReadOnlyProperty(); }
    public ReadOnlyStringProperty resultTextProperty() { return resultText.getReadOnlyProperty(); }
    public ObjectProperty<AttributionsSummary> summaryProperty() { return summary; }
}
