package org.coar.workbench.ui.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.coar.workbench.Sizes;
import org.coar.workbench.data.DataLoader;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.model.ComponentGroup;
import org.coar.workbench.model.ComponentPreset;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.ParameterInfo;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.spec.SpecForm;
import org.coar.workbench.spec.SpecProblem;
import org.coar.workbench.spec.StoreSpec;
import org.coar.workbench.store.Store;
import org.coar.workbench.ui.common.BackgroundJob;
import org.coar.workbench.ui.common.DialogService;
import org.coar.workbench.ui.common.ProjectState;
import org.coar.workbench.ui.common.TaskExecutor;

/**
 * The Spec panel's state: a form (num_models and a table of arrays) and the JSON text, kept in
 * sync both ways through {@link SpecForm} and validated by the spec service; the opened model's
 * component groups and the chosen evaluation data size the mask and output arrays.
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
    private final ObservableList<GroupChoice> groups = FXCollections.observableArrayList(g -> new javafx.beans.Observable[] {g.selectedProperty()});
    private final ReadOnlyStringWrapper componentSummary = new ReadOnlyStringWrapper("No model opened.");
    private final ReadOnlyStringWrapper dataSummary = new ReadOnlyStringWrapper("No evaluation data chosen.");
    private final ReadOnlyStringWrapper sizeSummary = new ReadOnlyStringWrapper("");
    private final StringProperty dataLimit = new SimpleStringProperty("");
    private final ObservableList<ComponentPreset> presets = FXCollections.observableArrayList(ComponentPreset.values());
    /** The preset whose selection the checked groups are; null when they are a custom selection. */
    private final ObjectProperty<ComponentPreset> preset = new SimpleObjectProperty<>(ComponentPreset.DEFAULT);
    private List<ParameterInfo> parameters = List.of();
    private boolean syncing;
    private boolean applyingPreset;

    public SpecViewModel(SpecCodec codec, TaskExecutor tasks, ProjectState project, DialogService dialogs) {
        this.codec = codec;
        this.tasks = tasks;
        this.project = project;
        this.dialogs = dialogs;
        show(SpecForm.starter());
        numModels.addListener((obs, old, now) -> formChanged());
        arrays.addListener((javafx.collections.ListChangeListener<ArrayRow>) change -> formChanged());
        json.addListener((obs, old, now) -> jsonChanged());
        groups.addListener((javafx.collections.ListChangeListener<GroupChoice>) change -> groupsChanged());
        preset.addListener((obs, old, now) -> applyPreset(now));
        formChanged();
    }

    /** Every component preset, for the preset chooser. */
    public ObservableList<ComponentPreset> presets() {
        return presets;
    }

    /**
     * The preset chooser's value: choosing a preset checks exactly its groups; checking groups by
     * hand shows the preset they amount to, or null for a custom selection.
     */
    public ObjectProperty<ComponentPreset> presetProperty() {
        return preset;
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

    public ObservableList<SpecProblem> problems() {
        return problems;
    }

    public ObservableList<GroupChoice> groups() {
        return groups;
    }

    public ReadOnlyStringProperty componentSummaryProperty() {
        return componentSummary.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty dataSummaryProperty() {
        return dataSummary.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty sizeSummaryProperty() {
        return sizeSummary.getReadOnlyProperty();
    }

    /** Optional "at most N examples" for the evaluation data, as typed. */
    public StringProperty dataLimitProperty() {
        return dataLimit;
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

    /** The form as typed. */
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
        problems.setAll(codec.problems(json.get()));
        updateSizeSummary();
    }

    private void updateSizeSummary() {
        try {
            StoreSpec spec = codec.parse(json.get(), "spec");
            long total = spec.fileBytes();
            String recommendation = recommendedModels().map(n -> String.format(Locale.ROOT,
                    "  Recommended: at least %,d models (about 8 per component; more gives better attributions — "
                            + "the paper used 50,000 for 2,304 components).", n)).orElse("");
            sizeSummary.set(String.format(Locale.ROOT, "%,d models, %s on disk when filled.", spec.numModels(), Sizes.human(total))
                    + recommendation);
        } catch (RuntimeException e) {
            sizeSummary.set("Fix the problems above to see the store's size.");
        }
    }

    /** See {@link org.coar.workbench.model.Components#recommendedModels}. */
    public Optional<Long> recommendedModels() {
        long components = selectedComponents();
        if (components == 0) {
            return Optional.empty();
        }
        return Optional.of(org.coar.workbench.model.Components.recommendedModels(components));
    }

    // --- model and data -------------------------------------------------------------------

    public void openModel(Path file) {
        tasks.submit(BackgroundJob.titled("Opening model " + file.getFileName(), progress -> {
            return Components.parametersOf(file);
        }).onSuccess(parameters -> modelOpened(file, parameters)));
    }

    /** Lists the parameters of the model just opened, with the chosen preset's groups checked. */
    void modelOpened(Path file, List<ParameterInfo> parameters) {
        this.parameters = List.copyOf(parameters);
        String head = Components.headName(parameters);
        List<ParameterInfo> candidates = Components.candidates(parameters);
        List<GroupChoice> choices = new ArrayList<>();
        for (ParameterInfo p : parameters) {
            choices.add(new GroupChoice(p.name(), p.shape(), candidates.contains(p), p.name().equals(head)));
        }
        project.modelProperty().set(file);
        applyingPreset = true;
        try {
            groups.setAll(choices);
        } finally {
            applyingPreset = false;
        }
        applyPreset(preset.get() == null ? ComponentPreset.DEFAULT : preset.get());
    }

    private void applyPreset(ComponentPreset chosen) {
        if (chosen == null || applyingPreset || groups.isEmpty()) {
            return;
        }
        List<String> names;
        try {
            names = Components.select(parameters, chosen, List.of(), List.of()).groups().stream().map(ComponentGroup::name).toList();
        } catch (WorkbenchException e) {
            names = List.of(); // the preset selects nothing in this model: every box unchecked says so
        }
        applyingPreset = true;
        try {
            for (GroupChoice group : groups) {
                group.selectedProperty().set(names.contains(group.name()));
            }
        } finally {
            applyingPreset = false;
        }
        groupsChanged();
    }

    /** The preset that selects exactly {@code selected}: the chosen one if it still does, else the first; null when none does. */
    private ComponentPreset presetSelecting(List<String> selected) {
        List<ComponentPreset> order = new ArrayList<>(List.of(ComponentPreset.values()));
        if (preset.get() != null) {
            order.remove(preset.get());
            order.addFirst(preset.get());
        }
        for (ComponentPreset candidate : order) {
            try {
                if (Components.select(parameters, candidate, List.of(), List.of()).groups().stream().map(ComponentGroup::name).toList()
                        .equals(selected)) {
                    return candidate;
                }
            } catch (WorkbenchException e) {
                // selects nothing here
            }
        }
        return null;
    }

    public long selectedComponents() {
        return groups.stream().filter(g -> g.selectedProperty().get()).mapToLong(GroupChoice::size).sum();
    }

    private void groupsChanged() {
        if (groups.isEmpty() || applyingPreset) {
            return;
        }
        List<GroupChoice> selected = groups.stream().filter(g -> g.selectedProperty().get()).toList();
        List<String> names = selected.stream().map(GroupChoice::name).toList();
        ComponentPreset matching = presetSelecting(names);
        project.componentPresetProperty().set(matching == null ? ComponentPreset.DEFAULT : matching);
        project.includedGroupsProperty().set(matching == null ? names : List.of());
        applyingPreset = true;
        try {
            preset.set(matching);
        } finally {
            applyingPreset = false;
        }
        long total = selectedComponents();
        componentSummary.set(String.format(Locale.ROOT, "%,d components in %d groups (%s)", total, selected.size(),
                project.modelProperty().get() == null ? "" : project.modelProperty().get().getFileName()));
        show(form().withMaskWidth(total));
    }

    public void chooseData(Path path) {
        chooseData(DataSpec.builder().setPath(path.toString()).optLimit(parseLimit()).build());
    }

    /** Reads the evaluation data in the background; its example count becomes the output array's width. */
    public void chooseData(DataSpec requested) {
        tasks.submit(BackgroundJob.titled("Reading evaluation data " + Path.of(requested.path()).getFileName(), progress -> {
            DataLoader loader = new DataLoader();
            DataSpec resolved = loader.resolve(requested);
            EvalData data = loader.load(resolved);
            return new ReadData(resolved, data.size(), data.description(), data.exampleShape());
        }).onSuccess(read -> {
            project.dataProperty().set(read.spec());
            dataSummary.set(String.format(Locale.ROOT, "%,d examples of shape %s — %s", read.examples(),
                    java.util.Arrays.toString(read.exampleShape()), read.description()));
            show(form().withOutputWidth(read.examples()));
        }));
    }

    /** What the panel shows of the evaluation data, read off the FX thread. */
    private record ReadData(DataSpec spec, int examples, String description, long[] exampleShape) {
    }

    private Integer parseLimit() {
        String text = dataLimit.get() == null ? "" : dataLimit.get().trim();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new org.coar.workbench.WorkbenchException("Limit: expected a whole number of examples, got '" + text + "'");
        }
    }

    // --- saving -------------------------------------------------------------------------------

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

    public void openSpec(Path file) {
        json.set(codec.toJson(codec.read(file)));
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
