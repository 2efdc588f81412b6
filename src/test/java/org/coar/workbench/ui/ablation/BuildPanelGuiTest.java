package org.coar.workbench.ui.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.chart.AreaChart;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.control.ToolBar;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.ui.GuiTestSupport;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

/**
 * The Build panel in the window while a build runs and after: what can regress there (the bar and
 * figures in sight under the toolbar, a chart axis fitted to a narrow band with the unablated
 * reference, Start on a complete store, nothing of one store left after switching to another).
 */
class BuildPanelGuiTest extends GuiTestSupport {
    @Start
    void start(Stage stage) throws IOException {
        startWorkbench(stage);
    }

    /** A store of {@code rows} rows with the built store's run.json and components.json, so Start resumes it as recorded. */
    private static Path recordedStore(String name, int rows) throws IOException {
        Path built = builtStore(name + "-settings");
        Path spec = tmp.resolve(name + "-spec.json");
        Files.writeString(spec, SPEC.replace("\"num_models\": 30", "\"num_models\": " + rows));
        Path store = tmp.resolve(name);
        coar("init", "--spec", spec.toString(), "--store", store.toString());
        Files.copy(built.resolve(RunConfig.FILE), store.resolve(RunConfig.FILE));
        Files.copy(built.resolve("components.json"), store.resolve("components.json"));
        return store;
    }

    private void openInBuildPanel(FxRobot robot, Path store) {
        robot.interact(() -> workbench.project().storeProperty().set(store));
        robot.clickOn("#nav-build");
        waitFor("the store's settings", () -> workbench.buildViewModel().storeSummaryProperty().get().startsWith(store + " — ")
                && !workbench.buildViewModel().devices().isEmpty());
    }

