package org.coar.workbench.ui.ablation;

import javafx.fxml.FXML;
import javafx.geometry.Bounds;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
import org.coar.workbench.ablation.BuildProgress;
import org.coar.workbench.ui.common.Cells;

/** The build's progress: rows, rate and ETA, the outcome, and one row per worker. */
public final class BuildProgressController {
    private final BuildViewModel viewModel;

    @FXML
    private ScrollPane scroll;
    @FXML
    private VBox content;
    @FXML
    private ProgressBar progressBar;
    @FXML
    private Label rowsLabel;
    @FXML
    private Label rateLabel;
    @FXML
    private Label etaLabel;
    @FXML
    private Label resultLabel;
    @FXML
    private TableView<BuildProgress.WorkerState> workerTable;
    @FXML
    private TableColumn<BuildProgress.WorkerState, String> workerDeviceColumn;
    @FXML
    private TableColumn<BuildProgress.WorkerState, String> workerStateColumn;
    @FXML
    private TableColumn<BuildProgress.WorkerState, Long> workerRowsColumn;
    @FXML
    private TableColumn<BuildProgress.WorkerState, String> workerRateColumn;
    @FXML
    private TableColumn<BuildProgress.WorkerState, String> workerBatchColumn;
    @FXML
    private TableColumn<BuildProgress.WorkerState, String> workerMemoryColumn;

    public BuildProgressController(BuildViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        // The charts fill the height there is, and below their minimum sizes the panel scrolls.
        content.prefHeightProperty().bind(scroll.viewportBoundsProperty().map(Bounds::getHeight));
        BuildFigures figures = viewModel.figures();
        progressBar.progressProperty().bind(figures.progressProperty());
        rowsLabel.textProperty().bind(figures.rowsTextProperty());
        rateLabel.textProperty().bind(figures.rateTextProperty());
        etaLabel.textProperty().bind(figures.etaTextProperty());
        resultLabel.textProperty().bind(viewModel.resultTextProperty());
        workerTable.setItems(figures.workers());
        Cells.value(workerDeviceColumn, BuildProgress.WorkerState::device);
        Cells.value(workerStateColumn, row -> row.state().label());
        Cells.value(workerRowsColumn, BuildProgress.WorkerState::rowsBuilt);
        Cells.value(workerRateColumn, BuildViewModel::workerRate);
        Cells.value(workerBatchColumn, row -> row.batchSize() > 0 ? String.valueOf(row.batchSize()) : "");
        Cells.value(workerMemoryColumn, BuildViewModel::workerMemory);
    }
}
