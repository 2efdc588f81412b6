package org.coar.workbench.ui.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.coar.workbench.Sizes;
import org.coar.workbench.TextFiles;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.model.ComponentPreset;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.OutputFunction;
import org.coar.workbench.model.ParameterInfo;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.spec.SpecForm;
import org.coar.workbench.spec.SpecProblem;
import org.coar.workbench.spec.SpecWidths;
import org.coar.workbench.spec.StoreSpec;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.store.Store;
import org.coar.workbench.ui.common.BackgroundJob;
import org.coar.workbench.ui.common.DialogService;
import org.coar.workbench.ui.common.ProjectState;
import org.coar.workbench.ui.common.TaskExecutor;

/**
 * The Spec panel's state: a form (num_models and a table of arrays) and the JSON text, kept in
 * sync both ways through {@link SpecForm} and validated by the spec service and against the opened
 * model's component groups and the chosen evaluation data, which also size the mask and output
 * arrays. It shows the project's store: that store's spec and run.json when the store changes, an
 * empty spec when it cannot be opened.
 */
public final class SpecViewModel {
    private final SpecCodec codec;
    private final TaskExecutor tasks;
    private final ProjectState project;
    private final DialogService dialogs;

    private final StringProperty numModels = new SimpleStringProperty();
    private final ObservableList<ArrayRow> arrays = FXCollections.observableArrayList(ArrayRow::observables);
    private final StringProperty json = new SimpleStringProperty("");
    private final ObservableList<SpecProblem> problems = FXCollections.observableArrayList();
    private final ComponentSelection components;
    private final DataChoice data;
    private final ReadOnlyStringWrapper sizeSummary = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper recommendation = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper source = new ReadOnlyStringWrapper("A new spec; no store is open.");
    private boolean syncing;

    /** Whether the spec, model and data shown came from the project's store (so belong to it, not to the next). */
    private boolean fromStore;
    // Only the latest request of each kind may show its result: an older one answers for a store, model or data no longer chosen.
    private long storeRequest;
    private long modelRequest;

    public SpecViewModel(SpecCodec codec, TaskExecutor tasks, ProjectState project, DialogService dialogs) {
        this.codec = codec;
        this.tasks = tasks;
        this.project = project;
        this.dialogs = dialogs;
        this.components = new ComponentSelection(project, this::componentsChanged);
        this.data = new DataChoice(tasks, project, dialogs, this::dataRead);
        show(SpecForm.starter());
        numModels.addListener((obs, old, now) -> formChanged());
        arrays.addListener((ListChangeListener<ArrayRow>) change -> formChanged());
        json.addListener((obs, old, now) -> jsonChanged());
        project.storeProperty().addListener((obs, old, now) -> storeChanged(now));
        formChanged();
    }

    public ObservableList<ComponentPreset> presets() {
        return components.presets();
    }

    /**
     * The preset chooser's value: choosing a preset checks exactly its groups; checking groups by
     * hand shows the preset they amount to, or null for a custom selection.
     */
    public ObjectProperty<ComponentPreset> presetProperty() {
        return components.presetProperty();
    }

    public StringProperty numModelsProperty() {
        return numModels;
    }

    public ObservableList<ArrayRow> arrays() {
        return arrays;
    }

    public StringProperty jsonProperty() {
        return json;
    }

    /** The spec service's problems, then the widths that do not fit the model or the data. */
    public ObservableList<SpecProblem> problems() {
        return problems;
    }

    public ObservableList<GroupChoice> groups() {
        return components.groups();
    }

    public ReadOnlyStringProperty componentSummaryProperty() {
        return components.summaryProperty();
    }

    public ReadOnlyStringProperty dataSummaryProperty() {
        return data.summaryProperty();
    }

    /** The data read as the data service describes them, with full paths; empty while none are. */
    public ReadOnlyStringProperty dataDescriptionProperty() {
        return data.descriptionProperty();
    }

    /** Why the data settings cannot be used or the data not read; empty when they can. */
    public ReadOnlyStringProperty dataProblemProperty() {
        return data.problemProperty();
    }

    public ReadOnlyStringProperty sizeSummaryProperty() {
        return sizeSummary.getReadOnlyProperty();
    }

    /** How many models the selected components call for; empty while no model is opened. */
    public ReadOnlyStringProperty recommendationProperty() {
        return recommendation.getReadOnlyProperty();
    }

    /** Where the spec shown comes from: a new spec, a file, or the project's store. */
    public ReadOnlyStringProperty sourceProperty() {
        return source.getReadOnlyProperty();
    }

    /** Limit, Skip and the preprocessing of the evaluation data; a change re-reads the chosen data. */
    public DataSettings dataSettings() {
        return data.settings();
    }

    /** Optional "at most N examples" for the evaluation data, as typed. */
    public StringProperty dataLimitProperty() {
        return data.settings().limitProperty();
    }

