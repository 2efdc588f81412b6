package org.coar.workbench.ui.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToolBar;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.ui.GuiTestSupport;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

/**
 * What can regress of the Spec panel in the window: the width checks and an invalid spec file are
 * shown where the user looks, at both window sizes, and the settings chosen reach the build.
 */
class SpecPanelGuiTest extends GuiTestSupport {
    @Start
    void start(Stage stage) throws IOException {
        startWorkbench(stage);
    }

    @Test
    void aMaskWidthThatDoesNotFitTheModelIsShownWithTheFixAndLimitResizesTheOutputs(FxRobot robot) throws IOException {
        TableView<ArrayRow> arrays = robot.lookup("#arraysTable").queryTableView();
        dialogs.answers.add(MODEL);
        robot.clickOn("#openModelButton");
        waitFor("the model's component groups", () -> rowShape(arrays, "masks").equals("[240]"));
        Label recommendation = robot.lookup("#recommendationLabel").queryAs(Label.class);
        assertTrue(recommendation.isVisible() && recommendation.getText().startsWith("Recommended: at least 2,000 models for 240 components"),
                recommendation.getText());

        dialogs.answers.add(IMAGES);
        robot.clickOn("#dataFileButton");
        waitFor("all 1,000 images", () -> rowShape(arrays, "margins").equals("[1000]"));
        robot.clickOn("#dataLimitField").write("50");
        waitFor("the outputs of 50 images, without choosing the data again", () -> rowShape(arrays, "margins").equals("[50]"));

        robot.interact(() -> arrays.getItems().getFirst().shapeProperty().set("[2400]"));
        Label problem = robot.lookup("#jsonProblem").queryAs(Label.class);
        waitFor("the width problem", () -> problem.getText().equals("schema.masks.shape: masks width 2,400 but the model has 240 "
                + "components with the chosen groups (preset default): set it to 240"));
        assertTrue(problem.getStyleClass().contains("problem"));
        for (int[] size : new int[][] {{1280, 800}, {1024, 640}}) {
            resize(robot, size[0], size[1]);
            assertShownWhole(problem);
            assertNull(layoutProblem(robot), layoutProblem(robot));
            screenshot(robot, "spec-width-problem-" + size[0] + "x" + size[1]);
        }
        robot.interact(() -> arrays.getItems().getFirst().shapeProperty().set("[240]"));
        waitFor("a valid spec", () -> problem.getText().equals("Valid spec."));
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
    }

