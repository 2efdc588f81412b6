package org.coar.workbench.ui.evaluate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.evaluation.Baseline;
import org.coar.workbench.evaluation.EvaluationFiles;
import org.coar.workbench.evaluation.EvaluationRequest;
import org.coar.workbench.evaluation.EvaluationResult;
import org.coar.workbench.evaluation.EvaluationService;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;
import org.coar.workbench.ui.common.BackgroundJob;
import org.coar.workbench.ui.common.FormFields;
import org.coar.workbench.ui.common.ProjectState;
import org.coar.workbench.ui.common.TaskExecutor;
import org.coar.workbench.ui.common.ThrottledProgress;

/**
 * The evaluation half of the Evaluate &amp; Edit panel: settings, a run with per-stage progress, and
 * the result (this window's run, or the report an earlier run left in the output directory) with
 * the arrays its charts need: every method's per-example correlations, and the runs of the example
 * the user picks. It always shows the open store's attributions' evaluation, never an earlier store's.
 */
public final class EvaluationViewModel {
    /** What runs an evaluation: {@link EvaluationService#evaluate} in the app, a fake in tests. */
    @FunctionalInterface
    public interface Evaluator {
        EvaluationResult evaluate(EvaluationRequest request, Consumer<Progress> progress, Cancellation cancel);
    }

    static final String CANCELLED = "Cancelled; the leave-one-out rows computed so far stay cached for the next run.";

    private final Evaluator service;
    private final TaskExecutor tasks;
    private final ProjectState project;

    private final StringProperty alphas = new SimpleStringProperty(join(EvaluationRequest.DEFAULT_ALPHAS));
    private final StringProperty runs = new SimpleStringProperty(Integer.toString(EvaluationRequest.DEFAULT_RUNS));
    private final BooleanProperty leaveOneOut = new SimpleBooleanProperty(true);
    private final BooleanProperty gradientTimesParameter = new SimpleBooleanProperty(true);
    private final BooleanProperty weightNorm = new SimpleBooleanProperty(true);
    private final StringProperty outDir = new SimpleStringProperty("");

    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private final ThrottledProgress progress = new ThrottledProgress();
    private final ObjectProperty<EvaluationResult> result = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper resultText = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<EvaluationFiles.Correlations> correlations = new ReadOnlyObjectWrapper<>();
    private final ObjectProperty<Integer> example = new SimpleObjectProperty<>();
    private final ReadOnlyObjectWrapper<EvaluationFiles.ExampleRuns> exampleRuns = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper exampleText = new ReadOnlyStringWrapper("");
    private Cancellation cancel;
    /** The store that was open when the shown attributions were opened: a new store clears them. */
    private Path shownStore;

    public EvaluationViewModel(Evaluator service, TaskExecutor tasks, ProjectState project) {
        this.service = service;
        this.tasks = tasks;
        this.project = project;
        result.addListener((obs, old, now) -> {
            resultText.set(describe(now));
            readArrays(now);
        });
        resultText.set(describe(null));
        example.addListener((obs, old, now) -> readExample(result.get(), now));
        project.attributionsProperty().addListener((obs, old, now) -> openAttributions(now));
        project.storeProperty().addListener((obs, old, now) -> {
            if (!java.util.Objects.equals(now, shownStore)) {
                // Attributions the new store did not bring stay the previous store's: show nothing of them.
                openAttributions(null);
            }
        });
        openAttributions(project.attributionsProperty().get());
    }

    /** Points the output at ATTRIBUTIONS/eval and shows the evaluation already there, if any. */
    private void openAttributions(Path attributions) {
        result.set(null);
        Path store = project.storeProperty().get();
        shownStore = store;
        if (attributions == null || store == null) {
            outDir.set("");
            resultText.set(describe(null));
            return;
        }
        Path out = attributions.resolve(EvaluationRequest.DEFAULT_OUT);
        outDir.set(out.toString());
        resultText.set(describe(null));
        if (Files.exists(out.resolve(EvaluationFiles.REPORT))) {
            tasks.submit(BackgroundJob.titled("Reading the evaluation in " + out, p -> EvaluationFiles.read(out))
                    .onSuccess(read -> {
                        if (stillShowing(store, attributions)) {
                            result.set(read);
                        }
                    }));
        }
    }

    private boolean stillShowing(Path store, Path attributions) {
        return attributions.equals(project.attributionsProperty().get()) && store.equals(project.storeProperty().get())
                && store.equals(shownStore);
    }

    /** Reads the per-example correlations of {@code shown}, then the runs of the example the evaluation picked. */
    private void readArrays(EvaluationResult shown) {
        correlations.set(null);
        exampleRuns.set(null);
        exampleText.set("");
        example.set(null);
        if (shown == null) {
            return;
        }
        tasks.submit(BackgroundJob.titled("Reading the correlations in " + shown.outDir(), p -> EvaluationFiles.readCorrelations(shown))
                .onSuccess(read -> {
                    if (result.get() == shown) {
                        correlations.set(read);
                        example.set(Math.min(Math.max(shown.scatterExample(), 0), read.examples() - 1));
                    }
                }));
    }

    /** Reads one example's actual and predicted outputs over the runs, for the scatter. */
    private void readExample(EvaluationResult shown, Integer chosen) {
        if (shown == null || chosen == null) {
            exampleRuns.set(null);
            exampleText.set("");
            return;
        }
        tasks.submit(BackgroundJob.titled("Reading example " + chosen + " of the evaluation", p -> EvaluationFiles.readExample(shown, chosen))
                .unlisted() // one read per example the user steps through: a failure shows beside the chooser, not as a dialog each time
                .onSuccess(read -> {
                    if (result.get() == shown && chosen.equals(example.get())) {
                        exampleRuns.set(read);
                        exampleText.set(describeExample(shown, read));
                    }
                })
                .onError(error -> {
                    if (result.get() == shown && chosen.equals(example.get())) {
                        exampleRuns.set(null);
                        exampleText.set("Cannot show example " + chosen + ": " + error.getMessage());
                    }
                }));
    }

