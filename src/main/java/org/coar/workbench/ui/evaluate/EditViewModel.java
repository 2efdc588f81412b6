package org.coar.workbench.ui.evaluate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
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
import org.coar.workbench.attributions.Attributions;
import org.coar.workbench.attributions.ExampleBrowser;
import org.coar.workbench.edit.EditFiles;
import org.coar.workbench.edit.EditMode;
import org.coar.workbench.edit.EditRequest;
import org.coar.workbench.edit.EditResult;
import org.coar.workbench.edit.EditedModelEvaluation;
import org.coar.workbench.edit.ExampleSet;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;
import org.coar.workbench.ui.common.BackgroundJob;
import org.coar.workbench.ui.common.DialogService;
import org.coar.workbench.ui.common.FormFields;
import org.coar.workbench.ui.common.ProjectState;
import org.coar.workbench.ui.common.TaskExecutor;
import org.coar.workbench.ui.common.ThrottledProgress;

/**
 * The edit half of the Evaluate &amp; Edit panel: target and reference examples (typed, or taken from
 * the table's selection), k and mode, or an explicit set of components sent by another panel; an
 * optional sweep over k, the output folder and the edited model's file. The result, a fresh edit's
 * or the one found in the output folder when attributions open: accuracy before and after, the
 * ablated components, the examples the edit flipped, the sweep; and an evaluation of the saved
 * edited model per label.
 */
public final class EditViewModel {
    /** One line of the before/after table. */
    public record SubsetRow(String subset, int examples, double accuracyBefore, double accuracyAfter, double marginBefore,
                            double marginAfter) {
    }

    /** An example the edit flipped, with its label: {@code fixed} when it went from wrong to right. */
    public record FlipRow(int example, int label, float marginBefore, float marginAfter, boolean fixed) {
        public String change() {
            return fixed ? "wrong → right" : "right → wrong";
        }
    }

    /** One label's (or, {@code label} null, every example's) accuracy and mean margin, store model against edited model. */
    public record LabelRow(String label, int examples, double accuracyBefore, double accuracyAfter, double marginBefore,
                           double marginAfter) {
    }

    /** What runs an edit: {@link org.coar.workbench.edit.EditService#edit} in the app, a fake in tests. */
    @FunctionalInterface
    public interface Editor {
        EditResult edit(EditRequest request, Consumer<Progress> progress, Cancellation cancel);
    }

    /** What evaluates a saved edited model on the store's examples: {@link EditedModelEvaluation} in the app. */
    @FunctionalInterface
    public interface EditedModelEvaluator {
        EditedModelEvaluation.Result evaluate(Path store, Path editedModel, Path outDir, Consumer<Progress> progress, Cancellation cancel);
    }

    static final String CANCELLED = "Cancelled; nothing was saved.";
    static final String NO_EDIT = "No edit yet for these attributions.";

    private final Editor service;
    private final EditedModelEvaluator evaluator;
    private final TaskExecutor tasks;
    private final ProjectState project;
    private final ReadOnlyObjectProperty<ExampleBrowser> browser;
    private final DialogService dialogs;

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
    private final StringProperty outDir = new SimpleStringProperty("");
    private final ReadOnlyObjectWrapper<List<Integer>> explicitComponents = new ReadOnlyObjectWrapper<>(List.of());
    private final ReadOnlyStringWrapper explicitText = new ReadOnlyStringWrapper("");
    /** Counts the sets another panel sent, so the view can come forward for each (and not for a set read back from a report). */
    private final ReadOnlyIntegerWrapper setsReceived = new ReadOnlyIntegerWrapper();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");

    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private final ThrottledProgress progress = new ThrottledProgress();
    private final ObjectProperty<EditResult> result = new SimpleObjectProperty<>();
    private final ObservableList<SubsetRow> comparison = FXCollections.observableArrayList();
    private final ObservableList<EditResult.AblatedComponent> ablated = FXCollections.observableArrayList();
    private final ObservableList<FlipRow> flips = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper flipsText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper resultText = new ReadOnlyStringWrapper("");
    private final ObservableList<LabelRow> editedByLabel = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper editedText = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper evaluating = new ReadOnlyBooleanWrapper();
    private Cancellation cancel;
    /** Counts store and attributions changes, so a job started for earlier ones does not show its outcome on later ones. */
    private int generation;
    /** The attributions the browser was opened on (it outlives a store change that brings no attributions of its own). */
    private Path browserAttributions;

