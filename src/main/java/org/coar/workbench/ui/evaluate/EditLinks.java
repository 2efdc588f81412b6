package org.coar.workbench.ui.evaluate;

import java.util.function.Consumer;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;

/** The Edit tab's links to other pages: a context-menu item on each row of a table. */
final class EditLinks {
    private EditLinks() {
    }

    /** Gives every filled row of {@code table} a context menu with {@code text}, which runs {@code open} on the row's item. */
    static <T> void link(TableView<T> table, String text, Consumer<T> open) {
        table.setRowFactory(t -> {
            TableRow<T> row = new TableRow<>();
            MenuItem item = new MenuItem(text);
            item.setOnAction(e -> open.accept(row.getItem()));
            ContextMenu menu = new ContextMenu(item);
            row.contextMenuProperty().bind(row.emptyProperty().map(empty -> empty ? null : menu));
            return row;
        });
    }
}
