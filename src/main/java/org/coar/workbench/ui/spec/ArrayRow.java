package org.coar.workbench.ui.spec;

import javafx.beans.Observable;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** One schema array as edited in the form: texts, validated by the spec service. */
public final class ArrayRow {
    private final StringProperty name = new SimpleStringProperty();
    private final StringProperty dtype = new SimpleStringProperty();
    private final StringProperty shape = new SimpleStringProperty();

    public ArrayRow(String name, String dtype, String shape) {
        this.name.set(name);
        this.dtype.set(dtype);
        this.shape.set(shape);
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty dtypeProperty() {
        return dtype;
    }

    /** Shape as typed, e.g. {@code [240]} or {@code 3, 32}. */
    public StringProperty shapeProperty() {
        return shape;
    }

    Observable[] observables() {
        return new Observable[] {name, dtype, shape};
    }
}
