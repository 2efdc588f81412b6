package org.coar.workbench.ui.attributions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
import javafx.scene.image.ImageView;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.coar.workbench.attributions.ExampleBrowser;
import org.coar.workbench.ui.GuiTestSupport;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;

/** The Examples page on the fitted demo store (the Fashion-MNIST CNN on 50 images): queries, class names, the what-if, links, layout. */
class ExamplePageGuiTest extends GuiTestSupport {
    @Start
    void start(Stage stage) throws IOException {
        startWorkbench(stage);
    }

    @Test
    void theExamplesPageQueriesNamesClassesAndRunsAWhatIf(FxRobot robot) throws IOException {
        Path store = fittedStore("example-page-store");
        robot.interact(() -> workbench.project().storeProperty().set(store));
        robot.clickOn("#nav-attributions");
        TableView<ExampleBrowser.ExampleRow> examples = robot.lookup("#exampleTable").queryTableView();
        Label count = robot.lookup("#matchCountLabel").queryAs(Label.class);
        waitFor("the examples", () -> examples.getItems().size() == 50 && count.getText().equals("50 of 50 examples"));

        // The demo's data is Fashion-MNIST (known by its labels file), so labels carry their class names.
        long trousers = examples.getItems().stream().filter(r -> r.label() == 1).count();
        choose(robot, "#labelBox", "1 Trouser");
        waitFor("the Trouser examples", () -> count.getText().equals(trousers + " of 50 examples") && examples.getItems().size() == trousers);
        choose(robot, "#labelBox", "any");
        waitFor("every example again", () -> count.getText().equals("50 of 50 examples"));

        robot.interact(() -> examples.getSelectionModel().select(3));
        Label exampleLabel = robot.lookup("#exampleLabel").queryAs(Label.class);
        waitFor("example 3's page", () -> exampleLabel.getText().startsWith("Example 3 — label 1 Trouser, predicted "));
        assertTrue(robot.lookup("#inputImage").queryAs(ImageView.class).getBoundsInParent().getWidth() >= 160, "the input is shown large");

        // A filter that drops the shown example clears the page rather than showing it stale.
        robot.clickOn("#searchField").write("4");
        waitFor("the examples whose index starts with 4", () -> examples.getItems().stream().allMatch(r -> Integer.toString(r.index()).startsWith("4")));
        waitFor("example 3 no longer shown", () -> workbench.attributionsViewModel().viewProperty().get() == null
                && examples.getSelectionModel().isEmpty());
        // A focus from another panel shows its example, clearing the search that hides it.
        robot.interact(() -> workbench.project().focusedExampleProperty().set(3));
        waitFor("example 3 focused", () -> exampleLabel.getText().startsWith("Example 3 ") && examples.getSelectionModel().getSelectedItem() != null
                && examples.getSelectionModel().getSelectedItem().index() == 3 && examples.getItems().size() == 50);

        // What-if: tick the strongest component; the fitted output drops by its score at once.
        TableView<ExampleBrowser.Contribution> components = robot.lookup("#componentTable").queryTableView();
        waitFor("the components", () -> !components.getItems().isEmpty());
        ExampleBrowser.Contribution strongest = components.getItems().getFirst();
        double fitted = workbench.attributionsViewModel().fittedOutputProperty().get();
        CheckBox tick = robot.from(components).lookup(".check-box").queryAs(CheckBox.class);
        scrollIntoView(robot, tick);
        robot.clickOn(tick);
        waitFor("the what-if", () -> Math.abs(workbench.attributionsViewModel().whatIfOutputProperty().get() - (fitted - strongest.score())) < 1e-4);
        assertTrue(robot.lookup("#whatIfLabel").queryAs(Label.class).getText().startsWith("Without 1 ticked component the fitted margin"));

        for (int[] size : new int[][] {{1280, 800}, {1024, 640}}) {
            robot.interact(() -> {
                stage.setWidth(size[0]);
                stage.setHeight(size[1]);
            });
            robot.interact(() -> examples.getColumns().getFirst().setPrefWidth(20)); // a user narrowing "#"
            screenshot(robot, "attributions-examples-" + size[0] + "x" + size[1]);
            assertEquals(Set.of(), clippedHeaders(examples), "examples table headers at " + size[0] + " × " + size[1]);
            assertEquals(Set.of(), clippedHeaders(components), "component table headers at " + size[0] + " × " + size[1]);
            assertTrue(examples.getColumns().getFirst().getWidth() >= 48, "the # column stays readable");
            Node query = robot.lookup("#queryPane").query();
            Bounds queryBounds = query.localToScene(query.getBoundsInLocal());
            Bounds tableBounds = examples.localToScene(examples.getBoundsInLocal());
            assertTrue(queryBounds.getMaxY() <= tableBounds.getMinY() + 0.5, "the query row sits above the table, not over it");
        }
        ScrollPane scroll = robot.lookup("#viewScroll").queryAs(ScrollPane.class);
        assertTrue(scroll.getContent().getBoundsInLocal().getHeight() > scroll.getViewportBounds().getHeight(),
                "at 1024 × 640 the page scrolls rather than squeezing its charts");

        // Links: the ticked set goes to Edit, a double-clicked component to its page.
        robot.clickOn("#sendToEditButton");
        waitFor("the set sent to Edit", () -> workbench.project().componentsToAblateProperty().get().equals(List.of(strongest.component())));
    }

    @Test
    void aComponentsContextMenuOpensItsComponentPage(FxRobot robot) throws IOException {
        Path store = fittedStore("example-page-links-store");
        robot.interact(() -> {
            stage.setWidth(1280); // the stage is shared by the tests of a class, and another one may have made it small
            stage.setHeight(800);
        });
        robot.interact(() -> workbench.project().storeProperty().set(store));
        robot.clickOn("#nav-attributions");
        TableView<ExampleBrowser.Contribution> components = robot.lookup("#componentTable").queryTableView();
        waitFor("the first example's components", () -> !components.getItems().isEmpty());
        robot.interact(() -> components.getSelectionModel().select(1));
        robot.rightClickOn(components); // a right-click selects the row under the pointer
        ExampleBrowser.Contribution chosen = components.getSelectionModel().getSelectedItem();
        robot.clickOn("Show component page");
        waitFor("the focused component", () -> Integer.valueOf(chosen.component()).equals(workbench.project().focusedComponentProperty().get()));
    }

    /** Picks {@code item} from the combo box's drop-down list as a user does. */
    private static void choose(FxRobot robot, String comboBox, String item) {
        robot.clickOn(comboBox);
        // in the drop-down only: the combo boxes' own button cells show "any" too
        robot.clickOn(robot.lookup(".combo-box-popup .list-cell").match((Node n) -> n instanceof ListCell<?> cell && item.equals(cell.getText()))
                .queryAs(Node.class));
    }

    /** Header texts drawn with an ellipsis ("Val…") because their column is too narrow. */
    private static Set<String> clippedHeaders(TableView<?> table) {
        return table.lookupAll(".column-header .label .text").stream().filter(n -> n instanceof Text).map(n -> ((Text) n).getText())
                .filter(text -> text.contains("…") || text.contains("...")).collect(java.util.stream.Collectors.toSet());
    }
}