    @Test
    void whileABuildRunsTheBarAndChartsStayInSightAndThePanelClearsForTheNextStore(FxRobot robot) throws IOException {
        Path store = recordedStore("long-build", 20_000);
        BuildViewModel viewModel = workbench.buildViewModel();
        openInBuildPanel(robot, store);
        robot.interact(() -> viewModel.startProperty().set("100"));
        Button start = robot.lookup("#startButton").queryButton();
        robot.clickOn(start);
        BuildChartModel chart = viewModel.figures().chart();
        waitFor("30 points and the unablated accuracy", () -> chart.accuracy().size() >= 30
                && !Double.isNaN(chart.unablatedAccuracyProperty().get()));
        robot.interact(viewModel::togglePause);
        waitFor("the workers paused", () -> viewModel.workers().stream().allMatch(w -> w.state().label().equals("paused")));

        // The bar and the figures: shown, under the toolbar, at both window sizes.
        for (double[] size : new double[][] {{1280, 800}, {1024, 640}}) {
            robot.interact(() -> {
                stage.setWidth(size[0]);
                stage.setHeight(size[1]);
            });
            screenshot(robot, "build-running-" + (int) size[0] + "x" + (int) size[1]);
            ProgressBar bar = robot.lookup("#progressBar").queryAs(ProgressBar.class);
            ToolBar toolbar = robot.lookup(".tool-bar").match(n -> n.getScene() != null && isShown(n)
                    && robot.from(n).lookup("#startButton").tryQuery().isPresent()).queryAs(ToolBar.class);
            Bounds barBounds = bar.localToScene(bar.getLayoutBounds());
            Bounds toolbarBounds = toolbar.localToScene(toolbar.getLayoutBounds());
            assertTrue(isShown(bar) && barBounds.getHeight() > 0 && barBounds.getMinY() >= toolbarBounds.getMaxY(),
                    "the bar " + barBounds + " under the toolbar " + toolbarBounds + " at " + size[0] + " × " + size[1]);
            assertTrue(bar.getProgress() > 0 && bar.getProgress() < 1, "the bar shows the build: " + bar.getProgress());
            ScrollPane scroll = robot.lookup("#scroll").queryAs(ScrollPane.class);
            double contentHeight = scroll.getContent().getLayoutBounds().getHeight();
            double viewportHeight = scroll.getViewportBounds().getHeight();
            boolean scrollBarShown = scroll.lookupAll(".scroll-bar").stream()
                    .anyMatch(n -> n instanceof ScrollBar b && b.getOrientation() == Orientation.VERTICAL && isShown(b));
            assertTrue(contentHeight <= viewportHeight + 1 || scrollBarShown,
                    "content " + contentHeight + " px high in a " + viewportHeight + " px viewport without a scroll bar");
            assertEquals(List.of(), clippedHeaders(robot.lookup("#workerTable").queryTableView()));
            for (String id : new String[] {"#accuracyChart", "#outputChart"}) {
                Node node = robot.lookup(id).query();
                Bounds bounds = node.localToScene(node.getLayoutBounds());
                assertTrue(isShown(node) && bounds.getHeight() >= 200 && bounds.getWidth() >= 200, id + " " + bounds);
            }
        }
        assertTrue(robot.lookup("#etaLabel").queryAs(Label.class).getText().endsWith("(paused)"));

        // The accuracy axis fits the band of the rows and the reference, not 0–1.
        @SuppressWarnings("unchecked")
        LineChart<Number, Number> accuracyChart = robot.lookup("#accuracyChart").queryAs(LineChart.class);
        NumberAxis accuracyAxis = (NumberAxis) accuracyChart.getYAxis();
        double low = Math.min(chart.unablatedAccuracyProperty().get(),
                chart.accuracy().stream().mapToDouble(BuildChartModel.AccuracyPoint::accuracy).min().orElseThrow());
        double high = Math.max(chart.unablatedAccuracyProperty().get(),
                chart.accuracy().stream().mapToDouble(BuildChartModel.AccuracyPoint::accuracy).max().orElseThrow());
        assertTrue(high - low < 0.5, "a narrow band: " + low + " – " + high);
        assertTrue(accuracyAxis.getLowerBound() <= low && accuracyAxis.getUpperBound() >= high
                        && accuracyAxis.getUpperBound() - accuracyAxis.getLowerBound() < 2 * (high - low) + 0.05,
                "axis " + accuracyAxis.getLowerBound() + " – " + accuracyAxis.getUpperBound() + " for " + low + " – " + high);
        XYChart.Series<Number, Number> reference = accuracyChart.getData().get(1);
        assertEquals(2, reference.getData().size());
        assertEquals(chart.unablatedAccuracyProperty().get(), reference.getData().getFirst().getYValue().doubleValue());
        AreaChart<?, ?> outputs = robot.lookup("#outputChart").queryAs(AreaChart.class);
        assertFalse(outputs.getData().getFirst().getData().isEmpty(), "the outputs' histogram is drawn");
        assertEquals("margin", ((NumberAxis) outputs.getXAxis()).getLabel());

        // The history runs on across the pause.
        int beforeResume = chart.accuracy().size();
        robot.interact(viewModel::togglePause);
        waitFor("points after resuming", () -> chart.accuracy().size() > beforeResume);
        robot.interact(viewModel::cancel);
        waitFor("the cancelled build", () -> !viewModel.runningProperty().get());
        assertFalse(chart.accuracy().isEmpty(), "a cancel keeps the history");
        for (int i = 1; i < chart.accuracy().size(); i++) {
            assertTrue(chart.accuracy().get(i).rowsBuilt() > chart.accuracy().get(i - 1).rowsBuilt(), "x only grows");
        }

        // Another store: nothing of this one stays.
        Path complete = builtStore("complete-after-long");
        openInBuildPanel(robot, complete);
        TableView<?> workers = robot.lookup("#workerTable").queryTableView();
        waitFor("the complete store's rows", () -> robot.lookup("#rowsLabel").queryAs(Label.class).getText().equals("30 / 30 rows"));
        assertTrue(workers.getItems().isEmpty(), workers.getItems().toString());
        assertTrue(chart.accuracy().isEmpty() && Double.isNaN(chart.unablatedAccuracyProperty().get())
                && chart.histogramProperty().get() == null);
        assertFalse(isShown(accuracyChart), "the chart gives way to its placeholder");
        assertEquals("", robot.lookup("#startField").queryAs(TextField.class).getText(), "the range is the new store's");
        assertEquals("", robot.lookup("#rateLabel").queryAs(Label.class).getText());
        assertEquals("", robot.lookup("#resultLabel").queryAs(Label.class).getText());
        assertTrue(start.isDisabled(), "every row of the store is built: Start has nothing to do");
        assertTrue(viewModel.storeSummaryProperty().get().endsWith("complete, nothing left to build"),
                viewModel.storeSummaryProperty().get());
        screenshot(robot, "build-switched-to-complete-store");

        // The processes filling the store, opened at the smaller size: where the settings side is narrow the table
        // scrolls sideways, so its headers, like the workers', are never cut short.
        TitledPane processes = robot.lookup(n -> n instanceof TitledPane t && t.getText().equals("Processes on this store"))
                .queryAs(TitledPane.class);
        robot.interact(() -> processes.setExpanded(true));
        TableView<?> tasks = robot.lookup("#taskTable").queryTableView();
        waitFor("the CLI build's task record", () -> !tasks.getItems().isEmpty());
        robot.interact(() -> {
            ScrollPane settings = (ScrollPane) robot.lookup(".scroll-pane").match(n -> robot.from(n).lookup("#taskTable").tryQuery()
                    .isPresent()).query();
            settings.setVvalue(1);
        });
        assertEquals(List.of(), clippedHeaders(workers));
        assertEquals(List.of(), clippedHeaders(tasks));
        screenshot(robot, "build-processes-1024x640");
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
    }

    /** Column headers drawn shorter than their names ("Proc…"). */
    private static List<String> clippedHeaders(TableView<?> table) {
        return table.lookupAll(".column-header .label").stream().map(n -> (Label) n)
                .filter(label -> label.lookup(".text") instanceof Text text && !text.getText().equals(label.getText()))
                .map(Label::getText).toList();
    }

    /** Visible, with every parent visible. */
    private static boolean isShown(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }
}
