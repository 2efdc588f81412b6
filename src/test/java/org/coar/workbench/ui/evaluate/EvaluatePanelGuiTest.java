package org.coar.workbench.ui.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.ScatterChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.layout.FlowPane;
import javafx.stage.Stage;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.ui.GuiTestSupport;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

/**
 * The Evaluate tab on an evaluation 'coar eval' wrote (the demo model, 50 examples, α 0.05 and 0.1,
 * 5 runs each, every baseline): native charts with a point per α, run or bin, the scatter of the
 * example the user picks, and a layout that scrolls at 1024 × 640.
 */
class EvaluatePanelGuiTest extends GuiTestSupport {
    private static final int EXAMPLES = 50;
    private static final int RUNS = 5;

    @Start
    void start(Stage stage) throws IOException {
        startWorkbench(stage);
    }

    private static Path evaluatedStore(String name) throws IOException {
        Path store = fittedStore(name);
        coar("eval", "--store", store.toString(), "--attributions", store.resolve("attributions").toString(), "--alphas", "0.05,0.1",
                "--runs", String.valueOf(RUNS), "--devices", "cpu");
        return store;
    }

    @Test
    void chartsAreNativeAndTheScatterFollowsTheChosenExample(FxRobot robot) throws IOException {
        Path store = evaluatedStore("evaluate-gui-store");
        robot.interact(() -> {
            stage.setWidth(1280);
            stage.setHeight(800);
            workbench.project().storeProperty().set(store);
        });
        robot.clickOn("#nav-evaluate");
        waitFor("the evaluation on disk", () -> robot.lookup("#scatter-coar").tryQuery().isPresent());

        LineChart<Number, Number> versusAlpha = robot.lookup("#versusAlphaChart").queryAs(LineChart.class);
        assertEquals(List.of("COAR", "leave-one-out", "gradient x parameter", "weight norm"),
                versusAlpha.getData().stream().map(XYChart.Series::getName).toList());
        versusAlpha.getData().forEach(line -> assertEquals(2, line.getData().size(), line.getName() + ": one point per α"));
        assertTrue(versusAlpha.getXAxis() instanceof NumberAxis && versusAlpha.getYAxis() instanceof NumberAxis);

        FlowPane histograms = robot.lookup("#histogramPane").queryAs(FlowPane.class);
        assertEquals(4, histograms.getChildren().size(), "one histogram per method");
        for (Node node : histograms.getChildren()) {
            LineChart<Number, Number> histogram = (LineChart<Number, Number>) node;
            assertEquals(2, histogram.getData().size(), histogram.getTitle() + ": one outline per α");
            int examples = 0;
            for (XYChart.Series<Number, Number> outline : histogram.getData()) {
                assertEquals(2 * EvaluationCharts.BINS + 2, outline.getData().size());
                for (int bin = 0; bin < EvaluationCharts.BINS; bin++) {
                    examples += outline.getData().get(1 + 2 * bin).getYValue().intValue();
                }
            }
            assertTrue(examples <= 2 * EXAMPLES && examples > 0, histogram.getTitle() + ": " + examples + " counted");
            assertEquals(0.0, ((NumberAxis) histogram.getYAxis()).getTickUnit() % 1.0, "whole-number count ticks");
        }

        FlowPane scatters = robot.lookup("#scatterPane").queryAs(FlowPane.class);
        assertEquals(List.of("scatter-coar", "scatter-leave-one-out", "scatter-gradient-x-parameter"),
                scatters.getChildren().stream().map(Node::getId).toList(), "every method with output units");
        int picked = workbench.evaluationViewModel().exampleProperty().get();
        ScatterChart<Number, Number> coar = robot.lookup("#scatter-coar").queryAs(ScatterChart.class);
        assertEquals(2, coar.getData().size());
        coar.getData().forEach(points -> assertEquals(RUNS, points.getData().size(), "one point per run"));
        assertEquals(column(store, 0.05, picked), xValues(coar.getData().getFirst()), "x: the ablated model's outputs of the example");
        assertTrue(robot.lookup("#resultsScroll").lookup(".image-view").queryAll().isEmpty(), "no scaled figure images");
        screenshot(robot, "evaluate-charts-1280x800");
        robot.interact(() -> robot.lookup("#resultsScroll").queryAs(ScrollPane.class).setVvalue(0.45));
        screenshot(robot, "evaluate-histograms-1280x800");

        // Another example: the spinner's arrow steps to it and the scatter redraws from its runs.
        Spinner<Integer> chooser = robot.lookup("#exampleSpinner").queryAs(Spinner.class);
        int next = picked == EXAMPLES - 1 ? picked - 1 : picked + 1;
        robot.interact(() -> chooser.getValueFactory().setValue(next));
        waitFor("the scatter of example " + next, () -> robot.lookup("#scatter-coar").queryAs(ScatterChart.class).getTitle()
                .equals("COAR, example " + next));
        ScatterChart<Number, Number> redrawn = robot.lookup("#scatter-coar").queryAs(ScatterChart.class);
        assertEquals(column(store, 0.05, next), xValues(redrawn.getData().getFirst()));
        assertNotEquals(column(store, 0.05, picked), column(store, 0.05, next));
        robot.interact(() -> robot.lookup("#resultsScroll").queryAs(ScrollPane.class).setVvalue(1));
        screenshot(robot, "evaluate-scatter-1280x800");
        robot.interact(() -> robot.lookup("#resultsScroll").queryAs(ScrollPane.class).setVvalue(0));

        // At 1024 × 640 the tab scrolls; the charts keep their minimum size and stay below the toolbar.
        robot.interact(() -> {
            stage.setWidth(1024);
            stage.setHeight(640);
        });
        ScrollPane scroll = robot.lookup("#resultsScroll").queryAs(ScrollPane.class);
        waitFor("the smaller layout", () -> scroll.getViewportBounds().getHeight() < scroll.getContent().getBoundsInLocal().getHeight());
        for (Node chart : List.of(versusAlpha, histograms.getChildren().getFirst(), redrawn)) {
            Bounds b = chart.getLayoutBounds();
            assertTrue(b.getWidth() >= 320 && b.getHeight() >= 240, chart.getId() + " " + b);
        }
        Bounds tab = scroll.localToScene(scroll.getLayoutBounds());
        Node headers = robot.lookup("#tabs").lookup(".tab-header-area").query();
        Bounds tabs = headers.localToScene(headers.getLayoutBounds());
        assertTrue(tab.getMinY() >= tabs.getMaxY() - 1, "the results start below the tab headers: " + tab + " vs " + tabs);
        screenshot(robot, "evaluate-charts-1024x640");
        robot.interact(() -> scroll.setVvalue(0.4));
        screenshot(robot, "evaluate-histograms-1024x640");
        robot.interact(() -> scroll.setVvalue(1));
        screenshot(robot, "evaluate-scatter-1024x640");
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
    }

