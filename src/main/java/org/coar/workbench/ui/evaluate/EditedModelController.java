package org.coar.workbench.ui.evaluate;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import org.coar.workbench.ui.common.Cells;
import org.coar.workbench.ui.common.DialogService;

/** Evaluates the saved edited model on the store's examples, per label, next to the store's model. */
public final class EditedModelController {
    private final EditViewModel edit;
    private final DialogService dialogs;

    @FXML
    private Button evaluateEditedButton;
    @FXML
    private Label editedText;
    @FXML
    private TableView<EditViewModel.LabelRow> editedTable;
    @FXML
    private TableColumn<EditViewModel.LabelRow, String> labelColumn;
    @FXML
    private TableColumn<EditViewModel.LabelRow, Integer> labelCountColumn;
    @FXML
    private TableColumn<EditViewModel.LabelRow, Double> labelAccuracyBeforeColumn;
    @FXML
    private TableColumn<EditViewModel.LabelRow, Double> labelAccuracyAfterColumn;
    @FXML
    private TableColumn<EditViewModel.LabelRow, Double> labelMarginBeforeColumn;
    @FXML
    private TableColumn<EditViewModel.LabelRow, Double> labelMarginAfterColumn;

    public EditedModelController(EditViewModel edit, DialogService dialogs) {
        this.edit = edit;
        this.dialogs = dialogs;
    }

    @FXML
    private void initialize() {
        evaluateEditedButton.disableProperty().bind(edit.evaluatingProperty().or(edit.runningProperty())
                .or(javafx.beans.binding.Bindings.createBooleanBinding(
                        () -> edit.resultProperty().get() == null || edit.resultProperty().get().saved() == null, edit.resultProperty())));
        editedText.textProperty().bind(edit.editedTextProperty());
        editedTable.setItems(edit.editedByLabel());
        editedTable.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(edit.editedByLabel()));
        editedTable.managedProperty().bind(editedTable.visibleProperty());
        Cells.value(labelColumn, EditViewModel.LabelRow::label);
        Cells.value(labelCountColumn, EditViewModel.LabelRow::examples);
        Cells.value(labelAccuracyBeforeColumn, EditViewModel.LabelRow::accuracyBefore);
        Cells.value(labelAccuracyAfterColumn, EditViewModel.LabelRow::accuracyAfter);
        Cells.value(labelMarginBeforeColumn, EditViewModel.LabelRow::marginBefore);
        Cells.value(labelMarginAfterColumn, EditViewModel.LabelRow::marginAfter);
        labelAccuracyBeforeColumn.setCellFactory(c -> Cells.numberCell("%.3f"));
        labelAccuracyAfterColumn.setCellFactory(c -> Cells.numberCell("%.3f"));
        labelMarginBeforeColumn.setCellFactory(c -> Cells.numberCell("%.3f"));
        labelMarginAfterColumn.setCellFactory(c -> Cells.numberCell("%.3f"));
    }

    @FXML
    private void onEvaluateEdited() {
        dialogs.attempt("Cannot evaluate the edited model", edit::evaluateEditedModel);
    }
}
