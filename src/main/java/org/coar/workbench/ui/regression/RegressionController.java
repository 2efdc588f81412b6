package org.coar.workbench.ui.regression;

import java.util.Locale;
import javafx.fxml.FXML;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import org.coar.workbench.fit.AttributionsSummary;
import org.coar.workbench.fit.FitDevices;
import org.coar.workbench.fit.Solver;
import org.coar.workbench.ui.common.DialogService;
import org.coar.workbench.ui.common.ProjectState;

/** Regression panel: solver and split, import/export the reference YAML, run with per-stage progress, results. */
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
    private ProgressBar progressBar;
    @FXML
    private Label stageLabel;
    @FXML
    private javafx.scene.control.TextArea planArea;
    @FXML
    private Label resultLabel;
    @FXML
    private BarChart<String, Number> r2Chart;
    @FXML
    private BarChart<String, Number> lambdaChart;
    @FXML
    private Label lambdaNote;

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
        progressBar.progressProperty().bind(viewModel.progressProperty());
        stageLabel.textProperty().bind(viewModel.stageProperty());
        planArea.textProperty().bind(viewModel.planTextProperty());
        resultLabel.textProperty().bind(viewModel.resultTextProperty());
        r2Chart.managedProperty().bind(r2Chart.visibleProperty());
        lambdaChart.managedProperty().bind(lambdaChart.visibleProperty());
        viewModel.summaryProperty().addListener((obs, old, now) -> showSummary(now));
        showSummary(null);
    }

    private void showSummary(AttributionsSummary summary) {
        fill(r2Chart, summary == null ? null : summary.r2(), "%.2f");
        fill(lambdaChart, summary == null ? null : summary.lambda(), "1e%.1f");
        r2Chart.setVisible(summary != null && summary.r2() != null);
        lambdaChart.setVisible(summary != null && summary.lambda() != null);
        lambdaNote.setText(summary == null ? "Histograms of the validation R² and the chosen λ per example appear after a fit."
                : summary.lambda() == null ? String.format(Locale.ROOT, "λ = 0 for all %,d examples: exact least squares.", summary.examples())
                : String.format(Locale.ROOT, "%,d of %,d examples chose λ = 0.", summary.zeroLambdas(), summary.examples()));
    }

    private static void fill(BarChart<String, Number> chart, AttributionsSummary.Histogram histogram, String format) {
        chart.getData().clear();
        if (histogram == null) {
            return;
        }
        XYChart.Series<String, Number> series = new XYChart.Series<>();
        for (int b = 0; b < histogram.counts().length; b++) {
            series.getData().add(new XYChart.Data<>(String.format(Locale.ROOT, format, histogram.low() + (b + 0.5) * histogram.binWidth()),
                    histogram.counts()[b]));
        }
        chart.getData().add(series);
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
