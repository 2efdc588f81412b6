package org.coar.workbench.ui.evaluate;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.attributions.ExampleBrowser;
import org.coar.workbench.edit.EditMode;
import org.coar.workbench.edit.EditRequest;
import org.coar.workbench.edit.EditResult;
import org.coar.workbench.edit.ExampleSet;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;
import org.coar.workbench.ui.common.BackgroundJob;
import org.coar.workbench.ui.common.FormFields;
import org.coar.workbench.ui.common.ProjectState;
import org.coar.workbench.ui.common.TaskExecutor;
import org.coar.workbench.ui.common.ThrottledProgress;

/**
 * The edit half of the Evaluate &amp; Edit panel: target and reference examples (typed, or taken from
 * the table's selection), k, mode, an optional sweep over k, saving the edited model; the result
 * as accuracy before and after.
 */
public final class EditViewModel {
    /** One line of the before/after table. */
    public record SubsetRow(String subset, int examples, double accuracyBefore, double accuracyAfter, double marginBefore,
                            double marginAfter) {
    }

    /** What runs an edit: {@link org.coar.workbench.edit.EditService#edit} in the app, a fake in tests. */
    @FunctionalInterface
    public interface Editor {
        EditResult edit(EditRequest request, Consumer<Progress> progress, Cancellation cancel);
    }

    static final String CANCELLED = "Cancelled; nothing was saved.";

    private final Editor service;
    private final TaskExecutor tasks;
    private final ProjectState project;
    private final ReadOnlyObjectProperty<ExampleBrowser> browser;

    private final ObservableList<ExampleBrowser.ExampleRow> rows = FXCollections.observableArrayList();
    private final FilteredList<ExampleBrowser.ExampleRow> filtered = new FilteredList<>(rows, r -> true);
    private final BooleanProperty misclassifiedOnly = new SimpleBooleanProperty();
    private final StringProperty target = new SimpleStringProperty("");
    private final StringProperty reference = new SimpleStringProperty("rest");
    private final StringProperty k = new SimpleStringProperty("5");
    private final ObjectProperty<EditMode> mode = new SimpleObjectProperty<>(EditMode.BOTTOMK);
    private final StringProperty sweepMax = new SimpleStringProperty("20");
    private final BooleanProperty saveModel = new SimpleBooleanProperty(true);
    private final StringProperty savePath = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");

    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private final ThrottledProgress progress = new ThrottledProgress();
    private final ObjectProperty<EditResult> result = new SimpleObjectProperty<>();
    private final ObservableList<SubsetRow> comparison = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper resultText = new ReadOnlyStringWrapper("");
    private Cancellation cancel;

    public EditViewModel(Editor service, TaskExecutor tasks, ProjectState project, ReadOnlyObjectProperty<ExampleBrowser> browser) {
        this.service = service;
        this.tasks = tasks;
        this.project = project;
        this.browser = browser;
        browser.addListener((obs, old, now) -> {
            rows.setAll(now == null ? List.of() : now.examples());
            result.set(null);
            checkExamples();
        });
        if (browser.get() != null) {
            rows.setAll(browser.get().examples());
        }
        misclassifiedOnly.addListener((obs, old, now) -> filtered.setPredicate(r -> !now || r.misclassified()));
        target.addListener((obs, old, now) -> checkExamples());
        reference.addListener((obs, old, now) -> checkExamples());
        project.attributionsProperty().addListener((obs, old, now) -> savePath.set(defaultSavePath(now)));
        savePath.set(defaultSavePath(project.attributionsProperty().get()));
        result.addListener((obs, old, now) -> showResult(now));
        showResult(null);
        checkExamples();
    }

    private static String defaultSavePath(Path attributions) {
        return attributions == null ? "" : attributions.resolve(EditRequest.DEFAULT_OUT).resolve("edited.pt").toString();
    }

    /** The syntax and ranges of the example sets, checked as they are typed (sets that depend on the model wait for the run). */
    private void checkExamples() {
        if (rows.isEmpty()) {
            problem.set("Examples appear once attributions are open.");
            return;
        }
        if (target.get().isBlank()) {
            problem.set("Choose target examples: select rows and press \"Target ← selection\", or type e.g. 17, 10-20, misclassified:1.");
            return;
        }
        int[] labels = rows.stream().mapToInt(ExampleBrowser.ExampleRow::label).toArray();
        try {
            ExampleSet.check("Target", target.get(), labels, false);
            ExampleSet.check("Reference", reference.get(), labels, true);
            problem.set("");
        } catch (WorkbenchException e) {
            problem.set(e.getMessage());
        }
    }

