package org.coar.workbench.ui.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.model.ComponentGroup;
import org.coar.workbench.model.ComponentPreset;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.ParameterInfo;
import org.coar.workbench.ui.common.ProjectState;

/**
 * The opened model's parameters, the groups checked as components and the preset they amount to,
 * kept consistent both ways and told to the project (its preset, or the groups one by one) for the build.
 */
public final class ComponentSelection {
    /** How a store's run.json chose its components: a preset, narrowed or replaced by name globs. */
    public record Recorded(ComponentPreset preset, List<String> include, List<String> exclude) {
    }

    private final ProjectState project;
    private final Runnable changed;
    private final ObservableList<GroupChoice> groups = FXCollections.observableArrayList(g -> new javafx.beans.Observable[] {g.selectedProperty()});
    private final ObservableList<ComponentPreset> presets = FXCollections.observableArrayList(ComponentPreset.values());
    /** The preset whose selection the checked groups are; null when they are a custom selection. */
    private final ObjectProperty<ComponentPreset> preset = new SimpleObjectProperty<>(ComponentPreset.DEFAULT);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("No model opened.");
    private List<ParameterInfo> parameters = List.of();
    private boolean applyingPreset;

    /** {@code changed} runs after every change of the checked groups. */
    ComponentSelection(ProjectState project, Runnable changed) {
        this.project = project;
        this.changed = changed;
        groups.addListener((ListChangeListener<GroupChoice>) change -> groupsChanged());
        preset.addListener((obs, old, now) -> applyPreset(now));
    }

    public ObservableList<GroupChoice> groups() {
        return groups;
    }

    public ObservableList<ComponentPreset> presets() {
        return presets;
    }

    public ObjectProperty<ComponentPreset> presetProperty() {
        return preset;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Whether a model is opened. */
    public boolean hasModel() {
        return !groups.isEmpty();
    }

    public long selectedComponents() {
        return groups.stream().filter(g -> g.selectedProperty().get()).mapToLong(GroupChoice::size).sum();
    }

    /** How the components were chosen, for messages: {@code preset default}, or {@code 3 groups checked by hand}. */
    String describe() {
        long checked = groups.stream().filter(g -> g.selectedProperty().get()).count();
        return preset.get() == null ? checked + " groups checked by hand" : "preset " + preset.get().cliName();
    }

    /** Lists the parameters of the model just opened, with the chosen preset's groups checked, or {@code recorded}'s where given. */
    void show(Path file, List<ParameterInfo> opened, Recorded recorded) {
        parameters = List.copyOf(opened);
        String head = Components.headName(opened);
        List<ParameterInfo> candidates = Components.candidates(opened);
        List<GroupChoice> choices = new ArrayList<>();
        for (ParameterInfo p : opened) {
            choices.add(new GroupChoice(p.name(), p.shape(), candidates.contains(p), p.name().equals(head)));
        }
        project.modelProperty().set(file);
        applyingPreset = true;
        try {
            groups.setAll(choices);
            if (recorded != null) {
                preset.set(recorded.preset());
            }
        } finally {
            applyingPreset = false;
        }
        if (recorded != null && (!recorded.include().isEmpty() || !recorded.exclude().isEmpty())) {
            check(selectedBy(recorded.preset(), recorded.include(), recorded.exclude()));
        } else {
            applyPreset(preset.get() == null ? ComponentPreset.DEFAULT : preset.get());
        }
    }

    /** No model: no groups, the default preset, nothing told to the project. */
    void clear() {
        parameters = List.of();
        applyingPreset = true;
        try {
            groups.clear();
            preset.set(ComponentPreset.DEFAULT);
        } finally {
            applyingPreset = false;
        }
        project.modelProperty().set(null);
        project.componentPresetProperty().set(ComponentPreset.DEFAULT);
        project.includedGroupsProperty().set(List.of());
        summary.set("No model opened.");
        changed.run();
    }

    private void applyPreset(ComponentPreset chosen) {
        if (chosen == null || applyingPreset || groups.isEmpty()) {
            return;
        }
        check(selectedBy(chosen, List.of(), List.of()));
    }

    private List<String> selectedBy(ComponentPreset chosen, List<String> include, List<String> exclude) {
        try {
            return Components.select(parameters, chosen, include, exclude).groups().stream().map(ComponentGroup::name).toList();
        } catch (WorkbenchException e) {
            return List.of(); // the selection takes nothing in this model: every box unchecked says so
        }
    }

    private void check(List<String> names) {
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
        return order.stream().filter(candidate -> selectedBy(candidate, List.of(), List.of()).equals(selected)
                && !selected.isEmpty()).findFirst().orElse(null);
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
        Path model = project.modelProperty().get();
        summary.set(String.format(Locale.ROOT, "%,d components in %d groups (%s)", selectedComponents(), selected.size(),
                model == null ? "" : model.getFileName()));
        changed.run();
    }
}
