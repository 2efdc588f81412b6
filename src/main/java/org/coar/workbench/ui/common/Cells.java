package org.coar.workbench.ui.common;

import java.util.Locale;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;

/** Table cells shared by the panels. */
public final class Cells {
    private Cells() {
    }

    /** Shows {@code value} of each row in {@code column}. */
    public static <S, T> void value(TableColumn<S, T> column, Function<S, T> value) {
        column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(value.apply(c.getValue())));
    }

    /** A number in {@code format}; NaN (undefined) as a dash. */
    public static <S, T extends Number> TableCell<S, T> numberCell(String format) {
        return new TableCell<>() {
            @Override
            protected void updateItem(T value, boolean empty) {
                super.updateItem(value, empty);
                setText(empty || value == null ? null
                        : Double.isNaN(value.doubleValue()) ? "—" : String.format(Locale.ROOT, format, value.doubleValue()));
            }
        };
    }
}