    @Test
    void anInvalidSpecFileIsOpenedIntoTheEditorWithItsProblem(FxRobot robot) throws IOException {
        Path file = tmp.resolve("spec-with-problems.json");
        String text = "{\"num_models\": 0, \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": [240]}}}";
        Files.writeString(file, text);
        dialogs.answers.add(file);
        robot.clickOn("#openSpecButton");
        TextArea json = robot.lookup("#jsonArea").queryAs(TextArea.class);
        waitFor("the file in the editor", () -> json.getText().equals(text));
        Label problem = robot.lookup("#jsonProblem").queryAs(Label.class);
        assertEquals("num_models: must be at least 1, got 0", problem.getText());
        Label source = robot.lookup("#sourceLabel").queryAs(Label.class);
        assertTrue(source.getText().startsWith("The spec file " + file), source.getText());
        assertTrue(dialogs.errors.isEmpty(), "opened, not refused: " + dialogs.errors);
        resize(robot, 1024, 640);
        assertShownWhole(problem);
        assertNull(layoutProblem(robot), layoutProblem(robot));
        screenshot(robot, "spec-invalid-file-1024x640");
    }

    @Test
    void theDataSettingsAndOutputFunctionChosenInThePanelAreWhatTheBuildRecords(FxRobot robot) throws IOException {
        TableView<ArrayRow> arrays = robot.lookup("#arraysTable").queryTableView();
        dialogs.answers.add(MODEL);
        robot.clickOn("#openModelButton");
        waitFor("the model's component groups", () -> rowShape(arrays, "masks").equals("[240]"));
        dialogs.answers.add(IMAGES);
        robot.clickOn("#dataFileButton");
        waitFor("all 1,000 images", () -> rowShape(arrays, "margins").equals("[1000]"));
        robot.clickOn("#dataSkipField").write("2");
        robot.clickOn("#dataLimitField").write("20");
        robot.clickOn("#dataMeanField").write("0.286");
        robot.clickOn("#dataStdField").write("0.353");
        waitFor("20 of every 2nd image", () -> rowShape(arrays, "margins").equals("[20]"));
        robot.clickOn("#outputFunctionBox");
        robot.clickOn("logprob");
        TextField models = robot.lookup("#numModelsField").queryAs(TextField.class);
        robot.doubleClickOn(models).eraseText(6).write("4");
        waitFor("a valid spec", () -> robot.lookup("#jsonProblem").queryAs(Label.class).getText().equals("Valid spec."));

        Path store = tmp.resolve("spec-settings-store");
        dialogs.answers.add(store);
        robot.clickOn("#initialiseButton");
        waitFor("the store", () -> !dialogs.informations.isEmpty());
        robot.clickOn("#nav-build");
        Button start = robot.lookup("#startButton").queryButton();
        waitFor("the Start button", () -> !start.isDisabled() && !workbench.buildViewModel().devices().isEmpty());
        waitFor("the store's settings", () -> workbench.buildViewModel().storeSummaryProperty().get().startsWith(store.toString()));
        robot.clickOn(start);
        waitFor("4 built rows", () -> robot.lookup("#rowsLabel").queryAs(Label.class).getText().equals("4 / 4 rows")
                && !workbench.buildViewModel().runningProperty().get());
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());

        RunConfig run = RunConfig.read(store);
        assertEquals("logprob", run.output());
        assertEquals(20, run.data().limit());
        assertEquals(2, run.data().skip());
        assertArrayEquals(new float[] {0.286f}, run.data().mean());
        assertArrayEquals(new float[] {0.353f}, run.data().std());
        assertEquals("default", run.componentPreset().cliName());
    }

    private void resize(FxRobot robot, double width, double height) {
        robot.interact(() -> {
            stage.setWidth(width);
            stage.setHeight(height);
        });
        waitFor("the window at " + width + " × " + height, () -> Math.abs(stage.getScene().getWidth() - width) < 40);
    }

    /** The node is drawn whole where it is, without scrolling: inside the visible part of its scroll pane. */
    private static void assertShownWhole(Node node) {
        Bounds bounds = node.localToScene(node.getBoundsInLocal());
        assertTrue(node.isVisible() && bounds.getHeight() > 0, node + " not drawn");
        Node scroll = node.getParent();
        while (!(scroll instanceof ScrollPane)) {
            scroll = scroll.getParent();
        }
        Bounds visible = scroll.localToScene(scroll.getBoundsInLocal());
        assertTrue(visible.contains(bounds), node.getId() + " at " + bounds + " is not all inside the visible " + visible);
    }

    /**
     * Null when the form scrolls below the toolbar instead of running over it and no text of the
     * panel is cut short ("Val…"); otherwise what is wrong.
     */
    private String layoutProblem(FxRobot robot) {
        ToolBar toolbar = (ToolBar) stage.getScene().lookup(".spec-panel .tool-bar");
        double toolbarBottom = toolbar.localToScene(toolbar.getBoundsInLocal()).getMaxY();
        for (String side : new String[] {"#formScroll", "#editorScroll"}) {
            ScrollPane scroll = robot.lookup(side).queryAs(ScrollPane.class);
            // what scrolls is clipped to the scroll pane, so a scroll pane below the toolbar keeps its content off it
            double top = scroll.localToScene(scroll.getBoundsInLocal()).getMinY();
            if (top < toolbarBottom - 0.5) {
                return side + " starts at y " + top + ", above the toolbar's bottom " + toolbarBottom;
            }
        }
        Parent panel = toolbar.getParent();
        return clippedText(panel);
    }

    private static String clippedText(Parent parent) {
        for (Node child : parent.getChildrenUnmodifiable()) {
            if (!child.isVisible()) {
                continue;
            }
            if (child instanceof Labeled labeled && labeled.getText() != null && !labeled.getText().isEmpty()) {
                for (Node part : labeled.getChildrenUnmodifiable()) {
                    if (part instanceof Text shown && !shown.getText().equals(labeled.getText())
                            && shown.getText().endsWith(labeled.getEllipsisString())) {
                        return "'" + labeled.getText() + "' is shown as '" + shown.getText() + "'";
                    }
                }
            }
            if (child instanceof Parent inner) {
                String found = clippedText(inner);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
