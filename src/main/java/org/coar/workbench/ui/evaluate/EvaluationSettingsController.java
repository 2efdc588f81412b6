package org.coar.workbench.ui.evaluate;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import org.coar.workbench.ui.common.DialogService;

/** The evaluation's settings: α's, runs, baselines and output directory; run, cancel and progress. */
public final class EvaluationSettingsController {
    private final EvaluationViewModel evaluation;
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

    public EvaluationSettingsController(EvaluationViewModel evaluation, DialogService dialogs) {
        this.evaluation = evaluation;
        this.dialogs = dialogs;
    }

    @FXML
    private void initialize() {
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
}
