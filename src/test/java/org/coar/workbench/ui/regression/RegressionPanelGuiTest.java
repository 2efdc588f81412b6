package org.coar.workbench.ui.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.chart.AreaChart;
import javafx.scene.chart.Axis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ToolBar;
import javafx.scene.layout.GridPane;
import javafx.stage.Stage;
import org.coar.workbench.fit.Solver;
import org.coar.workbench.ui.GuiTestSupport;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

/**
 * The Regression panel in the window: a store's existing fit shown when it opens (and cleared for
 * the next store), histograms on numeric axes with round ticks and whole counts, λ on powers of
 * ten, the memory plan shown as the settings change, and a layout that fits 1024 × 640.
 */
class RegressionPanelGuiTest extends GuiTestSupport {
    @Start
    void start(Stage stage) throws IOException {
        startWorkbench(stage);
    }

    @Test
    void aReopenedStoreShowsItsFitOnNumericAxesAndTheNextStoreClearsIt(FxRobot robot) throws IOException {
        Path fitted = fittedStore("regression-reopened");
        robot.clickOn("#nav-regression");
        robot.interact(() -> workbench.project().storeProperty().set(fitted));
        Label state = robot.lookup("#stateLabel").queryAs(Label.class);
        waitFor("the store's fit", () -> state.getText().equals("Fitted earlier: the report of " + fitted.resolve("attributions") + "."));
        assertEquals("24 training + 6 validation (ordered, as the reference); final fit on 30", reportValue(robot, "Rows"));
        assertEquals("ols — the default", reportValue(robot, "Solver"));
        String size = reportValue(robot, "Size");
        assertTrue(size.startsWith("240 components (") && size.endsWith(" vary in the rows) × 50 examples"), size);
        assertTrue(reportValue(robot, "Validation R²").endsWith(" over 50 examples"), reportValue(robot, "Validation R²"));

        AreaChart<Number, Number> r2 = robot.lookup("#r2Chart").queryAs(AreaChart.class);
        assertTrue(r2.isVisible());
        waitForTicks(r2);
        assertEquals(null, numericAxisProblem(r2.getXAxis(), false), "R² axis");
        assertEquals(null, numericAxisProblem(r2.getYAxis(), true), "count axis");
        assertEquals(50, workbench.regressionViewModel().reportProperty().get().r2().total(), "every example is in the histogram");
        assertTrue(!robot.lookup("#lambdaChart").queryAs(AreaChart.class).isVisible(), "λ = 0 everywhere: no λ histogram");
        assertEquals("λ = 0 for all 50 examples: exact least squares.", robot.lookup("#lambdaNote").queryAs(Label.class).getText());
        fitsTheWindow(robot, "regression-existing-fit");

        Path bare = builtStore("regression-bare");
        robot.interact(() -> workbench.project().storeProperty().set(bare));
        waitFor("the bare store's state", () -> state.getText().equals("No fit of this store yet: choose the settings and press Run fit."));
        assertEquals(0, robot.lookup("#reportGrid").queryAs(GridPane.class).getChildren().size(), "the previous store's report is gone");
        assertTrue(!r2.isVisible());
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
    }

    @Test
    void aLassoFitShowsItsChosenLambdasOnPowersOfTen(FxRobot robot) throws IOException {
        Path store = builtStore("regression-lasso");
        coar("fit", "--store", store.toString(), "--solver", "lasso", "--num-train", "24", "--num-val", "6", "--device", "cpu");
        robot.clickOn("#nav-regression");
        robot.interact(() -> workbench.project().storeProperty().set(store));
        waitFor("the lasso fit", () -> workbench.regressionViewModel().reportProperty().get() != null);
        assertTrue(reportValue(robot, "Solver").startsWith("lasso, k 20, eps 1.0E-4 — "), reportValue(robot, "Solver"));
        FitReport report = workbench.regressionViewModel().reportProperty().get();
        AreaChart<Number, Number> lambda = robot.lookup("#lambdaChart").queryAs(AreaChart.class);
        assertTrue(report.logLambda() != null && lambda.isVisible(), "30 rows for 240 components: the lasso keeps some λ > 0");
        assertTrue(lambda.getXAxis() instanceof NumberAxis);
        waitForTicks(lambda);
        List<String> labels = tickLabels(lambda.getXAxis());
        assertTrue(labels.size() >= 2 && labels.stream().allMatch(l -> l.matches("10[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+|1|10")), labels.toString());
        assertEquals(null, numericAxisProblem(lambda.getYAxis(), true), "count axis");
        assertEquals(report.examples() - report.zeroLambdas(), report.logLambda().total());
        fitsTheWindow(robot, "regression-lasso");
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
    }

