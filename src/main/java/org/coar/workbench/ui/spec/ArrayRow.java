package org.coar.workbench.ui.spec;

import javafx.beans.Observable;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.coar.workbench.spec.SpecForm;

/** One schema array as edited in the form: texts, validated by the spec service. */
public final class ArrayRow {
    private final StringProperty name = new SimpleStringProperty();
    private final StringProperty dtype = new SimpleStringProperty();
    private final StringProperty shape = new SimpleStringProperty();

    public ArrayRow(SpecForm.Array array) {
        show(array);
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

    SpecForm.Array typed() {
        return new SpecForm.Array(name.get(), dtype.get(), shape.get());
    }

    /** Shows {@code array}; a field that already holds its text is left alone, so it reports no change. */
    void show(SpecForm.Array array) {
        name.set(array.name());
        dtype.set(array.dtype());
        shape.set(array.shape());
    }

    Observable[] observables() {
        return new Observable[] {name, dtype, shape};
    }
}
