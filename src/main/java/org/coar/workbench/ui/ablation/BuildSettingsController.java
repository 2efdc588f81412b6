package org.coar.workbench.ui.ablation;

import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.cell.CheckBoxListCell;

/** The build's store, devices and settings; α and seed are locked once run.json records them. */
public final class BuildSettingsController {
    private final BuildViewModel viewModel;

    @FXML
    private Label storeSummary;
    @FXML
    private Label runSummary;
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

    public BuildSettingsController(BuildViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        storeSummary.textProperty().bind(viewModel.storeSummaryProperty());
        runSummary.textProperty().bind(viewModel.runSummaryProperty());
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
    }
}
