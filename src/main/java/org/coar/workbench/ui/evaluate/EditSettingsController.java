package org.coar.workbench.ui.evaluate;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import org.coar.workbench.edit.EditMode;
import org.coar.workbench.ui.common.DialogService;

/**
 * The edit's settings (target, reference, k, mode, sweep, where to save), apply / cancel, progress
 * and outcome; the before / after table and the sweep chart are sub-panels of their own.
 */
public final class EditSettingsController {
    private final EditViewModel edit;
    private final DialogService dialogs;

    @FXML
    private TextField targetField;
    @FXML
    private TextField referenceField;
    @FXML
    private TextField kField;
    @FXML
    private ComboBox<EditMode> modeBox;
    @FXML
    private TextField sweepField;
    @FXML
    private CheckBox saveBox;
    @FXML
    private TextField savePathField;
    @FXML
    private Button savePathButton;
    @FXML
    private Label modeHelp;
    @FXML
    private Label editProblem;
    @FXML
    private Button editButton;
    @FXML
    private Button cancelEditButton;
    @FXML
    private ProgressBar editProgress;
    @FXML
    private Label editStage;
    @FXML
    private Label editText;

    public EditSettingsController(EditViewModel edit, DialogService dialogs) {
        this.edit = edit;
        this.dialogs = dialogs;
    }

    @FXML
    private void initialize() {
        targetField.textProperty().bindBidirectional(edit.targetProperty());
        referenceField.textProperty().bindBidirectional(edit.referenceProperty());
        kField.textProperty().bindBidirectional(edit.kProperty());
        modeBox.getItems().setAll(EditMode.values());
        modeBox.valueProperty().bindBidirectional(edit.modeProperty());
        modeBox.setButtonCell(new ModeCell());
        modeBox.setCellFactory(list -> new ModeCell());
        modeHelp.textProperty().bind(edit.modeProperty().map(mode -> mode == EditMode.BOTTOMK
                ? "bottomk ablates the components that hold the target down most relative to the reference: it raises the target's "
                        + "margins (e.g. to fix a misclassified example)."
                : "topk ablates the components that support the target most relative to the reference: it lowers the target's "
                        + "margins (e.g. to make the model forget a subpopulation)."));
        sweepField.textProperty().bindBidirectional(edit.sweepMaxProperty());
        saveBox.selectedProperty().bindBidirectional(edit.saveModelProperty());
        savePathField.textProperty().bindBidirectional(edit.savePathProperty());
        savePathField.disableProperty().bind(edit.saveModelProperty().not());
        savePathButton.disableProperty().bind(edit.saveModelProperty().not());
        editProblem.textProperty().bind(edit.problemProperty());
        editButton.disableProperty().bind(edit.runningProperty().or(edit.problemProperty().isNotEmpty()));
        cancelEditButton.disableProperty().bind(edit.runningProperty().not());
        editProgress.progressProperty().bind(edit.progress().fractionProperty());
        editStage.textProperty().bind(edit.progress().stageProperty());
        editText.textProperty().bind(edit.resultTextProperty());
    }

    /** A mode by what it does to the target. */
    private static final class ModeCell extends ListCell<EditMode> {
        @Override
        protected void updateItem(EditMode mode, boolean empty) {
            super.updateItem(mode, empty);
            setText(empty || mode == null ? null : mode == EditMode.BOTTOMK ? "bottomk (raise the target)" : "topk (lower the target)");
        }
    }

    @FXML
    private void onChooseSavePath() {
        dialogs.chooseSaveFile("Save the edited model (TorchScript)", "edited.pt").ifPresent(file -> edit.savePathProperty().set(file.toString()));
    }

    @FXML
    private void onEdit() {
        dialogs.attempt("Cannot start the edit", edit::run);
    }

    @FXML
    private void onCancelEdit() {
        edit.cancel();
    }
}
