package org.coar.workbench.ui.evaluate;

import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.ScatterChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Region;
import org.coar.workbench.evaluation.Correlation;
import org.coar.workbench.evaluation.EvaluationFiles;
import org.coar.workbench.evaluation.EvaluationResult;
import org.coar.workbench.ui.common.Axes;
import org.coar.workbench.ui.common.Cells;

/**
 * The evaluation's results: correlations per α and method, the summary, and native charts of them:
 * mean correlation against α, one histogram of the per-example correlation per method, and the chosen
 * example's predicted against actual outputs per method.
 */
public final class EvaluationResultsController {
    private static final double CHART_MIN_WIDTH = 320;
    private static final double CHART_HEIGHT = 280;
    private static final double GAP = 8;
    private static final double METHOD_COLUMN_WIDTH = 130;

    private final EvaluationViewModel evaluation;

    @FXML
    private TableView<EvaluationResult.AlphaResult> correlationTable;
    @FXML
    private Label evaluationText;
    @FXML
    private LineChart<Number, Number> versusAlphaChart;
    @FXML
    private NumberAxis alphaAxis;
    @FXML
    private NumberAxis meanAxis;
    @FXML
    private FlowPane histogramPane;
    @FXML
    private Spinner<Integer> exampleSpinner;
    @FXML
    private Label exampleCountLabel;
    @FXML
    private Label exampleText;
    @FXML
    private FlowPane scatterPane;

    public EvaluationResultsController(EvaluationViewModel evaluation) {
        this.evaluation = evaluation;
    }

    @FXML
    private void initialize() {
        evaluationText.textProperty().bind(evaluation.resultTextProperty());
        exampleText.textProperty().bind(evaluation.exampleTextProperty());
        Axes.useTicks(alphaAxis, 3);
        Axes.useTicks(meanAxis, 2);
        // as tall as its rows, with room for the horizontal scroll bar a narrow window needs (columns never shrink into "0.9…")
        correlationTable.prefHeightProperty().bind(Bindings.size(correlationTable.getItems())
                .multiply(correlationTable.getFixedCellSize()).add(74).map(h -> Math.max(h.doubleValue(), 90)));
        SpinnerValueFactory.IntegerSpinnerValueFactory examples = new SpinnerValueFactory.IntegerSpinnerValueFactory(0, 0);
        exampleSpinner.setValueFactory(examples);
        exampleSpinner.disableProperty().bind(evaluation.correlationsProperty().isNull());
        examples.valueProperty().addListener((obs, old, now) -> {
            if (now != null && evaluation.correlationsProperty().get() != null) {
                evaluation.exampleProperty().set(now);
            }
        });
        evaluation.exampleProperty().addListener((obs, old, now) -> {
            if (now != null) {
                examples.setValue(now);
            }
        });
        evaluation.correlationsProperty().addListener((obs, old, now) -> {
            examples.setMax(now == null ? 0 : Math.max(0, now.examples() - 1));
            exampleCountLabel.setText(now == null ? "" : String.format(Locale.ROOT, "of 0..%d", now.examples() - 1));
            showHistograms(now);
        });
        evaluation.exampleRunsProperty().addListener((obs, old, now) -> showScatters(now));
        evaluation.resultProperty().addListener((obs, old, now) -> show(now));
        for (FlowPane pane : List.of(histogramPane, scatterPane)) {
            pane.widthProperty().addListener((obs, old, now) -> fitTiles(pane));
        }
        show(evaluation.resultProperty().get());
        showHistograms(evaluation.correlationsProperty().get());
        showScatters(evaluation.exampleRunsProperty().get());
    }

