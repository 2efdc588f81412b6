package org.coar.workbench.ui.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.coar.workbench.attributions.ExampleBrowser;
import org.coar.workbench.edit.EditResult;
import org.coar.workbench.ui.GuiTestSupport;
import org.coar.workbench.ui.main.Panel;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

/**
 * The Edit tab as a researcher uses it on the demo store (240 components, 50 examples): an edit with a
 * sweep, what it flipped, a sweep point taken as k, a second edit that must not replace the first
 * silently, the links to component pages, the saved model evaluated, a set sent by another panel,
 * and the earlier edit shown again when the store opens; screenshots at 1280 × 800 and 1024 × 640.
 */
class EditPanelGuiTest extends GuiTestSupport {
    @Start
    void start(Stage stage) throws IOException {
        startWorkbench(stage);
    }

    @Test
    void editsShowsWhatTheyFlippedAsksBeforeReplacingAndComeBackWithTheStore(FxRobot robot) throws IOException {
        Path store = fittedStore("edit-gui-store");
        Path attributions = store.resolve("attributions");
        robot.interact(() -> {
            stage.setWidth(1280);
            stage.setHeight(800);
            workbench.project().storeProperty().set(store);
        });
        waitFor("the attributions", () -> workbench.attributionsViewModel().browserProperty().get() != null);
        robot.clickOn("#nav-evaluate");
        robot.clickOn("Edit the model");
        EditViewModel edit = workbench.editViewModel();
        TableView<ExampleBrowser.ExampleRow> examples = robot.lookup("#editExampleTable").queryTableView();
        waitFor("the edit examples", () -> examples.getItems().size() == 50);
        assertEquals(attributions.resolve("edit").toString(), robot.lookup("#outDirField").queryAs(TextField.class).getText());
        screenshot(robot, "edit-empty-1280x800");

        // A misclassified example, bottomk, k = 3 with a sweep to 5.
        ExampleBrowser.ExampleRow wrong = examples.getItems().stream().filter(r -> !(r.cleanOutput() > 0)).findFirst().orElseThrow();
        robot.interact(() -> {
            edit.targetProperty().set(Integer.toString(wrong.index()));
            edit.kProperty().set("3");
            edit.sweepMaxProperty().set("5");
        });
        robot.clickOn("#editButton");
        waitFor("the edit", () -> edit.resultProperty().get() != null && !edit.runningProperty().get());
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
        TableView<EditResult.AblatedComponent> ablated = robot.lookup("#ablatedTable").queryTableView();
        assertEquals(3, ablated.getItems().size());

        // The flipped list: exactly the examples whose margin changed sign, their "before" the examples table's margin.
        TableView<EditViewModel.FlipRow> flips = robot.lookup("#flipsTable").queryTableView();
        EditResult result = edit.resultProperty().get();
        long changed = java.util.stream.IntStream.range(0, 50)
                .filter(j -> (result.marginsBefore()[j] > 0) != (result.marginsAfter()[j] > 0)).count();
        assertEquals(changed, flips.getItems().size());
        assertTrue(flips.getItems().stream().anyMatch(f -> f.example() == wrong.index() && f.fixed())
                || !(result.marginsAfter()[wrong.index()] > 0), "the target is listed as fixed when the edit fixed it");
        for (EditViewModel.FlipRow flip : flips.getItems()) {
            float tableMargin = examples.getItems().stream().filter(r -> r.index() == flip.example()).findFirst().orElseThrow().cleanOutput();
            assertEquals(tableMargin, flip.marginBefore(), 0.01 * Math.max(1, Math.abs(tableMargin)), "store margins are float16");
            assertEquals(flip.marginAfter() > 0, flip.fixed());
        }
        assertTrue(Files.exists(attributions.resolve("edit/margins.csv")));

        // Clicking the sweep's k = 2 point takes k = 2.
        LineChart<?, ?> sweep = robot.lookup("#sweepChart").queryAs(LineChart.class);
        assertTrue(sweep.isVisible());
        Node k2 = ((XYChart.Data<?, ?>) sweep.getData().getFirst().getData().get(2)).getNode();
        robot.interact(() -> ((ScrollPane) robot.lookup("#editScroll").query()).setVvalue(1));
        robot.clickOn(k2);
        assertEquals("2", robot.lookup("#kField").queryAs(TextField.class).getText());
        screenshotsAtBothSizes(robot, "edit-result", 0.45);

        // The component page link from the ablated table.
        robot.interact(() -> ((ScrollPane) robot.lookup("#editScroll").query()).setVvalue(0.3));
        TableRow<?> firstAblated = robot.lookup("#ablatedTable .table-row-cell").queryAs(TableRow.class);
        robot.rightClickOn(firstAblated);
        robot.clickOn("Show component page");
        assertEquals(ablated.getItems().getFirst().index(), workbench.project().focusedComponentProperty().get());
        assertEquals(Panel.ATTRIBUTIONS, workbench.main().shownPanel());
        robot.interact(() -> workbench.main().show(Panel.EVALUATE));

        // A second edit into the same folder asks first; writing to a fresh folder keeps the first edit.
        dialogs.choices.add(1);
        robot.clickOn("#editButton");
        waitFor("the second edit", () -> !edit.runningProperty().get() && edit.resultProperty().get() != result);
        assertEquals(1, dialogs.questions.size(), dialogs.questions.toString());
        assertEquals(attributions.resolve("edit-2").toString(), edit.outDirProperty().get());
        assertTrue(Files.exists(attributions.resolve("edit-2/report.json")) && Files.exists(attributions.resolve("edit/report.json")));
        assertEquals(2, edit.resultProperty().get().ablated().size());

        // The saved edited model, evaluated per label: its accuracy on all examples is the edit's.
        robot.interact(() -> ((ScrollPane) robot.lookup("#editScroll").query()).setVvalue(1));
        robot.clickOn("#evaluateEditedButton");
        TableView<EditViewModel.LabelRow> byLabel = robot.lookup("#editedTable").queryTableView();
        waitFor("the edited model's evaluation", () -> byLabel.getItems().size() > 1 && !edit.evaluatingProperty().get());
        assertEquals("all", byLabel.getItems().getLast().label());
        assertEquals(edit.resultProperty().get().after().all().accuracy(), byLabel.getItems().getLast().accuracyAfter(), 1e-9);
        assertEquals(50, byLabel.getItems().stream().limit(byLabel.getItems().size() - 1).mapToInt(EditViewModel.LabelRow::examples).sum());
        screenshotsAtBothSizes(robot, "edit-evaluated", 1);

        // A set sent from another panel brings the Edit tab forward and is ablated exactly.
        TabPane evaluateTabs = robot.lookup("#tabs").queryAs(TabPane.class);
        robot.interact(() -> {
            evaluateTabs.getSelectionModel().select(0);
            workbench.main().show(Panel.SPEC);
            workbench.project().componentsToAblateProperty().set(List.of(3, 17, 40));
        });
        assertEquals(Panel.EVALUATE, workbench.main().shownPanel());
        assertEquals("Edit the model", evaluateTabs.getSelectionModel().getSelectedItem().getText());
        assertTrue(robot.lookup("#explicitBox").query().isVisible());
        screenshotsAtBothSizes(robot, "edit-explicit", 0);
        dialogs.choices.add(0);
        robot.clickOn("#editButton");
        waitFor("the explicit edit", () -> !edit.runningProperty().get() && edit.resultProperty().get().ablated().size() == 3
                && edit.resultProperty().get().mode() == org.coar.workbench.edit.EditMode.EXPLICIT);
        assertEquals(List.of(3, 17, 40), edit.ablated().stream().map(EditResult.AblatedComponent::index).toList());
        assertEquals(2, dialogs.questions.size(), "edit-2 held the second edit");
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());

