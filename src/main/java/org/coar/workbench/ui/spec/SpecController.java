package org.coar.workbench.ui.spec;

import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeCell;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeView;
import javafx.scene.control.cell.ComboBoxTableCell;
import javafx.scene.control.cell.TextFieldTableCell;
import javafx.scene.layout.VBox;
import org.coar.workbench.model.ComponentPreset;
import org.coar.workbench.model.OutputFunction;
import org.coar.workbench.spec.SpecProblem;
import org.coar.workbench.spec.SpecForm;
import org.coar.workbench.ui.common.DialogService;
import org.controlsfx.validation.ValidationResult;
import org.controlsfx.validation.ValidationSupport;

/** Spec panel: form and JSON side by side, model components, evaluation data and their settings, save and initialise. */
public final class SpecController {
    private final SpecViewModel viewModel;
    private final DialogService dialogs;
    private final ValidationSupport validation = new ValidationSupport();

    @FXML
    private TextField numModelsField;
    @FXML
    private TableView<ArrayRow> arraysTable;
    @FXML
    private TableColumn<ArrayRow, String> nameColumn;
    @FXML
    private TableColumn<ArrayRow, String> dtypeColumn;
    @FXML
    private TableColumn<ArrayRow, String> shapeColumn;
    @FXML
    private TableColumn<ArrayRow, String> sizeColumn;
    @FXML
    private Label sizeSummary;
    @FXML
    private TextArea jsonArea;
    @FXML
    private Label jsonProblem;
    @FXML
    private TreeView<GroupChoice> modelTree;
    @FXML
    private Label componentSummary;
    @FXML
    private ComboBox<ComponentPreset> presetBox;
    @FXML
    private Label dataSummary;
    @FXML
    private TextField dataLimitField;
    @FXML
    private TextField dataSkipField;
    @FXML
    private TextField dataResizeField;
    @FXML
    private TextField dataCropField;
    @FXML
    private TextField dataMeanField;
    @FXML
    private TextField dataStdField;
    @FXML
    private ComboBox<OutputFunction> outputFunctionBox;
    @FXML
    private Label dataProblem;
    @FXML
    private Label recommendationLabel;
    @FXML
    private Label sourceLabel;
    @FXML
    private ScrollPane formScroll;
    @FXML
    private VBox formBox;
    @FXML
    private ScrollPane editorScroll;
    @FXML
    private VBox editorBox;

    public SpecController(SpecViewModel viewModel, DialogService dialogs) {
        this.viewModel = viewModel;
        this.dialogs = dialogs;
    }

