package org.coar.workbench.ui.common;

import java.nio.file.Path;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.model.ComponentPreset;
import org.coar.workbench.model.OutputFunction;

/**
 * What the panels share: the open store and, while a store is being authored, the model, the
 * evaluation data and the chosen component groups (they become the store's run.json on its first build).
 */
public final class ProjectState {
    private final ObjectProperty<Path> store = new SimpleObjectProperty<>();
    private final ObjectProperty<Path> model = new SimpleObjectProperty<>();
    private final ObjectProperty<DataSpec> data = new SimpleObjectProperty<>();
    private final ObjectProperty<List<String>> includedGroups = new SimpleObjectProperty<>(List.of());
    private final ObjectProperty<ComponentPreset> componentPreset = new SimpleObjectProperty<>(ComponentPreset.DEFAULT);
    private final ObjectProperty<OutputFunction> outputFunction = new SimpleObjectProperty<>(OutputFunction.MARGIN);
    private final ObjectProperty<Path> attributions = new SimpleObjectProperty<>();
    private final ObjectProperty<Integer> focusedExample = new SimpleObjectProperty<>();
    private final ObjectProperty<Integer> focusedComponent = new SimpleObjectProperty<>();
    private final ObjectProperty<List<Integer>> componentsToAblate = new SimpleObjectProperty<>(List.of());

    public ObjectProperty<Path> storeProperty() {
        return store;
    }

    public ObjectProperty<Path> modelProperty() {
        return model;
    }

    public ObjectProperty<DataSpec> dataProperty() {
        return data;
    }

    /** The attributions directory last fitted or opened. */
    public ObjectProperty<Path> attributionsProperty() {
        return attributions;
    }

    /**
     * The example (output index) a panel asked to look at, e.g. from a table's "Show example" action:
     * the window brings the Attributions panel forward and shows it. Null when none.
     */
    public ObjectProperty<Integer> focusedExampleProperty() {
        return focusedExample;
    }

    /** The component (index into the mask) a panel asked to look at; the window shows its page. Null when none. */
    public ObjectProperty<Integer> focusedComponentProperty() {
        return focusedComponent;
    }

    /**
     * A set of components (mask indices) chosen for ablation outside the Edit tab, e.g. by the
     * what-if on an example page; the window brings Edit forward with them. Empty when none.
     */
    public ObjectProperty<List<Integer>> componentsToAblateProperty() {
        return componentsToAblate;
    }

    /** Component groups chosen in the Spec panel; empty means the selection of {@link #componentPresetProperty()}. */
    public ObjectProperty<List<String>> includedGroupsProperty() {
        return includedGroups;
    }

    /** The component preset chosen in the Spec panel (default when the groups were picked one by one). */
    public ObjectProperty<ComponentPreset> componentPresetProperty() {
        return componentPreset;
    }

    /** What a first build records per example (run.json's output), chosen in the Spec panel. */
    public ObjectProperty<OutputFunction> outputFunctionProperty() {
        return outputFunction;
    }
}