    public void useAsTarget(Collection<ExampleBrowser.ExampleRow> selected) {
        target.set(ExampleSet.format(selected.stream().mapToInt(ExampleBrowser.ExampleRow::index).toArray()));
    }

    public void useAsReference(Collection<ExampleBrowser.ExampleRow> selected) {
        reference.set(ExampleSet.format(selected.stream().mapToInt(ExampleBrowser.ExampleRow::index).toArray()));
    }

    public EditRequest request() {
        Path store = project.storeProperty().get();
        Path attributions = project.attributionsProperty().get();
        if (store == null || attributions == null || browser.get() == null) {
            throw new WorkbenchException("No attributions open: fit them in the Regression panel, or open them in the Attributions panel");
        }
        if (!problem.get().isEmpty()) {
            throw new WorkbenchException(problem.get());
        }
        int components = browser.get().components().total();
        int chosenK = (int) FormFields.wholeNumber(k.get(), "k (components to ablate)");
        Integer sweep = sweepMax.get().isBlank() ? null : (int) FormFields.wholeNumber(sweepMax.get(), "Sweep k up to");
        if (chosenK < 1 || chosenK > components) {
            throw new WorkbenchException("k: choose between 1 and " + components + " (the number of components), got " + chosenK);
        }
        if (sweep != null && (sweep < 1 || sweep > components)) {
            throw new WorkbenchException("Sweep k up to: choose between 1 and " + components + ", or leave it empty for no sweep");
        }
        Path save = null;
        if (saveModel.get()) {
            if (savePath.get().isBlank()) {
                throw new WorkbenchException("Edited model: choose a file to save it to, or untick \"Save the edited model\"");
            }
            save = Path.of(savePath.get().trim());
        }
        return new EditRequest(store, attributions, target.get().trim(), reference.get().trim(), chosenK, mode.get(), sweep, save,
                attributions.resolve(EditRequest.DEFAULT_OUT), List.of(), 0, 100);
    }

    public void run() {
        EditRequest request = request();
        Cancellation thisCancel = new Cancellation();
        cancel = thisCancel;
        running.set(true);
        progress.start();
        tasks.submit(BackgroundJob.titled("Editing with " + request.k() + " components", p -> service.edit(request, progress.listener(), thisCancel))
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

    private void showResult(EditResult r) {
        if (r == null) {
            comparison.clear();
            resultText.set("No edit yet in this window.");
            return;
        }
        comparison.setAll(
                row("target", r.before().target(), r.after().target()),
                row("reference", r.before().reference(), r.after().reference()),
                row("all examples", r.before().all(), r.after().all()));
        String ablated = String.join(", ", r.ablated().stream()
                .map(c -> String.format(Locale.ROOT, "%s (t = %.2f)", c.label(), c.score())).toList());
        String saved = r.saved() == null ? "The edited model was not saved."
                : String.format(Locale.ROOT, "Edited model saved to %s (reloaded: outputs within %.1e of the edit).", r.saved(),
                        r.reloadMaxAbsDifference());
        resultText.set(String.format(Locale.ROOT, "Ablated %d components (%s): %s.%n%s Report: %s", r.ablated().size(), r.mode().cliName(),
                ablated, saved, r.report()) + r.warnings().stream().map(w -> System.lineSeparator() + "Warning: " + w)
                .collect(java.util.stream.Collectors.joining()));
    }

    private static SubsetRow row(String name, EditResult.SubsetMetrics before, EditResult.SubsetMetrics after) {
        return new SubsetRow(name, before.examples(), before.accuracy(), after.accuracy(), before.meanMargin(), after.meanMargin());
    }

    public FilteredList<ExampleBrowser.ExampleRow> examples() { return filtered; }
    public BooleanProperty misclassifiedOnlyProperty() { return misclassifiedOnly; }
    public StringProperty targetProperty() { return target; }
    public StringProperty referenceProperty() { return reference; }
    public StringProperty kProperty() { return k; }
    public ObjectProperty<EditMode> modeProperty() { return mode; }
    public StringProperty sweepMaxProperty() { return sweepMax; }
    public BooleanProperty saveModelProperty() { return saveModel; }
    public StringProperty savePathProperty() { return savePath; }
    public ReadOnlyStringProperty problemProperty() { return problem.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty runningProperty() { return running.getReadOnlyProperty(); }
    public ThrottledProgress progress() { return progress; }
    public ObjectProperty<EditResult> resultProperty() { return result; }
    public ObservableList<SubsetRow> comparison() { return comparison; }
    public ReadOnlyStringProperty resultTextProperty() { return resultText.getReadOnlyProperty(); }
}
