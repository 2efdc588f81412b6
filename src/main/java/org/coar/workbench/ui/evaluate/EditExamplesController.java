package org.coar.workbench.ui.evaluate;

import javafx.collections.transformation.SortedList;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import org.coar.workbench.attributions.ExampleBrowser;
import org.coar.workbench.ui.common.Cells;

/** The edit's example table: pick the target and reference examples from it. */
public final class EditExamplesController {
    private final EditViewModel edit;

    @FXML
    private CheckBox editMisclassifiedBox;
    @FXML
    private TableView<ExampleBrowser.ExampleRow> editExampleTable;
    @FXML
    private TableColumn<ExampleBrowser.ExampleRow, Integer> editIndexColumn;
    @FXML
    private TableColumn<ExampleBrowser.ExampleRow, Integer> editLabelColumn;
    @FXML
    private TableColumn<ExampleBrowser.ExampleRow, Integer> editPredictionColumn;
    @FXML
    private TableColumn<ExampleBrowser.ExampleRow, Float> editOutputColumn;
    @FXML
    private Button targetButton;
    @FXML
    private Button referenceButton;

    public EditExamplesController(EditViewModel edit) {
        this.edit = edit;
    }

    @FXML
    private void initialize() {
        editMisclassifiedBox.selectedProperty().bindBidirectional(edit.misclassifiedOnlyProperty());
        SortedList<ExampleBrowser.ExampleRow> sorted = new SortedList<>(edit.examples());
        sorted.comparatorProperty().bind(editExampleTable.comparatorProperty());
        editExampleTable.setItems(sorted);
        editExampleTable.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        Cells.value(editIndexColumn, ExampleBrowser.ExampleRow::index);
        Cells.value(editLabelColumn, ExampleBrowser.ExampleRow::label);
        Cells.value(editPredictionColumn, ExampleBrowser.ExampleRow::prediction);
        Cells.value(editOutputColumn, ExampleBrowser.ExampleRow::cleanOutput);
        editOutputColumn.setCellFactory(c -> Cells.numberCell("%.3f"));
        EditLinks.link(editExampleTable, "Show example page", r -> edit.showExample(r.index()));
        var nothingSelected = editExampleTable.getSelectionModel().selectedItemProperty().isNull();
        targetButton.disableProperty().bind(nothingSelected);
        referenceButton.disableProperty().bind(nothingSelected);
    }

    @FXML
    private void onUseAsTarget() {
        edit.useAsTarget(editExampleTable.getSelectionModel().getSelectedItems());
    }

    @FXML
    private void onUseAsReference() {
        edit.useAsReference(editExampleTable.getSelectionModel().getSelectedItems());
    }

    @FXML
    private void onReferenceRest() {
        edit.referenceProperty().set("rest");
    }
}
