package org.coar.workbench.ui.ablation;

import java.time.Duration;
import java.time.Instant;
import javafx.fxml.FXML;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import org.coar.workbench.ablation.TaskRecord;
import org.coar.workbench.ui.common.Cells;

/** Every process (this one, others, SLURM array tasks) that has filled rows of the store, with its state. */
public final class BuildTasksController {
    /** A running task silent for this long is shown as STALLED. */
    private static final Duration STALLED_AFTER = Duration.ofMinutes(5);

    private final BuildViewModel viewModel;

    @FXML
    private TableView<TaskRecord> taskTable;
    @FXML
    private TableColumn<TaskRecord, String> taskNameColumn;
    @FXML
    private TableColumn<TaskRecord, String> taskRowsColumn;
    @FXML
    private TableColumn<TaskRecord, Long> taskBuiltColumn;
    @FXML
    private TableColumn<TaskRecord, String> taskStateColumn;

    public BuildTasksController(BuildViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        taskTable.setItems(viewModel.tasksFillingStore());
        Cells.value(taskNameColumn, TaskRecord::label);
        Cells.value(taskRowsColumn, row -> row.start() + "-" + (row.end() - 1));
        Cells.value(taskBuiltColumn, TaskRecord::rowsBuilt);
        Cells.value(taskStateColumn, row -> row.displayState(Instant.now(), STALLED_AFTER));
    }
}
