package org.coar.workbench.ui.ablation;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import org.coar.workbench.ui.common.DialogService;
import org.coar.workbench.ui.common.ProjectState;

/**
 * Build panel's toolbar: open a store, start / pause / cancel the build. The sub-panels (settings,
 * processes, SLURM script, progress, chart) have controllers of their own.
 */
public final class BuildController {
    private final BuildViewModel viewModel;
    private final ProjectState project;
    private final DialogService dialogs;

    @FXML
    private Button startButton;
    @FXML
    private Button pauseButton;
    @FXML
    private Button cancelButton;

    public BuildController(BuildViewModel viewModel, ProjectState project, DialogService dialogs) {
        this.viewModel = viewModel;
        this.project = project;
        this.dialogs = dialogs;
    }

    @FXML
    private void initialize() {
        startButton.disableProperty().bind(viewModel.runningProperty().or(project.storeProperty().isNull())
                .or(viewModel.storeCompleteProperty()));
        pauseButton.disableProperty().bind(viewModel.runningProperty().not());
        cancelButton.disableProperty().bind(viewModel.runningProperty().not());
        pauseButton.textProperty().bind(viewModel.pausedProperty().map(p -> p ? "Resume" : "Pause"));
    }

    @FXML
    private void onOpenStore() {
        viewModel.openStore();
    }

    @FXML
    private void onStart() {
        viewModel.startBuild();
    }

    @FXML
    private void onPause() {
        viewModel.togglePause();
    }

    @FXML
    private void onCancel() {
        viewModel.cancel();
    }
}