        // Another store clears the tab; opening this one again shows the edit in its default folder, the first one.
        Path other = builtStore("edit-gui-other");
        robot.interact(() -> workbench.project().storeProperty().set(other));
        waitFor("the tab cleared", () -> edit.resultProperty().get() == null && edit.comparison().isEmpty());
        assertTrue(edit.explicitComponentsProperty().get().isEmpty());
        robot.interact(() -> workbench.project().storeProperty().set(store));
        waitFor("the earlier edit shown", () -> edit.resultProperty().get() != null && edit.ablated().size() == 3
                && edit.comparison().size() == 3);
        assertEquals(result.ablated(), edit.ablated());
        assertEquals(Integer.toString(wrong.index()), edit.targetProperty().get());
        assertEquals(changed, edit.flips().size());
        assertTrue(robot.lookup("#editText").queryAs(Label.class).getText().startsWith("The edit saved in " + attributions.resolve("edit")));
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
    }

    /** Screenshots at 1280 × 800 and 1024 × 640; at the small size the tab scrolls and stays below the window's top bar. */
    private void screenshotsAtBothSizes(FxRobot robot, String name, double scrolled) throws IOException {
        for (double[] size : new double[][] {{1024, 640}, {1280, 800}}) {
            ScrollPane scroll = robot.lookup("#editScroll").query();
            robot.interact(() -> {
                stage.setWidth(size[0]);
                stage.setHeight(size[1]);
            });
            robot.interact(() -> scroll.setVvalue(scrolled));
            TabPane tabs = robot.lookup("#tabs").query();
            Bounds scrollBounds = scroll.localToScene(scroll.getBoundsInLocal());
            Bounds tabsBounds = tabs.localToScene(tabs.getBoundsInLocal());
            assertTrue(scrollBounds.getMinY() >= tabsBounds.getMinY() && scrollBounds.getMaxY() <= tabsBounds.getMaxY() + 1,
                    "the form stays inside its tab: " + scrollBounds + " in " + tabsBounds);
            if (size[0] == 1024) {
                assertTrue(scroll.getContent().getBoundsInLocal().getHeight() > scroll.getViewportBounds().getHeight(),
                        "at 1024 × 640 the tab scrolls");
            }
            screenshot(robot, name + "-" + (int) size[0] + "x" + (int) size[1]);
        }
    }
}
