package org.coar.workbench.ui.ablation;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.chart.AreaChart;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import org.coar.workbench.ui.common.Axes;

/**
 * The accuracy of the latest rows with the unablated model's as a dashed reference line (both on
 * an axis scaled to them, so a narrow band is not drawn flat), and the histogram of the latest
 * rows' outputs drawn as steps on a numeric axis.
 */
public final class BuildChartController {
    private final BuildChartModel chart;
    private final XYChart.Series<Number, Number> accuracySeries = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> unablatedSeries = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> outputSeries = new XYChart.Series<>();

    @FXML
    private HBox charts;
    @FXML
    private LineChart<Number, Number> accuracyChart;
    @FXML
    private NumberAxis rowsAxis;
    @FXML
    private NumberAxis accuracyAxis;
    @FXML
    private AreaChart<Number, Number> outputChart;
    @FXML
    private NumberAxis outputAxis;
    @FXML
    private NumberAxis countAxis;
    @FXML
    private Label chartPlaceholder;

    public BuildChartController(BuildViewModel viewModel) {
        this.chart = viewModel.figures().chart();
    }

    @FXML
    private void initialize() {
        Axes.useTicks(rowsAxis, 0);
        Axes.useTicks(accuracyAxis, 3);
        Axes.useTicks(outputAxis, 2);
        Axes.useTicks(countAxis, 0);
        accuracySeries.setName("ablated rows");
        unablatedSeries.setName("unablated model");
        accuracyChart.getData().add(accuracySeries);
        accuracyChart.getData().add(unablatedSeries);
        outputChart.getData().add(outputSeries);
        charts.visibleProperty().bind(Bindings.isNotEmpty(chart.accuracy()));
        chartPlaceholder.visibleProperty().bind(charts.visibleProperty().not());
        accuracyChart.legendVisibleProperty().bind(chart.unablatedAccuracyProperty().map(a -> !Double.isNaN(a.doubleValue())));
        outputChart.titleProperty().bind(chart.outputNameProperty().map(name -> "Latest rows' " + name + "s"));
        outputAxis.labelProperty().bind(chart.outputNameProperty());
        chart.accuracy().addListener((ListChangeListener<BuildChartModel.AccuracyPoint>) change -> drawAccuracy());
        chart.unablatedAccuracyProperty().addListener((obs, old, now) -> drawAccuracy());
        chart.histogramProperty().addListener((obs, old, now) -> outputSeries.getData().setAll(steps(now)));
    }

    private void drawAccuracy() {
        List<BuildChartModel.AccuracyPoint> points = chart.accuracy();
        accuracySeries.getData().setAll(points.stream()
                .map(p -> new XYChart.Data<Number, Number>(p.rowsBuilt(), p.accuracy())).toList());
        double unablated = chart.unablatedAccuracyProperty().get();
        if (points.isEmpty() || Double.isNaN(unablated)) {
            unablatedSeries.getData().clear();
        } else {
            unablatedSeries.getData().setAll(List.of(new XYChart.Data<>(points.getFirst().rowsBuilt(), unablated),
                    new XYChart.Data<>(points.getLast().rowsBuilt(), unablated)));
        }
    }

    /** The histogram's outline: up and across each bin, down to zero at both ends. */
    private static List<XYChart.Data<Number, Number>> steps(BuildChartModel.Histogram histogram) {
        List<XYChart.Data<Number, Number>> points = new ArrayList<>();
        if (histogram == null) {
            return points;
        }
        points.add(new XYChart.Data<>(histogram.low(), 0));
        for (int b = 0; b < histogram.counts().length; b++) {
            points.add(new XYChart.Data<>(histogram.low() + b * histogram.binWidth(), histogram.counts()[b]));
            points.add(new XYChart.Data<>(histogram.low() + (b + 1) * histogram.binWidth(), histogram.counts()[b]));
        }
        points.add(new XYChart.Data<>(histogram.high(), 0));
        return points;
    }
}