    @Test
    void thePlanIsShownAsTheSettingsChangeBeforeTheFitStarts(FxRobot robot) throws IOException {
        Path store = builtStore("regression-plan");
        robot.clickOn("#nav-regression");
        robot.interact(() -> {
            workbench.project().storeProperty().set(store);
            workbench.regressionViewModel().numTrainProperty().set("24");
            workbench.regressionViewModel().numValProperty().set("6");
        });
        Label plan = robot.lookup("#planSummary").queryAs(Label.class);
        // 30 rows for 240 components: the minimum-norm solution from the kernels of the rows.
        waitFor("the least-squares plan", () -> plan.getText().startsWith("Least squares, final fit dual (minimum norm, the 30 × 30 kernel), "
                + "validation fit dual (minimum norm, the 24 × 24 kernel); float64; all 50 outputs in one block.\nPredicted peak "));
        ProgressBar meter = robot.lookup("#planMeter").queryAs(ProgressBar.class);
        assertTrue(meter.isVisible() && meter.getProgress() > 0 && meter.getProgress() < 1, "peak against the budget: " + meter.getProgress());
        ComboBox<Solver> solver = robot.lookup("#solverBox").queryAs(ComboBox.class);
        robot.interact(() -> solver.setValue(Solver.LASSO));
        waitFor("the lasso plan", () -> plan.getText().startsWith("Lasso path on the Gram form (every λ from one 240 × 240 Gram)"));
        assertTrue(robot.lookup("#solverHint").queryAs(Label.class).getText().startsWith("Lasso path: "));
        robot.interact(() -> workbench.regressionViewModel().numTrainProperty().set("1000"));
        waitFor("the refusal", () -> plan.getText().startsWith("No plan fits: "));
        assertTrue(!meter.isVisible());
        robot.interact(() -> workbench.regressionViewModel().numTrainProperty().set("24"));
        waitFor("the lasso plan again", () -> plan.getText().startsWith("Lasso path"));
        fitsTheWindow(robot, "regression-plan");
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
    }

    /** At both sizes: the panel's content stays below its toolbar (it scrolls instead) and the charts keep their minimum size. */
    private void fitsTheWindow(FxRobot robot, String name) throws IOException {
        for (double[] size : new double[][] {{1280, 800}, {1024, 640}}) {
            robot.interact(() -> {
                stage.setWidth(size[0]);
                stage.setHeight(size[1]);
            });
            screenshot(robot, name + "-" + (int) size[0] + "x" + (int) size[1]);
            Node toolbar = robot.lookup("#regressionToolbar").queryAs(ToolBar.class);
            Node split = robot.lookup("#regressionSplit").query();
            Bounds bar = toolbar.localToScene(toolbar.getBoundsInLocal());
            Bounds content = split.localToScene(split.getBoundsInLocal());
            assertTrue(content.getMinY() >= bar.getMaxY() - 0.5, size[0] + " × " + size[1] + ": the content starts at y " + content.getMinY()
                    + ", over the toolbar ending at " + bar.getMaxY());
            AreaChart<?, ?> r2 = robot.lookup("#r2Chart").queryAs(AreaChart.class);
            if (r2.isVisible()) {
                assertTrue(r2.getHeight() >= 239 && r2.getWidth() >= 249, "chart " + r2.getWidth() + " × " + r2.getHeight());
            }
        }
    }

    /** Tick labels are made when the chart is next laid out. */
    private static void waitForTicks(AreaChart<Number, Number> chart) {
        waitFor("the axes' ticks", () -> !chart.getXAxis().getTickMarks().isEmpty() && !chart.getYAxis().getTickMarks().isEmpty());
    }

    private static String reportValue(FxRobot robot, String name) {
        GridPane grid = robot.lookup("#reportGrid").queryAs(GridPane.class);
        List<Node> cells = grid.getChildren();
        for (int i = 0; i + 1 < cells.size(); i += 2) {
            if (((Label) cells.get(i)).getText().equals(name)) {
                return ((Label) cells.get(i + 1)).getText();
            }
        }
        return "<no " + name + " in the report: " + cells.stream().map(c -> ((Label) c).getText()).toList() + ">";
    }

    /** The labels the axis draws (its formatter applied to each tick; the text nodes are the axis's own). */
    private static List<String> tickLabels(Axis<Number> axis) {
        NumberAxis number = (NumberAxis) axis;
        List<String> labels = new ArrayList<>();
        axis.getTickMarks().forEach(t -> labels.add(number.getTickLabelFormatter().toString(t.getValue())));
        return labels;
    }

    /**
     * Null when {@code axis} is numeric with evenly spaced ticks whose labels read as numbers, none of them "-0",
     * and for counts only whole numbers; otherwise what is wrong.
     */
    private static String numericAxisProblem(Axis<Number> axis, boolean counts) {
        if (!(axis instanceof NumberAxis number)) {
            return "not a NumberAxis: " + axis.getClass().getSimpleName();
        }
        List<String> labels = tickLabels(number);
        if (labels.size() < 2) {
            return "fewer than two ticks: " + labels;
        }
        List<Double> values = new ArrayList<>();
        for (String label : labels) {
            if (label.matches("-0(\\.0*)?") || !label.matches("-?[0-9][0-9,]*(\\.[0-9]+)?")) {
                return "tick label '" + label + "' in " + labels;
            }
            values.add(Double.parseDouble(label.replace(",", "")));
            if (counts && !label.matches("[0-9,]+")) {
                return "a count that is not whole: " + labels;
            }
        }
        double step = values.get(1) - values.get(0);
        for (int i = 2; i < values.size(); i++) {
            if (Math.abs(values.get(i) - values.get(i - 1) - step) > 1e-9 * Math.max(1, Math.abs(step))) {
                return "uneven ticks: " + labels;
            }
        }
        return null;
    }
}