    public EditViewModel(Editor service, EditedModelEvaluator evaluator, TaskExecutor tasks, ProjectState project,
                         ReadOnlyObjectProperty<ExampleBrowser> browser, DialogService dialogs) {
        this.service = service;
        this.evaluator = evaluator;
        this.tasks = tasks;
        this.project = project;
        this.browser = browser;
        this.dialogs = dialogs;
        misclassifiedOnly.addListener((obs, old, now) -> filtered.setPredicate(r -> !now || r.misclassified()));
        target.addListener((obs, old, now) -> checkExamples());
        reference.addListener((obs, old, now) -> checkExamples());
        outDir.addListener((obs, old, now) -> {
            // the edited model goes with the edit unless the user chose another file for it
            if (savePath.get().isBlank() || savePath.get().equals(defaultSavePath(old))) {
                savePath.set(defaultSavePath(now));
            }
        });
        explicitComponents.addListener((obs, old, now) -> showExplicitSet());
        result.addListener((obs, old, now) -> showResult(now));
        project.storeProperty().addListener((obs, old, now) -> storeChanged(now));
        project.componentsToAblateProperty().addListener((obs, old, now) -> {
            if (now != null && !now.isEmpty()) {
                explicitComponents.set(List.copyOf(now));
                setsReceived.set(setsReceived.get() + 1);
            }
        });
        browser.addListener((obs, old, now) -> {
            browserAttributions = now == null ? null : project.attributionsProperty().get();
            openAttributions(now);
        });
        browserAttributions = browser.get() == null ? null : project.attributionsProperty().get();
        openAttributions(browser.get());
        if (!project.componentsToAblateProperty().get().isEmpty()) {
            explicitComponents.set(List.copyOf(project.componentsToAblateProperty().get()));
        }
    }

    private static String defaultSavePath(String outDir) {
        return outDir == null || outDir.isBlank() ? "" : Path.of(outDir).resolve("edited.pt").toString();
    }

    /**
     * Another store: nothing of the previous one stays. When its attributions are the ones already
     * open (back to a store shown before), no new attributions will arrive, so they are shown again
     * now; otherwise the tab stays empty until the store's attributions open.
     */
    private void storeChanged(Path store) {
        explicitComponents.set(List.of());
        Path attributions = project.attributionsProperty().get();
        boolean sameAttributions = store != null && attributions != null && attributions.equals(browserAttributions)
                && Attributions.defaultFor(store).map(attributions::equals).orElse(false);
        if (sameAttributions && browser.get() != null) {
            openAttributions(browser.get());
        } else {
            openAttributions(null);
        }
    }

    /** New attributions (or none): their examples, the default output folder, and the edit found there, if any. */
    private void openAttributions(ExampleBrowser now) {
        generation++;
        rows.setAll(now == null ? List.of() : now.examples());
        result.set(null);
        Path attributions = now == null ? null : project.attributionsProperty().get();
        outDir.set(now == null || attributions == null ? "" : attributions.resolve(EditRequest.DEFAULT_OUT).toString());
        checkExamples();
        showExplicitSet();
        if (now != null && attributions != null) {
            loadPrevious(attributions.resolve(EditRequest.DEFAULT_OUT));
        }
    }

    /** Shows the edit saved in {@code dir}, if there is one, with its settings in the form. */
    private void loadPrevious(Path dir) {
        int opened = generation;
        tasks.submit(BackgroundJob.titled("Reading the edit in " + dir, p -> EditFiles.exists(dir) ? EditFiles.read(dir) : null)
                .unlisted()
                .onSuccess(report -> {
                    if (report == null || opened != generation || running.get()) {
                        return;
                    }
                    if (report.mode() == EditMode.EXPLICIT) {
                        explicitComponents.set(report.ablated().stream().map(EditResult.AblatedComponent::index).toList());
                    } else {
                        mode.set(report.mode());
                        k.set(Integer.toString(report.k()));
                        sweepMax.set(report.sweep().isEmpty() ? "" : Integer.toString(report.sweep().size()));
                    }
                    target.set(report.targetSpec());
                    reference.set(report.referenceSpec());
                    if (report.saved() != null) {
                        savePath.set(report.saved().toString());
                    }
                    result.set(report.toResult());
                    resultText.set("The edit saved in " + dir + (report.provenance().created() == null ? "" : " on "
                            + report.provenance().created()) + "." + System.lineSeparator() + resultText.get());
                })
                .onError(error -> {
                    if (opened == generation) {
                        resultText.set("The edit in " + dir + " cannot be shown: " + error.getMessage());
                    }
                }));
    }

