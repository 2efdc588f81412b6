package org.coar.workbench.ui.evaluate;

import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.VBox;
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
 * The edit's settings (target, reference, k and mode or an explicit set, sweep, output folder, where
 * to save), apply / cancel, progress and outcome; the before / after table, the ablated and flipped
 * tables, the sweep chart and the edited model's evaluation are sub-panels of their own.
 */
public final class EditSettingsController {
    private final EditViewModel edit;
    private final DialogService dialogs;

    @FXML
    private ScrollPane editScroll;
    @FXML
    private VBox explicitBox;
    @FXML
    private Label explicitLabel;
    @FXML
    private TextField outDirField;
    @FXML
    private Button outDirButton;
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
        modeBox.getItems().setAll(EditMode.RANKED);
        modeBox.valueProperty().bindBidirectional(edit.modeProperty());
        modeBox.setButtonCell(new ModeCell());
        modeBox.setCellFactory(list -> new ModeCell());
        modeHelp.textProperty().bind(edit.modeProperty().map(mode -> mode == EditMode.BOTTOMK
                ? "bottomk ablates the components that hold the target down most relative to the reference: it raises the target's "
                        + "margins (e.g. to fix a misclassified example)."
                : "topk ablates the components that support the target most relative to the reference: it lowers the target's "
                        + "margins (e.g. to make the model forget a subpopulation)."));
        sweepField.textProperty().bindBidirectional(edit.sweepMaxProperty());
        outDirField.textProperty().bindBidirectional(edit.outDirProperty());
        var explicit = edit.explicitComponentsProperty().map(set -> !set.isEmpty()).orElse(false);
        explicitBox.visibleProperty().bind(explicit);
        explicitBox.managedProperty().bind(explicit);
        explicitLabel.textProperty().bind(edit.explicitTextProperty());
        kField.disableProperty().bind(explicit);
        modeBox.disableProperty().bind(explicit);
        sweepField.disableProperty().bind(explicit);
        modeHelp.visibleProperty().bind(explicitBox.visibleProperty().not());
        modeHelp.managedProperty().bind(modeHelp.visibleProperty());
        // a set sent by another panel: the window shows this panel, and this tab comes forward with it
        edit.setsReceivedProperty().addListener((obs, old, now) -> {
            showEditTab();
            editScroll.setVvalue(0); // the set is shown at the top of the form
        });
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

    /** Selects the tab this form is on, in whichever tab pane holds it. */
    private void showEditTab() {
        for (Node node = editScroll; node != null; node = node.getParent()) {
            if (node instanceof TabPane tabs) {
                for (Tab tab : tabs.getTabs()) {
                    if (tab.getContent() != null && isInside(editScroll, tab.getContent())) {
                        tabs.getSelectionModel().select(tab);
                    }
                }
                return;
            }
        }
    }

    private static boolean isInside(Node node, Node ancestor) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (n == ancestor) {
                return true;
            }
        }
        return false;
    }

    @FXML
    private void onClearExplicit() {
        edit.clearExplicitSet();
    }

    @FXML
    private void onChooseOutDir() {
        dialogs.chooseDirectory("Output folder of the edit").ifPresent(dir -> edit.outDirProperty().set(dir.toString()));
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
