package org.coar.workbench.ui.ablation;

import java.io.IOException;
import java.nio.file.Files;
import javafx.fxml.FXML;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import org.coar.workbench.ui.common.DialogService;

/** The SLURM array script that fills the store on a cluster: its settings, the script, copy and save. */
public final class SlurmScriptController {
    private final BuildViewModel viewModel;
    private final DialogService dialogs;

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

    public SlurmScriptController(BuildViewModel viewModel, DialogService dialogs) {
        this.viewModel = viewModel;
        this.dialogs = dialogs;
    }

    @FXML
    private void initialize() {
        SlurmScriptForm form = viewModel.slurm();
        slurmTasksField.textProperty().bindBidirectional(form.tasksProperty());
        slurmGpusField.textProperty().bindBidirectional(form.gpusProperty());
        slurmPartitionField.textProperty().bindBidirectional(form.partitionProperty());
        slurmTimeField.textProperty().bindBidirectional(form.timeProperty());
        slurmScriptArea.textProperty().bind(form.scriptProperty());
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