    private void show(EvaluationResult result) {
        correlationTable.getColumns().clear();
        correlationTable.getItems().clear();
        versusAlphaChart.getData().clear();
        if (result == null) {
            return;
        }
        TableColumn<EvaluationResult.AlphaResult, String> alpha = new TableColumn<>("α");
        Cells.value(alpha, row -> String.valueOf(row.alpha()));
        alpha.setMinWidth(60);
        alpha.setPrefWidth(60);
        correlationTable.getColumns().add(alpha);
        for (String method : result.methods()) {
            TableColumn<EvaluationResult.AlphaResult, String> column = new TableColumn<>();
            Label header = new Label(method); // wraps where the column is narrow, instead of eliding the method's name
            header.setWrapText(true);
            header.setMinHeight(Region.USE_PREF_SIZE);
            column.setGraphic(header);
            Cells.value(column, row -> {
                Correlation.Summary s = row.byMethod().get(method);
                return s == null ? "—" : String.format(Locale.ROOT, "%.3f (%.3f)", s.mean(), s.median());
            });
            // a cell's "0.963 (0.990)" and its name in two lines at most, never broken inside a word ("leave-one-out")
            int longestWord = java.util.Arrays.stream(method.split(" ")).mapToInt(String::length).max().orElse(0);
            double width = Math.max(METHOD_COLUMN_WIDTH, 10.0 * longestWord + 24);
            column.setMinWidth(width);
            column.setPrefWidth(width);
            correlationTable.getColumns().add(column);
        }
        correlationTable.getItems().setAll(result.alphas());
        versusAlphaChart.getData().setAll(EvaluationCharts.versusAlpha(result));
    }

    private void showHistograms(EvaluationFiles.Correlations correlations) {
        histogramPane.getChildren().clear();
        if (correlations == null) {
            return;
        }
        for (String method : correlations.byMethod().keySet()) {
            EvaluationCharts.Histogram histogram = EvaluationCharts.histogram(correlations, method);
            NumberAxis x = new NumberAxis();
            x.setLabel("Pearson correlation, actual vs predicted");
            EvaluationCharts.correlationAxis(x, histogram);
            NumberAxis y = new NumberAxis();
            y.setLabel("examples");
            EvaluationCharts.countAxis(y, histogram.highestCount());
            LineChart<Number, Number> chart = new LineChart<>(x, y);
            chart.setTitle(method);
            chart.setCreateSymbols(false);
            chart.setAxisSortingPolicy(LineChart.SortingPolicy.NONE);
            chart.getData().setAll(EvaluationCharts.histogramSeries(histogram, correlations.alphas()));
            histogramPane.getChildren().add(tile(chart, "histogram-" + EvaluationCharts.key(method)));
        }
        fitTiles(histogramPane);
    }

    private void showScatters(EvaluationFiles.ExampleRuns runs) {
        scatterPane.getChildren().clear();
        if (runs == null) {
            return;
        }
        for (String method : EvaluationCharts.scatterMethods(runs)) {
            NumberAxis x = new NumberAxis();
            x.setLabel("actual output");
            x.setForceZeroInRange(false);
            Axes.useTicks(x, 2);
            NumberAxis y = new NumberAxis();
            y.setLabel("predicted output");
            y.setForceZeroInRange(false);
            Axes.useTicks(y, 2);
            ScatterChart<Number, Number> chart = new ScatterChart<>(x, y);
            chart.setTitle(method + ", example " + runs.example());
            chart.getData().setAll(EvaluationCharts.scatter(runs, method));
            scatterPane.getChildren().add(tile(chart, "scatter-" + EvaluationCharts.key(method)));
        }
        fitTiles(scatterPane);
    }

    private static XYChart<Number, Number> tile(XYChart<Number, Number> chart, String id) {
        chart.setId(id);
        chart.setAnimated(false);
        chart.getXAxis().setAnimated(false);
        chart.getYAxis().setAnimated(false);
        chart.setMinSize(CHART_MIN_WIDTH, CHART_HEIGHT - 40);
        chart.setPrefHeight(CHART_HEIGHT);
        return chart;
    }

    /** Two charts a row where both get their minimum width, else one a row, each filling its share of the width. */
    private static void fitTiles(FlowPane pane) {
        double width = pane.getWidth();
        if (width <= 0) {
            return;
        }
        int columns = width >= 2 * CHART_MIN_WIDTH + GAP ? 2 : 1;
        double tile = Math.max(CHART_MIN_WIDTH, Math.floor((width - GAP * (columns - 1)) / columns) - 1);
        pane.getChildren().forEach(chart -> ((Region) chart).setPrefWidth(tile));
    }
}
