package org.coar.workbench.ui.spec;

import java.util.Arrays;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

/** A parameter of the opened model; candidates (conv / linear / attention weights) can be chosen as component groups. */
public final class GroupChoice {
    private final String name;
    private final long[] shape;
    private final boolean candidate;
    private final boolean head;
    private final BooleanProperty selected = new SimpleBooleanProperty();

    public GroupChoice(String name, long[] shape, boolean candidate, boolean head) {
        this.name = name;
        this.shape = shape.clone();
        this.candidate = candidate;
        this.head = head;
        this.selected.set(candidate && !head);
    }

    public String name() {
        return name;
    }

    public long size() {
        return shape.length == 0 ? 0 : shape[0];
    }

    public boolean candidate() {
        return candidate;
    }

    public boolean head() {
        return head;
    }

    public BooleanProperty selectedProperty() {
        return selected;
    }

    public String label() {
        return name + "  " + Arrays.toString(shape) + (candidate ? "  — " + size() + " components" : "") + (head ? " (classifier head)" : "");
    }
}
