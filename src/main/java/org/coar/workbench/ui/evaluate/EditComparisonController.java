package org.coar.workbench.ui.evaluate;

import javafx.fxml.FXML;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import org.coar.workbench.ui.common.Cells;

/** The edit's outcome per subset (target, reference, all): accuracy and margin before and after. */
public final class EditComparisonController {
    private final EditViewModel edit;

    @FXML
    private TableView<EditViewModel.SubsetRow> comparisonTable;
    @FXML
    private TableColumn<EditViewModel.SubsetRow, String> subsetColumn;
    @FXML
    private TableColumn<EditViewModel.SubsetRow, Integer> countColumn;
    @FXML
    private TableColumn<EditViewModel.SubsetRow, Double> accuracyBeforeColumn;
    @FXML
    private TableColumn<EditViewModel.SubsetRow, Double> accuracyAfterColumn;
    @FXML
    private TableColumn<EditViewModel.SubsetRow, Double> marginBeforeColumn;
    @FXML
    private TableColumn<EditViewModel.SubsetRow, Double> marginAfterColumn;

    public EditComparisonController(EditViewModel edit) {
        this.edit = edit;
    }

    @FXML
    private void initialize() {
        comparisonTable.setItems(edit.comparison());
        Cells.value(subsetColumn, EditViewModel.SubsetRow::subset);
        Cells.value(countColumn, EditViewModel.SubsetRow::examples);
        Cells.value(accuracyBeforeColumn, EditViewModel.SubsetRow::accuracyBefore);
        Cells.value(accuracyAfterColumn, EditViewModel.SubsetRow::accuracyAfter);
        Cells.value(marginBeforeColumn, EditViewModel.SubsetRow::marginBefore);
        Cells.value(marginAfterColumn, EditViewModel.SubsetRow::marginAfter);
        accuracyBeforeColumn.setCellFactory(c -> Cells.numberCell("%.3f"));
        accuracyAfterColumn.setCellFactory(c -> Cells.numberCell("%.3f"));
        marginBeforeColumn.setCellFactory(c -> Cells.numberCell("%.3f"));
        marginAfterColumn.setCellFactory(c -> Cells.numberCell("%.3f"));
    }
}
