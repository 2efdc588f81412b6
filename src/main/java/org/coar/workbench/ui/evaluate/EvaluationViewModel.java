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
 * the result (this window's run, or the report an earlier run left in the output directory).
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
    private Cancellation cancel;

    public EvaluationViewModel(Evaluator service, TaskExecutor tasks, ProjectState project) {
        this.service = service;
        this.tasks = tasks;
        this.project = project;
        result.addListener((obs, old, now) -> resultText.set(describe(now)));
        resultText.set(describe(null));
        project.attributionsProperty().addListener((obs, old, now) -> openAttributions(now));
        openAttributions(project.attributionsProperty().get());
    }

    /** Points the output at ATTRIBUTIONS/eval and shows the evaluation already there, if any. */
    private void openAttributions(Path attributions) {
        result.set(null);
        if (attributions == null) {
            outDir.set("");
            return;
        }
        Path out = attributions.resolve(EvaluationRequest.DEFAULT_OUT);
        outDir.set(out.toString());
        if (Files.exists(out.resolve(EvaluationFiles.REPORT))) {
            tasks.submit(BackgroundJob.titled("Reading the evaluation in " + out, p -> EvaluationFiles.read(out))
                    .onSuccess(read -> {
                        if (attributions.equals(project.attributionsProperty().get())) {
                            result.set(read);
                        }
                    }));
        }
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
                    result.set(done);
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

    private static String describe(EvaluationResult r) {
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
}
