package org.coar.workbench.ui.evaluate;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.collections.transformation.SortedList;
import javafx.fxml.FXML;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Region;
import org.coar.workbench.attributions.ExampleBrowser;
import org.coar.workbench.edit.EditMode;
import org.coar.workbench.edit.EditResult;
import org.coar.workbench.evaluation.Correlation;
import org.coar.workbench.evaluation.EvaluationFigures;
import org.coar.workbench.evaluation.EvaluationResult;
import org.coar.workbench.ui.common.Cells;
import org.coar.workbench.ui.common.DialogService;

/** Evaluate &amp; Edit panel: evaluate attributions against fresh ablations and baselines; edit the model with them. */
public final class EvaluateController {
    private final EvaluationViewModel evaluation;
    private final EditViewModel edit;
    private final DialogService dialogs;

    @FXML
    private TextField alphasField;
    @FXML
    private TextField runsField;
    @FXML
    private CheckBox looBox;
    @FXML
    private CheckBox gradBox;
    @FXML
    private CheckBox normBox;
    @FXML
    private TextField evalOutField;
    @FXML
    private Button evaluateButton;
    @FXML
    private Button cancelEvaluateButton;
    @FXML
    private ProgressBar evaluateProgress;
    @FXML
    private Label evaluateStage;
    @FXML
    private TableView<EvaluationResult.AlphaResult> correlationTable;
    @FXML
    private Label evaluationText;
    @FXML
    private ComboBox<Path> figureBox;
    @FXML
    private ScrollPane figurePane;
    @FXML
    private ImageView figureView;

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
    @FXML
    private Label editText;
    @FXML
    private LineChart<Number, Number> sweepChart;
    @FXML
    private NumberAxis sweepAxis;

    public EvaluateController(EvaluationViewModel evaluation, EditViewModel edit, DialogService dialogs) {
        this.evaluation = evaluation;
        this.edit = edit;
        this.dialogs = dialogs;
    }

    @FXML
    private void initialize() {
        initialiseEvaluation();
        initialiseEdit();
    }

    private void initialiseEvaluation() {
        alphasField.textProperty().bindBidirectional(evaluation.alphasProperty());
        runsField.textProperty().bindBidirectional(evaluation.runsProperty());
        looBox.selectedProperty().bindBidirectional(evaluation.leaveOneOutProperty());
        gradBox.selectedProperty().bindBidirectional(evaluation.gradientTimesParameterProperty());
        normBox.selectedProperty().bindBidirectional(evaluation.weightNormProperty());
        evalOutField.textProperty().bindBidirectional(evaluation.outDirProperty());
        evaluateButton.disableProperty().bind(evaluation.runningProperty().or(evaluation.outDirProperty().isEmpty()));
        cancelEvaluateButton.disableProperty().bind(evaluation.runningProperty().not());
        evaluateProgress.progressProperty().bind(evaluation.progress().fractionProperty());
        evaluateStage.textProperty().bind(evaluation.progress().stageProperty());
        evaluationText.textProperty().bind(evaluation.resultTextProperty());

        figureBox.setCellFactory(list -> new FigureCell());
        figureBox.setButtonCell(new FigureCell());
        figureBox.valueProperty().addListener((obs, old, now) ->
                // loaded in the background: a large PNG never stalls the FX thread
                figureView.setImage(now == null ? null : new Image(now.toUri().toString(), true)));
        figureView.fitWidthProperty().bind(figurePane.widthProperty().subtract(20));
        Tooltip.install(figureView, new Tooltip("Click: actual size / fit to the width"));
        figureView.setOnMouseClicked(e -> {
            if (figureView.fitWidthProperty().isBound()) {
                figureView.fitWidthProperty().unbind();
                figureView.setFitWidth(0); // the image's own size, scrollable
                figurePane.setFitToWidth(false);
            } else {
                figurePane.setFitToWidth(true);
                figureView.fitWidthProperty().bind(figurePane.widthProperty().subtract(20));
            }
        });
        // as tall as its rows: the figure gets the rest of the height
        correlationTable.prefHeightProperty().bind(Bindings.size(correlationTable.getItems())
                .multiply(correlationTable.getFixedCellSize()).add(58).map(h -> Math.max(h.doubleValue(), 90)));
        evaluation.resultProperty().addListener((obs, old, now) -> showEvaluation(now));
        showEvaluation(evaluation.resultProperty().get());
    }

