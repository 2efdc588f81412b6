package org.coar.workbench.ui.ablation;

import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;

/** The ablated accuracy of the latest rows as a build runs; a note in its place before. */
public final class BuildChartController {
    private final BuildViewModel viewModel;
    private final XYChart.Series<Number, Number> accuracySeries = new XYChart.Series<>();

    @FXML
    private LineChart<Number, Number> accuracyChart;
    @FXML
    private Label chartPlaceholder;

    public BuildChartController(BuildViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        accuracySeries.setName("ablated accuracy of the latest rows");
        accuracyChart.visibleProperty().bind(Bindings.isNotEmpty(viewModel.accuracy()));
        chartPlaceholder.visibleProperty().bind(accuracyChart.visibleProperty().not());
        accuracyChart.getData().add(accuracySeries);
        viewModel.accuracy().addListener((ListChangeListener<BuildViewModel.AccuracyPoint>) change ->
                accuracySeries.getData().setAll(viewModel.accuracy().stream()
                        .map(p -> new XYChart.Data<Number, Number>(p.row(), p.accuracy())).toList()));
    }
}