    /** The syntax and ranges of the example sets, checked as they are typed (sets that depend on the model wait for the run). */
    private void checkExamples() {
        if (rows.isEmpty()) {
            problem.set("Examples appear once attributions are open.");
            return;
        }
        boolean explicit = !explicitComponents.get().isEmpty();
        if (target.get().isBlank() && !explicit) {
            problem.set("Choose target examples: select rows and press \"Use the selection as target\", or type e.g. 17, 10-20, "
                    + "misclassified:1.");
            return;
        }
        int[] labels = rows.stream().mapToInt(ExampleBrowser.ExampleRow::label).toArray();
        try {
            if (!target.get().isBlank()) {
                ExampleSet.check("Target", target.get(), labels, false);
            }
            ExampleSet.check("Reference", reference.get(), labels, true);
            problem.set("");
        } catch (WorkbenchException e) {
            problem.set(e.getMessage());
        }
    }

    private void showExplicitSet() {
        List<Integer> set = explicitComponents.get();
        ExampleBrowser open = browser.get();
        if (set.isEmpty()) {
            explicitText.set("");
        } else {
            String names = set.stream().limit(12).map(c -> open != null && c >= 0 && c < open.components().total()
                    ? open.components().label(c) : "#" + c).collect(Collectors.joining(", "));
            explicitText.set("Ablating exactly " + (set.size() == 1 ? "1 component" : set.size() + " components") + ": " + names
                    + (set.size() > 12 ? ", …" : "") + ". The target is optional; k, mode and sweep do not apply.");
        }
        checkExamples();
    }

    /** Back from an explicit set to the k best of the ranking; the set is no longer the one to ablate anywhere. */
    public void clearExplicitSet() {
        explicitComponents.set(List.of());
        project.componentsToAblateProperty().set(List.of());
    }

    public void useAsTarget(Collection<ExampleBrowser.ExampleRow> selected) {
        target.set(ExampleSet.format(selected.stream().mapToInt(ExampleBrowser.ExampleRow::index).toArray()));
    }

    public void useAsReference(Collection<ExampleBrowser.ExampleRow> selected) {
        reference.set(ExampleSet.format(selected.stream().mapToInt(ExampleBrowser.ExampleRow::index).toArray()));
    }

    /** A point of the sweep chart: k becomes that point's k, with the ranking the sweep was made with (k = 0, the unedited model, is no edit). */
    public void takeSweepK(int sweptK) {
        EditResult shown = result.get();
        if (sweptK < 1 || shown == null || shown.sweep().isEmpty()) {
            return;
        }
        if (!explicitComponents.get().isEmpty()) {
            clearExplicitSet();
        }
        mode.set(shown.mode());
        k.set(Integer.toString(sweptK));
    }

    /** Asks the window to show this component's page. */
    public void showComponent(int component) {
        project.focusedComponentProperty().set(null);
        project.focusedComponentProperty().set(component);
    }

    /** Asks the window to show this example's page. */
    public void showExample(int example) {
        project.focusedExampleProperty().set(null);
        project.focusedExampleProperty().set(example);
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
        Path save = null;
        if (saveModel.get()) {
            if (savePath.get().isBlank()) {
                throw new WorkbenchException("Edited model: choose a file to save it to, or untick \"Save the edited model\"");
            }
            save = Path.of(savePath.get().trim());
        }
        if (outDir.get().isBlank()) {
            throw new WorkbenchException("Output folder: choose where the edit's report goes (the default is " + attributions.resolve(
                    EditRequest.DEFAULT_OUT) + ")");
        }
        Path out = Path.of(outDir.get().trim());
        if (!explicitComponents.get().isEmpty()) {
            for (int c : explicitComponents.get()) {
                if (c < 0 || c >= components) {
                    throw new WorkbenchException("Components to ablate: component " + c + " is out of range; these attributions have "
                            + components + " components (0.." + (components - 1) + ")");
                }
            }
            return EditRequest.explicit(store, attributions, explicitComponents.get(), target.get().trim(), reference.get().trim(), save,
                    out, List.of(), 0, 100, false);
        }
        int chosenK = (int) FormFields.wholeNumber(k.get(), "k (components to ablate)");
        Integer sweep = sweepMax.get().isBlank() ? null : (int) FormFields.wholeNumber(sweepMax.get(), "Sweep k up to");
        if (chosenK < 1 || chosenK > components) {
            throw new WorkbenchException("k: choose between 1 and " + components + " (the number of components), got " + chosenK);
        }
        if (sweep != null && (sweep < 1 || sweep > components)) {
            throw new WorkbenchException("Sweep k up to: choose between 1 and " + components + ", or leave it empty for no sweep");
        }
        return new EditRequest(store, attributions, target.get().trim(), reference.get().trim(), chosenK, mode.get(), sweep, save,
                out, List.of(), 0, 100);
    }