    private void showEvaluation(EvaluationResult result) {
        correlationTable.getColumns().clear();
        correlationTable.getItems().clear();
        figureBox.getItems().clear();
        if (result == null) {
            return;
        }
        TableColumn<EvaluationResult.AlphaResult, String> alpha = new TableColumn<>("α");
        Cells.value(alpha, row -> String.valueOf(row.alpha()));
        alpha.setPrefWidth(60);
        alpha.setMaxWidth(90);
        correlationTable.getColumns().add(alpha);
        for (String method : result.methods()) {
            TableColumn<EvaluationResult.AlphaResult, String> column = new TableColumn<>();
            Label header = new Label(method); // wraps where the column is narrow, instead of eliding the method's name
            header.setWrapText(true);
            header.setMinHeight(Region.USE_PREF_SIZE);
            column.setGraphic(header);
            Cells.value(column, row -> {
                Correlation.Summary s = row.byMethod().get(method);
                return s == null ? "—" : String.format(Locale.ROOT, "%.3f (%.3f)", s.mean(), s.median());
            });
            column.setPrefWidth(170);
            correlationTable.getColumns().add(column);
        }
        correlationTable.getItems().setAll(result.alphas());
        figureBox.getItems().setAll(result.figures());
        result.figures().stream().filter(f -> f.getFileName().toString().equals(EvaluationFigures.VERSUS_ALPHA)).findFirst()
                .or(() -> result.figures().stream().findFirst()).ifPresent(figureBox::setValue);
    }

    /** Figures by what they show, not by file name. */
    private static final class FigureCell extends ListCell<Path> {
        @Override
        protected void updateItem(Path figure, boolean empty) {
            super.updateItem(figure, empty);
            setText(empty || figure == null ? null : describe(figure.getFileName().toString()));
        }

        private static String describe(String file) {
            if (file.equals(EvaluationFigures.VERSUS_ALPHA)) {
                return "Correlation against α, per method";
            }
            if (file.equals(EvaluationFigures.HISTOGRAMS)) {
                return "Histograms of the per-example correlation";
            }
            if (file.startsWith("scatter_example_")) {
                return "Predicted against actual output, example " + file.replaceAll("\\D", "");
            }
            return file;
        }
    }

    private void initialiseEdit() {
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
        var nothingSelected = editExampleTable.getSelectionModel().selectedItemProperty().isNull();
        targetButton.disableProperty().bind(nothingSelected);
        referenceButton.disableProperty().bind(nothingSelected);

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
        editText.textProperty().bind(edit.resultTextProperty());
        sweepChart.managedProperty().bind(sweepChart.visibleProperty());
        edit.resultProperty().addListener((obs, old, now) -> showSweep(now));
        showSweep(null);
    }

    private static final class ModeCell extends ListCell<EditMode> {
        @Override
        protected void updateItem(EditMode mode, boolean empty) {
            super.updateItem(mode, empty);
            setText(empty || mode == null ? null : mode == EditMode.BOTTOMK ? "bottomk (raise the target)" : "topk (lower the target)");
        }
    }

    private void showSweep(EditResult result) {
        sweepChart.getData().clear();
        sweepChart.setVisible(result != null && !result.sweep().isEmpty());
        if (result == null || result.sweep().isEmpty()) {
            return;
        }
        XYChart.Series<Number, Number> target = new XYChart.Series<>();
        target.setName("target (" + result.target().length + ")");
        XYChart.Series<Number, Number> reference = new XYChart.Series<>();
        reference.setName("reference (" + result.reference().length + ")");
        target.getData().add(new XYChart.Data<>(0, result.before().target().accuracy()));
        reference.getData().add(new XYChart.Data<>(0, result.before().reference().accuracy()));
        for (EditResult.SweepRow row : result.sweep()) {
            target.getData().add(new XYChart.Data<>(row.k(), row.metrics().target().accuracy()));
            reference.getData().add(new XYChart.Data<>(row.k(), row.metrics().reference().accuracy()));
        }
        int maxK = result.sweep().getLast().k();
        sweepAxis.setUpperBound(maxK);
        sweepAxis.setTickUnit(Math.max(1, Math.ceil(maxK / 10.0)));
        sweepChart.getData().setAll(List.of(target, reference));
    }

    @FXML
    private void onEvaluate() {
        dialogs.attempt("Cannot start the evaluation", evaluation::run);
    }

    @FXML
    private void onCancelEvaluate() {
        evaluation.cancel();
    }

    @FXML
    private void onChooseEvalOut() {
        dialogs.chooseDirectory("Evaluation output directory").ifPresent(dir -> evaluation.outDirProperty().set(dir.toString()));
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

    @FXML
    private void onChooseSavePath() {
        dialogs.chooseSaveFile("Save the edited model (TorchScript)", "edited.pt").ifPresent(file -> edit.savePathProperty().set(file.toString()));
    }

    @FXML
    public void onEdit() {
        dialogs.attempt("Cannot start the edit", edit::run);
    }

    @FXML
    private void onCancelEdit() {
        edit.cancel();
    }
}
