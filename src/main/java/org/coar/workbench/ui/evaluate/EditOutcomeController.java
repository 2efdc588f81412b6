package org.coar.workbench.ui.evaluate;

import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import org.coar.workbench.edit.EditResult;
import org.coar.workbench.ui.common.Cells;

/** What the edit did, component by component and example by example: the ablated components and the examples it flipped. */
public final class EditOutcomeController {
    private final EditViewModel edit;

    @FXML
    private TableView<EditResult.AblatedComponent> ablatedTable;
    @FXML
    private TableColumn<EditResult.AblatedComponent, Integer> ablatedIndexColumn;
    @FXML
    private TableColumn<EditResult.AblatedComponent, String> ablatedNameColumn;
    @FXML
    private TableColumn<EditResult.AblatedComponent, Double> ablatedScoreColumn;
    @FXML
    private TableView<EditViewModel.FlipRow> flipsTable;
    @FXML
    private TableColumn<EditViewModel.FlipRow, Integer> flipExampleColumn;
    @FXML
    private TableColumn<EditViewModel.FlipRow, Integer> flipLabelColumn;
    @FXML
    private TableColumn<EditViewModel.FlipRow, String> flipChangeColumn;
    @FXML
    private TableColumn<EditViewModel.FlipRow, Float> flipBeforeColumn;
    @FXML
    private TableColumn<EditViewModel.FlipRow, Float> flipAfterColumn;
    @FXML
    private Label flipsText;

    public EditOutcomeController(EditViewModel edit) {
        this.edit = edit;
    }

    @FXML
    private void initialize() {
        ablatedTable.setItems(edit.ablated());
        Cells.value(ablatedIndexColumn, EditResult.AblatedComponent::index);
        Cells.value(ablatedNameColumn, EditResult.AblatedComponent::label);
        Cells.value(ablatedScoreColumn, EditResult.AblatedComponent::score);
        ablatedScoreColumn.setCellFactory(c -> Cells.numberCell("%.2f"));
        EditLinks.link(ablatedTable, "Show component page", c -> edit.showComponent(c.index()));

        flipsTable.setItems(edit.flips());
        Cells.value(flipExampleColumn, EditViewModel.FlipRow::example);
        Cells.value(flipLabelColumn, EditViewModel.FlipRow::label);
        Cells.value(flipChangeColumn, EditViewModel.FlipRow::change);
        Cells.value(flipBeforeColumn, EditViewModel.FlipRow::marginBefore);
        Cells.value(flipAfterColumn, EditViewModel.FlipRow::marginAfter);
        flipBeforeColumn.setCellFactory(c -> Cells.numberCell("%.3f"));
        flipAfterColumn.setCellFactory(c -> Cells.numberCell("%.3f"));
        EditLinks.link(flipsTable, "Show example page", f -> edit.showExample(f.example()));
        flipsText.textProperty().bind(edit.flipsTextProperty());
    }
}