    private static String describeExample(EvaluationResult r, EvaluationFiles.ExampleRuns runs) {
        if (runs.predicted().isEmpty()) {
            return "This evaluation was saved before the workbench kept every method's predictions (report version 1 or 2): "
                    + "run it again to plot predicted against actual outputs for any example.";
        }
        return String.format(Locale.ROOT, "Example %d over the %d fresh ablated models per α: x is the ablated model's "
                + "output, y the method's prediction (the PNG that coar eval wrote shows example %d).", runs.example(), r.runs(),
                r.scatterExample());
    }

    public EvaluationRequest request() {
        Path store = project.storeProperty().get();
        Path attributions = project.attributionsProperty().get();
        if (store == null || attributions == null) {
            throw new WorkbenchException("No attributions open: fit them in the Regression panel, or open them in the Attributions panel");
        }
        List<Double> alphaList = new ArrayList<>();
        for (String token : alphas.get().split(",")) {
            if (!token.isBlank()) {
                alphaList.add(FormFields.number(token, "α's (e.g. 0.025, 0.05, 0.1)"));
            }
        }
        int runCount = (int) FormFields.wholeNumber(runs.get(), "Runs per α");
        Set<Baseline> baselines = EnumSet.noneOf(Baseline.class);
        if (leaveOneOut.get()) {
            baselines.add(Baseline.LEAVE_ONE_OUT);
        }
        if (gradientTimesParameter.get()) {
            baselines.add(Baseline.GRADIENT_X_PARAMETER);
        }
        if (weightNorm.get()) {
            baselines.add(Baseline.WEIGHT_NORM);
        }
        if (outDir.get().isBlank()) {
            throw new WorkbenchException("Output directory: choose where the report and figures go");
        }
        return new EvaluationRequest(store, attributions, Path.of(outDir.get().trim()), alphaList, runCount, null, baselines, List.of(),
                0, 100, null);
    }
    public void run() {
        EvaluationRequest request = request();
        Cancellation thisCancel = new Cancellation();
        cancel = thisCancel;
        running.set(true);
        progress.start();
        tasks.submit(BackgroundJob.titled("Evaluating " + request.attributionsDir().getFileName(), p -> service.evaluate(request, progress.listener(), thisCancel))
                .cancelWith(thisCancel::cancel)
                .onSuccess(done -> {
                    if (stillShowing(request.storeDir(), request.attributionsDir())) {
                        result.set(done);
                    }
                    progress.finish("Finished.", true);
                })
                .onCancelled(() -> progress.finish(CANCELLED, false))
                .onError(error -> progress.finish("Failed.", false))
                .andFinally(() -> running.set(false)));
    }

    public void cancel() {
        if (cancel != null) {
            cancel.cancel();
        }
    }

    private String describe(EvaluationResult r) {
        if (r == null && outDir.get().isBlank()) {
            return "No attributions of this store open: fit them in the Regression panel, or open them in the Attributions panel.";
        }
        if (r == null) {
            return "No evaluation of these attributions yet: run one to see how well they predict fresh ablations.";
        }
        String text = String.format(Locale.ROOT, "%d fresh ablated models per α (seed %d). Cells: mean (median) correlation over examples "
                + "between actual and predicted outputs. Report: %s", r.runs(), r.evaluationSeed(), r.report());
        if (r.validation() != null && r.validation().rows() > 0) {
            text += String.format(Locale.ROOT, "%nStore rows (%,d, %s): COAR %.3f (median %.3f), no model runs.", r.validation().rows(),
                    r.validation().description(), r.validation().summary().mean(), r.validation().summary().median());
        }
        return text;
    }

    private static String join(List<Double> values) {
        return String.join(", ", values.stream().map(String::valueOf).toList());
    }

    public StringProperty alphasProperty() { return alphas; }
    public StringProperty runsProperty() { return runs; }
    public BooleanProperty leaveOneOutProperty() { return leaveOneOut; }
    public BooleanProperty gradientTimesParameterProperty() { return gradientTimesParameter; }
    public BooleanProperty weightNormProperty() { return weightNorm; }
    public StringProperty outDirProperty() { return outDir; }
    public ReadOnlyBooleanProperty runningProperty() { return running.getReadOnlyProperty(); }
    public ThrottledProgress progress() { return progress; }
    public ObjectProperty<EvaluationResult> resultProperty() { return result; }
    public ReadOnlyStringProperty resultTextProperty() { return resultText.getReadOnlyProperty(); }
    /** Every method's per-example correlation of the shown evaluation; null until read. */
    public ReadOnlyObjectProperty<EvaluationFiles.Correlations> correlationsProperty() { return correlations.getReadOnlyProperty(); }
    /** The example whose runs the scatter shows; null while no evaluation is shown. */
    public ObjectProperty<Integer> exampleProperty() { return example; }
    /** The chosen example's actual and predicted outputs over the runs; null until read. */
    public ReadOnlyObjectProperty<EvaluationFiles.ExampleRuns> exampleRunsProperty() { return exampleRuns.getReadOnlyProperty(); }
    public ReadOnlyStringProperty exampleTextProperty() { return exampleText.getReadOnlyProperty(); }
}