    /** What a first build records per example. */
    public ObjectProperty<OutputFunction> outputFunctionProperty() {
        return project.outputFunctionProperty();
    }

    /** The first problem reported for {@code field} or anything inside it, if any. */
    public Optional<SpecProblem> problemFor(String field) {
        return problems.stream().filter(p -> p.field().equals(field) || p.field().startsWith(field + ".")).findFirst();
    }

    public void addArray() {
        show(form().withNewArray());
    }

    public void removeArray(ArrayRow row) {
        arrays.remove(row);
    }

    /** Bytes the array takes on disk once filled, or -1 while its fields are invalid. */
    public long bytesOf(ArrayRow row) {
        try {
            StoreSpec spec = codec.parse(json.get(), "spec");
            return spec.schema().containsKey(row.nameProperty().get()) ? spec.fileBytes(row.nameProperty().get()) : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    // --- form and JSON ------------------------------------------------------------------------

    private SpecForm form() {
        return new SpecForm(numModels.get(), arrays.stream().map(ArrayRow::typed).toList());
    }

    /** Puts {@code form} into the fields, changing rows in place so that the table keeps its rows and selection. */
    private void show(SpecForm form) {
        numModels.set(form.numModels());
        List<SpecForm.Array> shown = form.arrays();
        int kept = Math.min(arrays.size(), shown.size());
        for (int i = 0; i < kept; i++) {
            arrays.get(i).show(shown.get(i));
        }
        if (arrays.size() > kept) {
            arrays.remove(kept, arrays.size());
        }
        shown.subList(kept, shown.size()).forEach(array -> arrays.add(new ArrayRow(array)));
    }

    private void formChanged() {
        // Read even while syncing: a row's property reports its next change only once it has been read.
        SpecForm typed = form();
        if (syncing) {
            return;
        }
        syncing = true;
        try {
            json.set(typed.toJson());
        } finally {
            syncing = false;
        }
        validate();
    }

    private void jsonChanged() {
        if (syncing) {
            return;
        }
        syncing = true;
        try {
            SpecForm.fromJson(json.get()).ifPresent(this::show); // else validate() reports the syntax error
        } finally {
            syncing = false;
        }
        validate();
    }

    private void validate() {
        List<SpecProblem> found = new ArrayList<>(codec.problems(json.get()));
        StoreSpec spec = null;
        if (found.isEmpty()) {
            spec = codec.parse(json.get(), "spec");
            found.addAll(widths().problems(spec));
        }
        problems.setAll(found);
        sizeSummary.set(spec == null ? "Fix the spec's problems (shown above spec.json) to see the store's size."
                : String.format(Locale.ROOT, "%,d models, %s on disk when filled.", spec.numModels(), Sizes.human(spec.fileBytes())));
        updateRecommendation();
    }

    /** The widths the opened model and the data read require. */
    private SpecWidths widths() {
        return new SpecWidths(components.hasModel() ? components.selectedComponents() : null, components.describe(),
                data.examples(), data.cut());
    }

    private void updateRecommendation() {
        Optional<Long> recommended = recommendedModels();
        if (recommended.isEmpty()) {
            recommendation.set("");
            return;
        }
        String text = String.format(Locale.ROOT, "Recommended: at least %,d models for %,d components (about 8 per component; more "
                + "gives better attributions — the paper used 50,000 for 2,304 components).", recommended.get(),
                components.selectedComponents());
        try {
            long typed = Long.parseLong(numModels.get().trim());
            if (typed < recommended.get()) {
                text += String.format(Locale.ROOT, " This spec has %,d.", typed);
            }
        } catch (NumberFormatException | NullPointerException e) {
            // the num_models problem is shown with the spec's problems
        }
        recommendation.set(text);
    }

    /** See {@link Components#recommendedModels}; empty while no component is selected. */
    public Optional<Long> recommendedModels() {
        long selected = components.selectedComponents();
        return selected == 0 ? Optional.empty() : Optional.of(Components.recommendedModels(selected));
    }

    // --- model and data -------------------------------------------------------------------

    public void openModel(Path file) {
        openModel(file, null);
    }

    private void openModel(Path file, ComponentSelection.Recorded recorded) {
        long request = ++modelRequest;
        tasks.submit(BackgroundJob.titled("Opening model " + file.getFileName(), progress -> Components.parametersOf(file))
                .onSuccess(parameters -> {
                    if (request == modelRequest) {
                        components.show(file, parameters, recorded);
                    }
                }));
    }

    /** Lists the parameters of the model just opened, with the chosen preset's groups checked. */
    void modelOpened(Path file, List<ParameterInfo> parameters) {
        components.show(file, parameters, null);
    }

    public long selectedComponents() {
        return components.selectedComponents();
    }

    private void componentsChanged() {
        if (components.hasModel()) {
            show(form().withMaskWidth(components.selectedComponents()));
        }
        validate(); // the widths required may have changed though the form did not
    }

    /** Chooses the data at {@code path}, read with the panel's settings (Limit, Skip, preprocessing). */
    public void chooseData(Path path) {
        data.choose(path);
    }

    /** Chooses {@code requested} and shows its settings, e.g. the data a store's run.json records. */
    public void chooseData(DataSpec requested) {
        data.choose(requested);
    }

    /** Data were read ({@code examples} of them), or cannot be (-1). */
    private void dataRead(long examples) {
        if (examples >= 0) {
            show(form().withOutputWidth(examples));
        }
        validate();
    }

    // --- the project's store ------------------------------------------------------------------

    /** The store's spec and, where it has one, its run.json, both read off the FX thread. */
    private record OpenedStore(String specJson, Optional<RunConfig> run) {
    }

    /**
     * Shows the new store's spec and run.json. What came from the previous store is cleared first, and
     * stays cleared if this one cannot be opened; a model and data chosen for a new spec stay.
     */
    private void storeChanged(Path store) {
        long request = ++storeRequest;
        if (fromStore) {
            clearAll();
        }
        if (store == null) {
            source.set("A new spec; no store is open.");
            return;
        }
        source.set("Reading the store " + store + " …");
        tasks.submit(BackgroundJob.titled("Reading store " + store.getFileName(), progress -> {
            String text;
            try (Store opened = Store.open(store, false)) {
                text = codec.toJson(opened.spec());
            }
            return new OpenedStore(text, RunConfig.exists(store) ? Optional.of(RunConfig.read(store)) : Optional.empty());
        }).onSuccess(opened -> {
            if (request == storeRequest) {
                showStore(store, opened);
            }
        }).onError(error -> {
            if (request == storeRequest) {
                clearAll();
                source.set("Could not open the store " + store + "; showing a new spec.");
            }
        }));
    }

    private void showStore(Path store, OpenedStore opened) {
        fromStore = true;
        json.set(opened.specJson());
        source.set("The spec of the store " + store + (opened.run().isPresent()
                ? "; its run.json records the model, data and settings below, and a build keeps to them." : "."));
        opened.run().ifPresent(this::showRun);
    }

    /**
     * Shows the model's components and the data a store's rows were made with, as its run.json
     * records them. A model file that is not there is left to the window's "Locate model…".
     */
    public void showRun(RunConfig run) {
        project.outputFunctionProperty().set(OutputFunction.parse(run.output() == null ? "margin" : run.output()));
        Path model = Path.of(run.model());
        if (java.nio.file.Files.isRegularFile(model)) {
            openModel(model, new ComponentSelection.Recorded(run.componentPreset(), run.include(), run.exclude()));
        }
        chooseData(run.data());
    }

    /** Back to a new spec with no model and no data. */
    private void clearAll() {
        fromStore = false;
        modelRequest++;
        components.clear();
        data.clear();
        project.outputFunctionProperty().set(OutputFunction.MARGIN);
        syncing = true;
        try {
            show(SpecForm.starter());
            json.set(SpecForm.starter().toJson());
        } finally {
            syncing = false;
        }
        validate();
    }

    // --- files -------------------------------------------------------------------------------

    public StoreSpec currentSpec() {
        return codec.parse(json.get(), "the spec editor");
    }

    public void saveSpec(Path file) {
        codec.write(currentSpec(), file);
    }

    /** The Save command: refuses a spec with problems, else asks where and saves it. */
    public void saveSpec() {
        if (!problems.isEmpty()) {
            dialogs.showError("The spec has problems", problems.getFirst() + "\n\nFix them, then save again.");
            return;
        }
        dialogs.chooseSaveFile("Save spec.json", "spec.json")
                .ifPresent(file -> dialogs.attempt("Cannot save the spec", () -> saveSpec(file)));
    }

    /**
     * Puts the file's text into the editor as it is, so that a spec with problems can be fixed there:
     * the problems are shown as for a spec typed in, and the form shows what of it can be read.
     */
    public void openSpec(Path file) {
        String text = TextFiles.readUtf8(file, "spec");
        syncing = true;
        try {
            show(SpecForm.fromJson(text).orElse(new SpecForm("", List.of())));
            json.set(text);
        } finally {
            syncing = false;
        }
        validate();
        source.set("The spec file " + file + (problems.isEmpty() ? "."
                : "; fix the problems shown above spec.json, then save it or initialise the store."));
    }

    /** Creates the store (nothing is changed if the directory already holds one) and makes it the project's store. */
    public void initialiseStore(Path dir, Runnable onDone) {
        StoreSpec spec = currentSpec();
        tasks.submit(BackgroundJob.titled("Initialising store " + dir.getFileName(), progress -> {
            Store.create(dir, spec);
            return dir;
        }).onSuccess(created -> {
            project.storeProperty().set(created);
            onDone.run();
        }));
    }
}
