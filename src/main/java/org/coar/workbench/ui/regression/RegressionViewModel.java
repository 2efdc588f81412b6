package org.coar.workbench.ui.regression;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.fit.AttributionsSummary;
import org.coar.workbench.fit.FitConfig;
import org.coar.workbench.fit.FitConfigReader;
import org.coar.workbench.fit.FitConfigWriter;
import org.coar.workbench.fit.FitProgress;
import org.coar.workbench.fit.FitRequest;
import org.coar.workbench.fit.FitResult;
import org.coar.workbench.fit.FitService;
import org.coar.workbench.fit.RowCount;
import org.coar.workbench.fit.Solver;
import org.coar.workbench.ui.common.BackgroundTasks;
import org.coar.workbench.ui.common.FormFields;
import org.coar.workbench.ui.common.ProjectState;

/** The Regression panel's state: solver settings (to and from the reference YAML), a fit run, its results. */
public final class RegressionViewModel {
    public static final int HISTOGRAM_BINS = 20;

    private final FitService service;
    private final BackgroundTasks tasks;
    private final ProjectState project;

    private final ObjectProperty<Solver> solver = new SimpleObjectProperty<>(Solver.OLS);
    private final StringProperty numTrain = new SimpleStringProperty("0.9");
    private final StringProperty numVal = new SimpleStringProperty("0.1");
    private final StringProperty splitSeed = new SimpleStringProperty("");
    private final StringProperty k = new SimpleStringProperty("20");
    private final StringProperty eps = new SimpleStringProperty("1e-4");
    private final StringProperty lambdas = new SimpleStringProperty("");
    private final StringProperty outDir = new SimpleStringProperty("");

    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final ReadOnlyStringWrapper stage = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper resultText = new ReadOnlyStringWrapper("No fit yet in this window.");
    private final ObjectProperty<AttributionsSummary> summary = new SimpleObjectProperty<>();
    private final AtomicReference<FitProgress> latest = new AtomicReference<>();
    private AtomicBoolean cancel;

    public RegressionViewModel(FitService service, BackgroundTasks tasks, ProjectState project) {
        this.service = service;
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
    }

    /** The config the form describes; a field that does not parse is an error naming it. */
    public FitConfig config() {
        FitConfig config = FitConfig.defaults()
                .withSplit(rows(numTrain.get(), "Training rows"), rows(numVal.get(), "Validation rows"),
                        splitSeed.get().isBlank() ? null : FormFields.wholeNumber(splitSeed.get(), "Split seed"))
                .withSolver(solver.get(), "chosen in the Regression panel");
        if (solver.get() != Solver.OLS) {
            config = config.withPath((int) FormFields.wholeNumber(k.get(), "k (λ's on the path)"), FormFields.number(eps.get(), "eps"),
                    config.manualMaxLambda(), parseLambdas(), config.includeZeroLambda());
        }
        return config;
    }

    private List<Double> parseLambdas() {
        if (lambdas.get().isBlank()) {
            return List.of();
        }
        return Arrays.stream(lambdas.get().split(",")).map(t -> FormFields.number(t, "λ grid")).toList();
    }

    private static RowCount rows(String text, String field) {
        String t = text.trim();
        try {
            if (t.contains(".")) {
                double fraction = Double.parseDouble(t);
                if (fraction < 0 || fraction > 1) {
                    throw new NumberFormatException();
                }
                return RowCount.fractionOf(fraction);
            }
            return RowCount.of(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new WorkbenchException(field + ": a row count (e.g. 45000) or a fraction of the completed rows (e.g. 0.9), got '" + text + "'");
        }
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
        AtomicBoolean thisCancel = new AtomicBoolean();
        cancel = thisCancel;
        running.set(true);
        latest.set(null);
        tasks.run("Fitting attributions for " + store.getFileName(), p -> {
            FitResult result = service.fit(request, latest::set, thisCancel);
            return new Object[] {result, AttributionsSummary.read(result.outDir(), HISTOGRAM_BINS)};
        }, done -> {
            FitResult result = (FitResult) done[0];
            summary.set((AttributionsSummary) done[1]);
            project.attributionsProperty().set(result.outDir());
            resultText.set(String.format(Locale.ROOT,
                    "%s: %,d examples × %,d components; %,d training and %,d validation rows, final fit on %,d; median validation R² %.4f; "
                            + "%.1f s in all, peak memory %s (planned %s more than at the start). Written to %s",
                    result.solver().name().toLowerCase(Locale.ROOT), result.examples(), result.components(), result.trainRows(),
                    result.validationRows(), result.finalRows(), result.medianValidationR2(),
                    result.stageSeconds().getOrDefault("total", Double.NaN), gibibytes(result.peakRssBytes()),
                    gibibytes(result.plan().peakBytes()), result.outDir()));
        }, () -> {
            running.set(false);
            showProgress();
        });
    }

    private static String gibibytes(long bytes) {
        return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }

    public void cancel() {
        if (cancel != null) {
            cancel.set(true);
        }
    }

    private void showProgress() {
        FitProgress p = latest.get();
        if (p != null) {
            progress.set(p.fraction());
            stage.set(p.stage().label() + ": " + p.message());
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
    public ReadOnlyBooleanProperty runningProperty() { return running.getReadOnlyProperty(); }
    public DoubleProperty progressProperty() { return progress; }
    public ReadOnlyStringProperty stageProperty() { return stage.getReadOnlyProperty(); }
    public ReadOnlyStringProperty resultTextProperty() { return resultText.getReadOnlyProperty(); }
    public ObjectProperty<AttributionsSummary> summaryProperty() { return summary; }
}