    @FXML
    private void initialize() {
        numModelsField.textProperty().bindBidirectional(viewModel.numModelsProperty());
        jsonArea.textProperty().bindBidirectional(viewModel.jsonProperty());
        DataSettings data = viewModel.dataSettings();
        dataLimitField.textProperty().bindBidirectional(data.limitProperty());
        dataSkipField.textProperty().bindBidirectional(data.skipProperty());
        dataResizeField.textProperty().bindBidirectional(data.resizeProperty());
        dataCropField.textProperty().bindBidirectional(data.cropProperty());
        dataMeanField.textProperty().bindBidirectional(data.meanProperty());
        dataStdField.textProperty().bindBidirectional(data.stdProperty());
        dataProblem.textProperty().bind(viewModel.dataProblemProperty());
        dataProblem.managedProperty().bind(dataProblem.textProperty().isNotEmpty());
        dataProblem.visibleProperty().bind(dataProblem.managedProperty());
        outputFunctionBox.setItems(FXCollections.observableArrayList(OutputFunction.values()));
        outputFunctionBox.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(OutputFunction function) {
                return function == null ? "" : function.cliName();
            }

            @Override
            public OutputFunction fromString(String text) {
                return OutputFunction.parse(text);
            }
        });
        outputFunctionBox.valueProperty().bindBidirectional(viewModel.outputFunctionProperty());
        outputFunctionBox.setTooltip(new Tooltip("What each row records per example: margin (correct-class logit minus the "
                + "largest other, as the reference), logprob (log-softmax of the correct class) or loss (cross-entropy)"));
        recommendationLabel.textProperty().bind(viewModel.recommendationProperty());
        recommendationLabel.managedProperty().bind(recommendationLabel.textProperty().isNotEmpty());
        recommendationLabel.visibleProperty().bind(recommendationLabel.managedProperty());
        sourceLabel.textProperty().bind(viewModel.sourceProperty());
        // The form fills the height it is given (the component tree takes the rest) and scrolls when it needs more.
        fillHeight(formScroll, formBox);
        fillHeight(editorScroll, editorBox);
        sizeSummary.textProperty().bind(viewModel.sizeSummaryProperty());
        componentSummary.textProperty().bind(viewModel.componentSummaryProperty());
        presetBox.setItems(viewModel.presets());
        presetBox.valueProperty().bindBidirectional(viewModel.presetProperty());
        Tooltip presetTip = new Tooltip();
        presetTip.setWrapText(true);
        presetTip.setMaxWidth(420);
        presetTip.textProperty().bind(Bindings.createStringBinding(() -> viewModel.presetProperty().get() == null
                ? "Groups checked one by one (recorded as --include)" : viewModel.presetProperty().get().description(),
                viewModel.presetProperty()));
        presetBox.setTooltip(presetTip);
        dataSummary.textProperty().bind(viewModel.dataSummaryProperty());
        Tooltip dataTip = new Tooltip();
        dataTip.setWrapText(true);
        dataTip.setMaxWidth(520);
        dataTip.textProperty().bind(viewModel.dataDescriptionProperty());
        dataSummary.setTooltip(dataTip);

        arraysTable.setItems(viewModel.arrays());
        arraysTable.setEditable(true);
        nameColumn.setCellValueFactory(c -> c.getValue().nameProperty());
        nameColumn.setCellFactory(TextFieldTableCell.forTableColumn());
        dtypeColumn.setCellValueFactory(c -> c.getValue().dtypeProperty());
        dtypeColumn.setCellFactory(ComboBoxTableCell.forTableColumn(FXCollections.observableArrayList(SpecForm.DTYPES)));
        shapeColumn.setCellValueFactory(c -> c.getValue().shapeProperty());
        shapeColumn.setCellFactory(TextFieldTableCell.forTableColumn());
        sizeColumn.setCellValueFactory(c -> Bindings.createStringBinding(() -> {
            long bytes = viewModel.bytesOf(c.getValue());
            return bytes < 0 ? "—" : org.coar.workbench.Sizes.human(bytes);
        }, viewModel.jsonProperty()));
        arraysTable.setRowFactory(table -> new ArrayRowCell());

        validation.registerValidator(numModelsField, false, (control, value) -> problemResult(control, "num_models"));
        // The message is taken now: the decoration reads it later, when the problems may already be fixed.
        validation.registerValidator(jsonArea, false, (control, value) -> viewModel.problems().isEmpty()
                ? new ValidationResult() : ValidationResult.fromError(jsonArea, viewModel.problems().getFirst().toString()));
        viewModel.problems().addListener((ListChangeListener<SpecProblem>) change -> {
            validation.revalidate();
            arraysTable.refresh();
            showFirstProblem();
        });
        showFirstProblem();

        modelTree.setShowRoot(false);
        modelTree.setCellFactory(tree -> new GroupCell());
        viewModel.groups().addListener((ListChangeListener<GroupChoice>) change -> {
            if (change.next() && (change.wasAdded() || change.wasRemoved()) && !change.wasUpdated()) {
                rebuildTree();
            }
        });
    }

    private static void fillHeight(ScrollPane scroll, VBox content) {
        content.minHeightProperty().bind(Bindings.createDoubleBinding(() -> scroll.getViewportBounds().getHeight(),
                scroll.viewportBoundsProperty()));
    }

    private ValidationResult problemResult(javafx.scene.control.Control control, String field) {
        return viewModel.problemFor(field).map(p -> ValidationResult.fromError(control, p.message())).orElseGet(ValidationResult::new);
    }

    private void showFirstProblem() {
        List<SpecProblem> problems = viewModel.problems();
        jsonProblem.setText(problems.isEmpty() ? "Valid spec." : problems.size() == 1 ? problems.getFirst().toString()
                : problems.getFirst() + "  (and " + (problems.size() - 1) + " more)");
        jsonProblem.getStyleClass().removeAll("problem", "ok");
        jsonProblem.getStyleClass().add(problems.isEmpty() ? "ok" : "problem");
    }

    private void rebuildTree() {
        TreeItem<GroupChoice> root = new TreeItem<>();
        viewModel.groups().forEach(group -> root.getChildren().add(new TreeItem<>(group)));
        modelTree.setRoot(root);
    }

    @FXML
    private void onOpenModel() {
        dialogs.chooseFile("Open a TorchScript model", ".pt", ".pth", ".torchscript").ifPresent(viewModel::openModel);
    }

    @FXML
    private void onChooseDataFile() {
        dialogs.chooseFile("Choose evaluation data (IDX, CIFAR-10 .bin, inputs .npy)", ".gz", ".idx3-ubyte", ".bin", ".npy")
                .ifPresent(viewModel::chooseData);
    }

    @FXML
    private void onChooseDataFolder() {
        dialogs.chooseDirectory("Choose an image folder (one subfolder per class) or a CIFAR-10 folder").ifPresent(viewModel::chooseData);
    }

    @FXML
    private void onAddArray() {
        viewModel.addArray();
    }

    @FXML
    private void onRemoveArray() {
        ArrayRow selected = arraysTable.getSelectionModel().getSelectedItem();
        if (selected != null) {
            viewModel.removeArray(selected);
        }
    }

    @FXML
    private void onOpenSpec() {
        dialogs.chooseFile("Open a spec", ".json").ifPresent(file -> {
            try {
                viewModel.openSpec(file);
            } catch (org.coar.workbench.WorkbenchException e) {
                dialogs.showError("Cannot open the spec", e.getMessage());
            }
        });
    }

    @FXML
    private void onSaveSpec() {
        viewModel.saveSpec();
    }

    @FXML
    private void onInitialiseStore() {
        if (!viewModel.problems().isEmpty()) {
            dialogs.showError("The spec has problems", viewModel.problems().getFirst() + "\n\nFix them, then initialise the store.");
            return;
        }
        dialogs.chooseDirectory("Choose an empty directory for the new store").ifPresent(dir ->
                viewModel.initialiseStore(dir, () -> dialogs.showInformation("Store initialised",
                        "Created the store in " + dir + ". Build it in the Build panel.")));
    }

    /** Highlights rows the spec service reported a problem for, with the message as tooltip. */
    private final class ArrayRowCell extends TableRow<ArrayRow> {
        @Override
        protected void updateItem(ArrayRow row, boolean empty) {
            super.updateItem(row, empty);
            getStyleClass().remove("invalid-row");
            setTooltip(null);
            if (row != null && !empty) {
                viewModel.problemFor("schema." + row.nameProperty().get()).ifPresent(problem -> {
                    getStyleClass().add("invalid-row");
                    setTooltip(new Tooltip(problem.message()));
                });
            }
        }
    }

    /** A parameter; component-group candidates get a checkbox. */
    private static final class GroupCell extends TreeCell<GroupChoice> {
        private final CheckBox box = new CheckBox();
        private GroupChoice bound;

        @Override
        protected void updateItem(GroupChoice item, boolean empty) {
            super.updateItem(item, empty);
            if (bound != null) {
                box.selectedProperty().unbindBidirectional(bound.selectedProperty());
                bound = null;
            }
            if (item == null || empty) {
                setText(null);
                setGraphic(null);
                return;
            }
            if (item.candidate()) {
                box.selectedProperty().bindBidirectional(item.selectedProperty());
                bound = item;
                box.setText(item.label());
                setText(null);
                setGraphic(box);
            } else {
                setGraphic(null);
                setText(item.label());
            }
        }
    }
}
