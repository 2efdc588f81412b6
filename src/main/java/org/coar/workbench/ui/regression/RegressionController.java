package org.coar.workbench.ui.regression;

import javafx.fxml.FXML;
import javafx.scene.chart.AreaChart;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.GridPane;
import org.coar.workbench.fit.FitDevices;
import org.coar.workbench.fit.Solver;
import org.coar.workbench.ui.common.DialogService;
import org.coar.workbench.ui.common.ProjectState;

/** Regression panel: solver and split, import/export the reference YAML, the memory plan, the fit's state and its report. */
public final class RegressionController {
    private final RegressionViewModel viewModel;
    private final ProjectState project;
    private final DialogService dialogs;

    @FXML
    private ComboBox<Solver> solverBox;
    @FXML
    private ComboBox<FitDevices.Choice> deviceBox;
    @FXML
    private Label deviceNote;
    @FXML
    private Label solverHint;
    @FXML
    private TextField numTrainField;
    @FXML
    private TextField numValField;
    @FXML
    private TextField splitSeedField;
    @FXML
    private TextField kField;
    @FXML
    private TextField epsField;
    @FXML
    private TextField lambdasField;
    @FXML
    private TextField outDirField;
    @FXML
    private Button runButton;
    @FXML
    private Button cancelButton;
    @FXML
    private Label planSummary;
    @FXML
    private ProgressBar planMeter;
    @FXML
    private TitledPane planDetailsPane;
    @FXML
    private TextArea planArea;
    @FXML
    private Label stateLabel;
    @FXML
    private ProgressBar progressBar;
    @FXML
    private GridPane reportGrid;
    @FXML
    private Label lambdaNote;
    @FXML
    private AreaChart<Number, Number> r2Chart;
    @FXML
    private AreaChart<Number, Number> lambdaChart;

    public RegressionController(RegressionViewModel viewModel, ProjectState project, DialogService dialogs) {
        this.viewModel = viewModel;
        this.project = project;
        this.dialogs = dialogs;
    }

    @FXML
    private void initialize() {
        solverBox.getItems().setAll(Solver.values());
        solverBox.valueProperty().bindBidirectional(viewModel.solverProperty());
        deviceBox.setItems(viewModel.deviceChoices());
        deviceBox.valueProperty().bindBidirectional(viewModel.deviceProperty());
        deviceNote.textProperty().bind(viewModel.deviceNoteProperty());
        deviceNote.managedProperty().bind(deviceNote.textProperty().isEmpty().not());
        deviceNote.visibleProperty().bind(deviceNote.managedProperty());
        solverHint.textProperty().bind(viewModel.solverHintProperty());
        numTrainField.textProperty().bindBidirectional(viewModel.numTrainProperty());
        numValField.textProperty().bindBidirectional(viewModel.numValProperty());
        splitSeedField.textProperty().bindBidirectional(viewModel.splitSeedProperty());
        kField.textProperty().bindBidirectional(viewModel.kProperty());
        epsField.textProperty().bindBidirectional(viewModel.epsProperty());
        lambdasField.textProperty().bindBidirectional(viewModel.lambdasProperty());
        outDirField.textProperty().bindBidirectional(viewModel.outDirProperty());
        var leastSquares = viewModel.solverProperty().isEqualTo(Solver.OLS);
        kField.disableProperty().bind(leastSquares);
        epsField.disableProperty().bind(leastSquares);
        lambdasField.disableProperty().bind(leastSquares);
        runButton.disableProperty().bind(viewModel.runningProperty().or(project.storeProperty().isNull()));
        cancelButton.disableProperty().bind(viewModel.runningProperty().not());

        planSummary.textProperty().bind(viewModel.planTextProperty());
        planMeter.progressProperty().bind(viewModel.planMemoryUseProperty());
        planMeter.visibleProperty().bind(viewModel.planMemoryUseProperty().greaterThanOrEqualTo(0));
        planMeter.managedProperty().bind(planMeter.visibleProperty());
        planArea.textProperty().bind(viewModel.planDetailsProperty());
        planDetailsPane.visibleProperty().bind(viewModel.planDetailsProperty().isEmpty().not());
        planDetailsPane.managedProperty().bind(planDetailsPane.visibleProperty());

        stateLabel.textProperty().bind(viewModel.stateTextProperty());
        progressBar.progressProperty().bind(viewModel.progressProperty());
        progressBar.visibleProperty().bind(viewModel.stateProperty().isEqualTo(RegressionViewModel.FitState.RUNNING));
        progressBar.managedProperty().bind(progressBar.visibleProperty());
        r2Chart.managedProperty().bind(r2Chart.visibleProperty());
        lambdaChart.managedProperty().bind(lambdaChart.visibleProperty());
        lambdaNote.managedProperty().bind(lambdaNote.visibleProperty());
        viewModel.reportProperty().addListener((obs, old, now) -> showReport(now));
        showReport(viewModel.reportProperty().get());
    }

    private void showReport(FitReport report) {
        reportGrid.getChildren().clear();
        if (report != null) {
            int row = 0;
            for (FitReport.Setting setting : report.settings()) {
                Label name = new Label(setting.name());
                name.getStyleClass().add("text-muted");
                name.setMinWidth(Label.USE_PREF_SIZE);
                GridPane.setValignment(name, javafx.geometry.VPos.TOP);
                Label value = new Label(setting.value());
                value.setWrapText(true);
                value.setMinHeight(Label.USE_PREF_SIZE);
                reportGrid.addRow(row++, name, value);
            }
        }
        HistogramCharts.show(r2Chart, report == null ? null : report.r2(), false);
        HistogramCharts.show(lambdaChart, report == null ? null : report.logLambda(), true);
        lambdaNote.setVisible(report != null);
        lambdaNote.setText(report == null ? "" : report.lambdaNote());
    }

    @FXML
    public void onRun() {
        dialogs.attempt("Cannot start the fit", viewModel::run);
    }

    @FXML
    private void onCancel() {
        viewModel.cancel();
    }

    @FXML
    private void onImport() {
        dialogs.chooseFile("Import a regression config (reference YAML)", ".yaml", ".yml").ifPresent(file -> {
            dialogs.attempt("Cannot import the config", () -> viewModel.importConfig(file));
        });
    }

    @FXML
    private void onExport() {
        dialogs.chooseSaveFile("Export the regression config", "regression_config.yaml").ifPresent(file -> {
            dialogs.attempt("Cannot export the config", () -> viewModel.exportConfig(file));
        });
    }

    @FXML
    private void onChooseOutDir() {
        dialogs.chooseDirectory("Attributions directory (must be new or empty)").ifPresent(dir -> viewModel.outDirProperty().set(dir.toString()));
    }
}
