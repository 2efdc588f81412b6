package org.coar.workbench.ui.attributions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Pane;
import javafx.stage.Stage;
import org.coar.workbench.attributions.AttributionMatrix;
import org.coar.workbench.ui.GuiTestSupport;
import org.coar.workbench.ui.main.Panel;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

/** The Component page and the Layer heatmap in the window, on attributions the CLI fitted (240 components, 50 examples). */
class ComponentPageGuiTest extends GuiTestSupport {
    @Start
    void start(Stage stage) throws IOException {
        startWorkbench(stage);
    }

    private void openFitted(FxRobot robot, String name) throws IOException {
        Path store = fittedStore(name);
        robot.interact(() -> {
            stage.setWidth(1280);
            stage.setHeight(800);
            workbench.project().storeProperty().set(store);
        });
        waitFor("the attributions", () -> workbench.attributionsViewModel().browserProperty().get() != null);
    }

    private static String selectedPage(FxRobot robot) {
        return robot.lookup("#pages").queryAs(TabPane.class).getSelectionModel().getSelectedItem().getText();
    }

    /** Null when the page's scroll pane lies inside the tab pane's content, under the tab headers; otherwise where it is. */
    private static String pageOutsideItsTab(FxRobot robot, String pageId) {
        Node page = robot.lookup(pageId).query();
        TabPane pages = robot.lookup("#pages").queryAs(TabPane.class);
        Bounds inPage = page.localToScene(page.getBoundsInLocal());
        Bounds tabs = pages.localToScene(pages.getBoundsInLocal());
        Node header = pages.lookup(".tab-header-area");
        double headerBottom = header.localToScene(header.getBoundsInLocal()).getMaxY();
        return inPage.getMinY() >= headerBottom - 0.5 && inPage.getMaxY() <= tabs.getMaxY() + 0.5 && inPage.getMaxX() <= tabs.getMaxX() + 0.5
                ? null : "page " + inPage + " outside the tab content below y " + headerBottom + " in " + tabs;
    }

    @Test
    void aComponentFocusedFromAnotherPanelShowsItsPage(FxRobot robot) throws IOException {
        openFitted(robot, "component-page-store");
        robot.clickOn("#nav-evaluate");
        robot.interact(() -> workbench.project().focusedComponentProperty().set(40)); // as another panel's table would

        assertEquals(Panel.ATTRIBUTIONS, workbench.main().shownPanel());
        assertEquals("Component", selectedPage(robot));
        Label title = robot.lookup("#componentTitleLabel").queryAs(Label.class);
        waitFor("component 40's page", () -> title.getText().startsWith("conv2 #8 — component 40;"));
        assertEquals(50, workbench.componentPageViewModel().profileProperty().get().histogram().total(), "every example is counted");
        ImageView weights = robot.lookup("#weightsImage").queryAs(ImageView.class);
        assertNotNull(weights.getImage(), "a conv filter's weights are drawn");
        assertEquals((6 * 3 + 5) * 7, weights.getImage().getWidth(), "32 input channels of 3 × 3: 6 tiles across, at the largest zoom within 180 pixels");
        TableView<ComponentPageViewModel.MovedExample> raising = robot.lookup("#raisingTable").queryTableView();
        TableView<ComponentPageViewModel.MovedExample> lowering = robot.lookup("#loweringTable").queryTableView();
        assertFalse(raising.getItems().isEmpty() && lowering.getItems().isEmpty());
        assertTrue(raising.getItems().stream().allMatch(row -> row.score() > 0 && row.image() != null));

        for (int[] size : new int[][] {{1280, 800}, {1024, 640}}) {
            robot.interact(() -> {
                stage.setWidth(size[0]);
                stage.setHeight(size[1]);
            });
            waitForNoProblem(robot, "the component page inside its tab at " + size[0], () -> pageOutsideItsTab(robot, "#componentPage"));
            screenshot(robot, "attributions-component-" + size[0] + "x" + size[1]);
        }
        ScrollPane page = robot.lookup("#componentPage").queryAs(ScrollPane.class);
        assertTrue(page.getContent().getBoundsInLocal().getHeight() > page.getViewportBounds().getHeight(),
                "at 1024 × 640 the page scrolls rather than squeezing its charts");

        TableView<ComponentPageViewModel.MovedExample> withRows = raising.getItems().isEmpty() ? lowering : raising;
        int first = withRows.getItems().getFirst().example();
        robot.interact(() -> page.setVvalue(1));
        robot.clickOn(withRows.lookup(".table-row-cell"));
        assertEquals(first, workbench.project().focusedExampleProperty().get());
        assertEquals("Examples", selectedPage(robot));
    }

    @Test
    void aHeatmapClickFocusesTheExampleAndComponentUnderIt(FxRobot robot) throws IOException {
        openFitted(robot, "heatmap-store");
        robot.clickOn("#nav-attributions");
        robot.clickOn("Layer heatmap");
        LayerHeatmapViewModel heatmap = workbench.layerHeatmapViewModel();
        waitFor("the heatmap", () -> heatmap.renderedProperty().get() != null);
        assertEquals(new AttributionMatrix.Window(0, 50, 0, 240), heatmap.renderedProperty().get().blocks().window());

        // the centre of the cell of example 15 and component 144 (conv3 #48)
        Pane area = robot.lookup("#imageArea").queryAs(Pane.class);
        Point2D cell = area.localToScreen(15.5 / 50 * area.getWidth(), 144.5 / 240 * area.getHeight());
        robot.clickOn(cell);
        waitFor("the selected cell", () -> heatmap.selectedProperty().get() != null);
        assertEquals(15, heatmap.selectedProperty().get().example());
        assertEquals(144, heatmap.selectedProperty().get().component());
        assertTrue(robot.lookup("#heatmapCellLabel").queryAs(Label.class).getText().startsWith("Example 15 × conv3 #48 (component 144): score "));
        for (int[] size : new int[][] {{1024, 640}, {1280, 800}}) {
            robot.interact(() -> {
                stage.setWidth(size[0]);
                stage.setHeight(size[1]);
            });
            waitForNoProblem(robot, "the heatmap inside its tab at " + size[0], () -> pageOutsideItsTab(robot, "#heatmapPage"));
            waitFor("the heatmap redrawn at the new size", () -> heatmap.renderedProperty().get() != null
                    && heatmap.renderedProperty().get().blocks().rows() == Math.min(240, (int) area.getHeight()));
            screenshot(robot, "attributions-heatmap-" + size[0] + "x" + size[1]);
        }

        robot.clickOn("#showComponentButton");
        assertEquals(144, workbench.project().focusedComponentProperty().get());
        assertEquals("Component", selectedPage(robot));
        Label title = robot.lookup("#componentTitleLabel").queryAs(Label.class);
        waitFor("component 144's page", () -> title.getText().startsWith("conv3 #48 — component 144;"));

        robot.clickOn("Layer heatmap");
        robot.clickOn("#showExampleButton");
        assertEquals(15, workbench.project().focusedExampleProperty().get());
        assertEquals("Examples", selectedPage(robot));

        robot.clickOn("Layer heatmap");
        robot.clickOn("#zoomInButton");
        waitFor("the zoomed heatmap", () -> heatmap.renderedProperty().get() != null
                && heatmap.renderedProperty().get().blocks().window().equals(new AttributionMatrix.Window(13, 38, 60, 180)));
    }
}