    /**
     * Runs the edit. An earlier edit in the output folder (or an existing file where the edited model
     * goes) is never replaced silently: the user replaces it, writes to a fresh folder beside it, or
     * stops.
     */
    public void run() {
        EditRequest request = request();
        if (EditFiles.exists(request.outDir()) || (request.save() != null && Files.exists(request.save()))) {
            Path fresh = freshFolder(request.outDir());
            boolean modelInside = request.save() != null && request.save().toAbsolutePath().normalize()
                    .startsWith(request.outDir().toAbsolutePath().normalize());
            String what = EditFiles.exists(request.outDir()) ? "An earlier edit is saved in " + request.outDir()
                    + (request.save() != null && Files.exists(request.save()) && !modelInside ? ", and " + request.save() + " exists" : "")
                    : "The edited model file " + request.save() + " exists";
            int answer = dialogs.ask("Replace the earlier edit?", what + ". Replace it with this edit, or write this edit to "
                    + fresh + " and keep it?", "Replace it", "Write to " + fresh.getFileName());
            if (answer < 0) {
                return;
            }
            if (answer == 1) {
                outDir.set(fresh.toString());
                request = request();
            }
        }
        submit(request);
    }

    /** {@code dir}-2, -3, … : the first name beside {@code dir} that nothing uses yet. */
    static Path freshFolder(Path dir) {
        Path parent = dir.toAbsolutePath().normalize().getParent();
        String name = dir.getFileName().toString();
        for (int n = 2; ; n++) {
            Path candidate = parent.resolve(name + "-" + n);
            if (!Files.exists(candidate)) {
                return candidate;
            }
        }
    }

