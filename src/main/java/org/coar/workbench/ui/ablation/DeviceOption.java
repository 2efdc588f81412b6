package org.coar.workbench.ui.ablation;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

/** A device the build can use, with whether the user chose it. */
public final class DeviceOption {
    private final String name;
    private final String description;
    private final BooleanProperty selected = new SimpleBooleanProperty();

    public DeviceOption(String name, String description, boolean selected) {
        this.name = name;
        this.description = description;
        this.selected.set(selected);
    }

    public String name() {
        return name;
    }

    public BooleanProperty selectedProperty() {
        return selected;
    }

    @Override
    public String toString() {
        return description;
    }
}