    @Test
    void anotherStoreClearsTheChartsOfThePreviousOne(FxRobot robot) throws IOException {
        Path evaluated = evaluatedStore("evaluate-gui-first");
        Path plain = fittedStore("evaluate-gui-second");
        robot.interact(() -> workbench.project().storeProperty().set(evaluated));
        robot.clickOn("#nav-evaluate");
        waitFor("the evaluation on disk", () -> robot.lookup("#scatter-coar").tryQuery().isPresent());
        robot.interact(() -> workbench.project().storeProperty().set(plain));
        waitFor("the second store's attributions", () -> plain.resolve("attributions").equals(workbench.project().attributionsProperty().get()));
        LineChart<Number, Number> versusAlpha = robot.lookup("#versusAlphaChart").queryAs(LineChart.class);
        waitFor("the charts cleared", () -> versusAlpha.getData().isEmpty()
                && robot.lookup("#histogramPane").queryAs(FlowPane.class).getChildren().isEmpty()
                && robot.lookup("#scatterPane").queryAs(FlowPane.class).getChildren().isEmpty());
        assertEquals(plain.resolve("attributions/eval").toString(), workbench.evaluationViewModel().outDirProperty().get());
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
    }

    /** Example {@code example}'s outputs over the runs at α, read straight from the array coar eval wrote. */
    private static List<Double> column(Path store, double alpha, int example) throws IOException {
        try (NpyArray outputs = NpyArray.open(store.resolve("attributions/eval/outputs_alpha_" + alpha + ".npy"), false)) {
            List<Double> values = new ArrayList<>();
            for (int run = 0; run < outputs.rows(); run++) {
                values.add(outputs.get(run * outputs.rowLength() + example));
            }
            return values;
        }
    }

    private static List<Double> xValues(XYChart.Series<Number, Number> series) {
        return series.getData().stream().map(point -> point.getXValue().doubleValue()).toList();
    }
}