    private void submit(EditRequest request) {
        Cancellation thisCancel = new Cancellation();
        cancel = thisCancel;
        int started = generation;
        running.set(true);
        progress.start();
        String title = request.mode() == EditMode.EXPLICIT ? "Editing: ablating the " + request.k() + " chosen components"
                : "Editing with " + request.k() + " components";
        tasks.submit(BackgroundJob.titled(title, p -> service.edit(request, progress.listener(), thisCancel))
                .cancelWith(thisCancel::cancel)
                .onSuccess(done -> {
                    if (started == generation) {
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

    /** Runs the saved edited model (the shown edit's file) and the store's model on every example: accuracy and margin per label. */
    public void evaluateEditedModel() {
        EditResult shown = result.get();
        Path store = project.storeProperty().get();
        if (shown == null || store == null) {
            throw new WorkbenchException("No edit to evaluate: apply an edit first (with \"Save the edited model\" ticked)");
        }
        if (shown.saved() == null) {
            throw new WorkbenchException("This edit did not save the edited model: tick \"Save the edited model\" and apply it again");
        }
        Path out = shown.report().getParent();
        int started = generation;
        Cancellation thisCancel = new Cancellation();
        evaluating.set(true);
        editedText.set("Evaluating " + shown.saved() + " …");
        tasks.submit(BackgroundJob.titled("Evaluating the edited model " + shown.saved().getFileName(),
                        p -> evaluator.evaluate(store, shown.saved(), out, p, thisCancel))
                .cancelWith(thisCancel::cancel)
                .onSuccess(done -> {
                    if (started == generation && result.get() == shown) {
                        showEvaluation(done);
                    }
                })
                .onCancelled(() -> editedText.set("Evaluation cancelled."))
                .onError(error -> editedText.set("Evaluation failed: " + error.getMessage()))
                .andFinally(() -> evaluating.set(false)));
    }

    private void showEvaluation(EditedModelEvaluation.Result done) {
        editedByLabel.setAll(done.byLabel().stream().map(r -> new LabelRow(r.label() == null ? "all" : Integer.toString(r.label()),
                r.before().examples(), r.before().accuracy(), r.after().accuracy(), r.before().meanMargin(), r.after().meanMargin()))
                .toList());
        EditedModelEvaluation.LabelRow all = done.all();
        editedText.set(String.format(Locale.ROOT, "%s on all %d examples: accuracy %.3f (the store's model: %.3f). Table: %s",
                done.editedModel().getFileName(), all.after().examples(), all.after().accuracy(), all.before().accuracy(), done.table()));
    }

    private void showResult(EditResult r) {
        editedByLabel.clear();
        editedText.set("");
        if (r == null) {
            comparison.clear();
            ablated.clear();
            flips.clear();
            flipsText.set("");
            resultText.set(NO_EDIT);
            return;
        }
        comparison.setAll(
                row("target", r.before().target(), r.after().target()),
                row("reference", r.before().reference(), r.after().reference()),
                row("all examples", r.before().all(), r.after().all()));
        ablated.setAll(r.ablated());
        showFlips(r);
        String saved = r.saved() == null ? "The edited model was not saved."
                : Double.isNaN(r.reloadMaxAbsDifference()) ? "Edited model saved to " + r.saved() + "."
                : String.format(Locale.ROOT, "Edited model saved to %s (reloaded: outputs within %.1e of the edit).", r.saved(),
                        r.reloadMaxAbsDifference());
        String how = r.mode() == EditMode.EXPLICIT ? "the components chosen" : r.mode().cliName();
        resultText.set(String.format(Locale.ROOT, "Ablated %d components (%s). %s Report: %s", r.ablated().size(), how, saved,
                r.report()) + r.warnings().stream().map(w -> System.lineSeparator() + "Warning: " + w).collect(Collectors.joining()));
    }

    private void showFlips(EditResult r) {
        if (!r.hasMargins()) {
            flips.clear();
            flipsText.set("This edit was saved without per-example margins (an older report); apply it again to list the examples it flipped.");
            return;
        }
        List<EditResult.Flip> flipped = r.flipped();
        flips.setAll(flipped.stream().map(f -> new FlipRow(f.example(), f.example() < rows.size() ? rows.get(f.example()).label() : -1,
                f.marginBefore(), f.marginAfter(), f.fixed())).toList());
        long fixed = flipped.stream().filter(EditResult.Flip::fixed).count();
        flipsText.set(String.format(Locale.ROOT, "%d flipped: %d wrong → right, %d right → wrong (right means margin > 0).",
                flipped.size(), fixed, flipped.size() - fixed));
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
    public StringProperty outDirProperty() { return outDir; }
    public ReadOnlyObjectProperty<List<Integer>> explicitComponentsProperty() { return explicitComponents.getReadOnlyProperty(); }
    public ReadOnlyStringProperty explicitTextProperty() { return explicitText.getReadOnlyProperty(); }
    public ReadOnlyIntegerProperty setsReceivedProperty() { return setsReceived.getReadOnlyProperty(); }
    public ReadOnlyStringProperty problemProperty() { return problem.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty runningProperty() { return running.getReadOnlyProperty(); }
    public ThrottledProgress progress() { return progress; }
    public ObjectProperty<EditResult> resultProperty() { return result; }
    public ObservableList<SubsetRow> comparison() { return comparison; }
    public ObservableList<EditResult.AblatedComponent> ablated() { return ablated; }
    public ObservableList<FlipRow> flips() { return flips; }
    public ReadOnlyStringProperty flipsTextProperty() { return flipsText.getReadOnlyProperty(); }
    public ReadOnlyStringProperty resultTextProperty() { return resultText.getReadOnlyProperty(); }
    public ObservableList<LabelRow> editedByLabel() { return editedByLabel; }
    public ReadOnlyStringProperty editedTextProperty() { return editedText.getReadOnlyProperty(); }
    public ReadOnlyBooleanProperty evaluatingProperty() { return evaluating.getReadOnlyProperty(); }
}
