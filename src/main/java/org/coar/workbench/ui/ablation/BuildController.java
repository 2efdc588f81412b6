package org.coar.workbench.ui.ablation;

import java.io.IOException;
import java.nio.file.Files;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.cell.CheckBoxListCell;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import org.coar.workbench.ablation.BuildProgress;
import org.coar.workbench.ui.common.Cells;
import org.coar.workbench.ui.common.DialogService;
import org.coar.workbench.ui.common.ProjectState;

/** Build panel: devices and settings, start / pause / cancel, live progress, SLURM script. */
public final class BuildController {
    private final BuildViewModel viewModel;
    private final ProjectState project;
    private final DialogService dialogs;

    @FXML
    private Label storeSummary;
    @FXML
    private Label runSummary;
    @FXML
    private Label resultLabel;
    @FXML
    private ListView<DeviceOption> deviceList;
    @FXML
    private Label deviceNote;
    @FXML
    private TextField alphaField;
    @FXML
    private TextField seedField;
    @FXML
    private TextField batchSizeField;
    @FXML
    private TextField cpuWorkersField;
    @FXML
    private TextField startField;
    @FXML
    private TextField endField;
    @FXML
    private TextField partitionField;
    @FXML
    private Button startButton;
    @FXML
    private Button pauseButton;
    @FXML
    private Button cancelButton;
    @FXML
    private ProgressBar progressBar;
    @FXML
    private Label rowsLabel;
    @FXML
    private Label rateLabel;
    @FXML
    private Label etaLabel;
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
    @FXML
    private LineChart<Number, Number> accuracyChart;
    @FXML
    private Label chartPlaceholder;
    @FXML
    private TableView<org.coar.workbench.ablation.TaskRecord> taskTable;
    @FXML
    private TableColumn<org.coar.workbench.ablation.TaskRecord, String> taskNameColumn;
    @FXML
    private TableColumn<org.coar.workbench.ablation.TaskRecord, String> taskRowsColumn;
    @FXML
    private TableColumn<org.coar.workbench.ablation.TaskRecord, Long> taskBuiltColumn;
    @FXML
    private TableColumn<org.coar.workbench.ablation.TaskRecord, String> taskStateColumn;
    @FXML
    private TextField slurmTasksField;
    @FXML
    private TextField slurmGpusField;
    @FXML
    private TextField slurmPartitionField;
    @FXML
    private TextField slurmTimeField;
    @FXML
    private TextArea slurmScriptArea;

    private final XYChart.Series<Number, Number> accuracySeries = new XYChart.Series<>();

    public BuildController(BuildViewModel viewModel, ProjectState project, DialogService dialogs) {
        this.viewModel = viewModel;
        this.project = project;
        this.dialogs = dialogs;
    }

    @FXML
    private void initialize() {
        storeSummary.textProperty().bind(viewModel.storeSummaryProperty());
        runSummary.textProperty().bind(viewModel.runSummaryProperty());
        resultLabel.textProperty().bind(viewModel.resultTextProperty());
        deviceList.setItems(viewModel.devices());
        deviceNote.textProperty().bind(viewModel.deviceNoteProperty());
        deviceNote.visibleProperty().bind(viewModel.deviceNoteProperty().isNotEmpty());
        deviceNote.managedProperty().bind(deviceNote.visibleProperty());
        deviceList.setCellFactory(CheckBoxListCell.forListView(DeviceOption::selectedProperty));
        alphaField.textProperty().bindBidirectional(viewModel.alphaProperty());
        seedField.textProperty().bindBidirectional(viewModel.seedProperty());
        alphaField.disableProperty().bind(viewModel.settingsRecordedProperty().or(viewModel.runningProperty()));
        seedField.disableProperty().bind(viewModel.settingsRecordedProperty().or(viewModel.runningProperty()));
        batchSizeField.textProperty().bindBidirectional(viewModel.batchSizeProperty());
        cpuWorkersField.textProperty().bindBidirectional(viewModel.cpuWorkersProperty());
        startField.textProperty().bindBidirectional(viewModel.startProperty());
        endField.textProperty().bindBidirectional(viewModel.endProperty());
        partitionField.textProperty().bindBidirectional(viewModel.partitionProperty());

        startButton.disableProperty().bind(viewModel.runningProperty().or(project.storeProperty().isNull()));
        pauseButton.disableProperty().bind(viewModel.runningProperty().not());
        cancelButton.disableProperty().bind(viewModel.runningProperty().not());
        pauseButton.textProperty().bind(viewModel.pausedProperty().map(p -> p ? "Resume" : "Pause"));

        progressBar.progressProperty().bind(viewModel.progressProperty());
        rowsLabel.textProperty().bind(viewModel.rowsTextProperty());
        rateLabel.textProperty().bind(viewModel.rateTextProperty());
        etaLabel.textProperty().bind(viewModel.etaTextProperty());
        workerTable.setItems(viewModel.workers());
        Cells.value(workerDeviceColumn, row -> row.device());
        Cells.value(workerStateColumn, row -> row.state());
        Cells.value(workerRowsColumn, row -> row.rowsBuilt());
        Cells.value(workerRateColumn, BuildViewModel::workerRate);
        Cells.value(workerBatchColumn, row -> row.batchSize() > 0 ? String.valueOf(row.batchSize()) : "");
        Cells.value(workerMemoryColumn, BuildViewModel::workerMemory);

        accuracySeries.setName("ablated accuracy of the latest rows");
        accuracyChart.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(viewModel.accuracy()));
        chartPlaceholder.visibleProperty().bind(accuracyChart.visibleProperty().not());
        accuracyChart.getData().add(accuracySeries);
        viewModel.accuracy().addListener((ListChangeListener<BuildViewModel.AccuracyPoint>) change ->
                accuracySeries.getData().setAll(viewModel.accuracy().stream()
                        .map(p -> new XYChart.Data<Number, Number>(p.row(), p.accuracy())).toList()));

        taskTable.setItems(viewModel.tasksFillingStore());
        Cells.value(taskNameColumn, row -> row.label());
        Cells.value(taskRowsColumn, row -> row.start() + "-" + (row.end() - 1));
        Cells.value(taskBuiltColumn, row -> row.rowsBuilt());
        Cells.value(taskStateColumn, row -> row.displayState(java.time.Instant.now(), java.time.Duration.ofMinutes(5)));
        slurmTasksField.textProperty().bindBidirectional(viewModel.slurmTasksProperty());
        slurmGpusField.textProperty().bindBidirectional(viewModel.slurmGpusProperty());
        slurmPartitionField.textProperty().bindBidirectional(viewModel.slurmPartitionProperty());
        slurmTimeField.textProperty().bindBidirectional(viewModel.slurmTimeProperty());
        slurmScriptArea.textProperty().bind(viewModel.slurmScriptProperty());
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

    @FXML
    private void onCopyScript() {
        ClipboardContent content = new ClipboardContent();
        content.putString(slurmScriptArea.getText());
        Clipboard.getSystemClipboard().setContent(content);
    }

    @FXML
    private void onSaveScript() {
        dialogs.chooseSaveFile("Save the SLURM array script", "coar-build.sbatch").ifPresent(file -> {
            try {
                Files.writeString(file, slurmScriptArea.getText());
            } catch (IOException e) {
                dialogs.showError("Cannot save the script", file + ": " + e.getMessage());
            }
        });
    }
}
