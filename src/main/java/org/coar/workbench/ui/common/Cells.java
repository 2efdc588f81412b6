package org.coar.workbench.ui.common;

import java.util.Locale;
import javafx.scene.control.TableCell;

/** Table cells shared by the panels. */
public final class Cells {
    private Cells() {
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
