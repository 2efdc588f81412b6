package org.coar.workbench.ui.common;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableColumnBase;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;

/**
 * A table as the user sees it, for CSV: the visible columns in their displayed order (after any
 * reordering), headed by their titles ("Group / Column" under a nested header), and every row in
 * the table's current sort order. A cell whose value is a number is written as that number at full
 * precision (a column may show it rounded or with a unit, which would lose what the file is for);
 * any other cell as the text its cell shows.
 */
public final class TableCsv {
    private TableCsv() {
    }

    public static List<String> header(TableView<?> table) {
        List<String> header = new ArrayList<>();
        for (TableColumn<?, ?> column : table.getVisibleLeafColumns()) {
            StringBuilder title = new StringBuilder(column.getText() == null ? "" : column.getText());
            for (TableColumnBase<?, ?> parent = column.getParentColumn(); parent != null; parent = parent.getParentColumn()) {
                title.insert(0, parent.getText() + " / ");
            }
            header.add(title.toString());
        }
        return header;
    }

    public static <S> List<List<String>> rows(TableView<S> table) {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < table.getItems().size(); i++) {
            List<String> row = new ArrayList<>();
            for (TableColumn<S, ?> column : table.getVisibleLeafColumns()) {
                row.add(cellText(table, column, i));
            }
            rows.add(row);
        }
        return rows;
    }

    private static <S, T> String cellText(TableView<S> table, TableColumn<S, T> column, int index) {
        T value = column.getCellData(index);
        if (value instanceof Number number) {
            return number.toString();
        }
        // The column's own cell, as the table would make it for this row, says what is shown.
        TableCell<S, T> cell = column.getCellFactory().call(column);
        TableRow<S> row = new TableRow<>();
        row.updateTableView(table);
        row.updateIndex(index);
        cell.updateTableView(table);
        cell.updateTableRow(row);
        cell.updateTableColumn(column);
        cell.updateIndex(index);
        String text = cell.getText();
        if ((text == null || text.isEmpty()) && cell.getGraphic() instanceof Labeled labeled) {
            text = labeled.getText();
        }
        if (text == null || text.isEmpty()) {
            return value == null ? "" : (cell.getGraphic() == null ? "" : value.toString());
        }
        return text;
    }
}
