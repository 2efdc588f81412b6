package org.coar.workbench.ui.main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import javafx.stage.Window;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.testing.CsvRecords;
import org.coar.workbench.ui.GuiTestSupport;
import org.coar.workbench.ui.common.FxDialogService;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What the window does for every panel: export from the context menu of a real panel's chart and
 * table, "Locate model…" for a store whose model file is gone, and dialogs that show all of a long message.
 */
class WindowGuiTest extends GuiTestSupport {
    private static final double[][] SIZES = {{1280, 800}, {1024, 640}};

    @Start
    void start(Stage stage) throws IOException {
        startWorkbench(stage);
    }

    private void resize(FxRobot robot, double[] size) {
        robot.interact(() -> {
            stage.setWidth(size[0]);
            stage.setHeight(size[1]);
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The screen where the window is, popups included (a context menu is a window of its own). */
    private void screenCapture(FxRobot robot, String name) throws IOException {
        WaitForAsyncUtils.waitForFxEvents();
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        var image = robot.capture(new Rectangle2D(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight())).getImage();
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", dir.resolve(name + ".png").toFile());
    }

    private static Document svg(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    @Test
    void theAttributionsPanelsChartAndTableExportFromTheirContextMenus(FxRobot robot) throws Exception {
        Path store = fittedStore("window-export-store");
        robot.interact(() -> workbench.project().storeProperty().set(store));
        robot.clickOn("#nav-attributions");
        TableView<?> examples = robot.lookup("#exampleTable").queryTableView();
        waitFor("the examples", () -> examples.getItems().size() == 50);
        robot.interact(() -> examples.getSelectionModel().select(3));
        @SuppressWarnings("unchecked")
        XYChart<Number, String> chart = robot.lookup("#componentChart").queryAs(XYChart.class);
        waitFor("the example's bars", () -> !chart.getData().isEmpty() && !chart.getData().getFirst().getData().isEmpty());

        for (double[] size : SIZES) {
            resize(robot, size);
            scrollIntoView(robot, chart);
            robot.rightClickOn(chart);
            waitFor("the export menu", () -> robot.lookup("Save figure as SVG…").tryQuery().isPresent());
            screenCapture(robot, "window-export-menu-chart-" + (int) size[0] + "x" + (int) size[1]);
            robot.press(javafx.scene.input.KeyCode.ESCAPE).release(javafx.scene.input.KeyCode.ESCAPE);
        }
        resize(robot, SIZES[0]);
        scrollIntoView(robot, chart);

        // SVG: one bar per score, spanning from 0 to the score on the value axis and centred on its name.
        Path svgFile = tmp.resolve("window-bars.svg");
        dialogs.answers.add(svgFile);
        robot.rightClickOn(chart);
        robot.clickOn("Save figure as SVG…");
        Document doc = svg(svgFile);
        Files.copy(svgFile, Path.of("target", "screenshots", "window-export-bars.svg"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<Element> bars = new ArrayList<>();
        NodeList groups = doc.getElementsByTagName("g");
        for (int i = 0; i < groups.getLength(); i++) {
            List<String> classes = List.of(((Element) groups.item(i)).getAttribute("class").split(" "));
            if (classes.contains("chart-bar") && !classes.contains("chart-legend-item-symbol")) {
                bars.add((Element) groups.item(i));
            }
        }
        List<XYChart.Data<Number, String>> data = chart.getData().stream().flatMap(s -> s.getData().stream()).toList();
        assertEquals(data.size(), bars.size());
        for (int i = 0; i < data.size(); i++) {
            XYChart.Data<Number, String> bar = data.get(i);
            Element box = (Element) bars.get(i).getElementsByTagName("rect").item(0);
            double x = Double.parseDouble(box.getAttribute("x"));
            double y = Double.parseDouble(box.getAttribute("y"));
            double w = Double.parseDouble(box.getAttribute("width"));
            double h = Double.parseDouble(box.getAttribute("height"));
            double zero = onChart(chart, 0.0);
            double end = onChart(chart, bar.getXValue().doubleValue());
            // The bar's first fill, as painted: its box from the axes, less the theme's insets for that fill.
            javafx.geometry.Insets insets = ((javafx.scene.layout.Region) bar.getNode()).getBackground().getFills().getFirst().getInsets();
            assertEquals(Math.min(zero, end) + insets.getLeft(), x, 0.6, "bar " + bar.getYValue() + " left");
            assertEquals(Math.max(zero, end) - insets.getRight(), x + w, 0.6, "bar " + bar.getYValue() + " right");
            double tick = chart.sceneToLocal(chart.getYAxis().localToScene(0, chart.getYAxis().getDisplayPosition(bar.getYValue()))).getY();
            assertEquals(tick, y + h / 2 + (insets.getBottom() - insets.getTop()) / 2, 0.6, "bar " + bar.getYValue() + " centre");
        }

        // PNG: the chart alone at twice its size.
        Path pngFile = tmp.resolve("window-bars.png");
        dialogs.answers.add(pngFile);
        scrollIntoView(robot, chart);
        robot.rightClickOn(chart);
        robot.clickOn("Save figure as PNG…");
        var png = ImageIO.read(pngFile.toFile());
        assertEquals(Math.ceil(2 * chart.getWidth()), png.getWidth());
        assertEquals(Math.ceil(2 * chart.getHeight()), png.getHeight());

        // CSV: the visible columns in their order, one record per example, numbers at full precision.
        for (double[] size : SIZES) {
            resize(robot, size);
            scrollIntoView(robot, examples);
            robot.rightClickOn(examples);
            waitFor("the table's export menu", () -> robot.lookup("Export table as CSV…").tryQuery().isPresent());
            screenCapture(robot, "window-export-menu-table-" + (int) size[0] + "x" + (int) size[1]);
            robot.press(javafx.scene.input.KeyCode.ESCAPE).release(javafx.scene.input.KeyCode.ESCAPE);
        }
        resize(robot, SIZES[0]);
        Path csvFile = tmp.resolve("window-examples.csv");
        dialogs.answers.add(csvFile);
        scrollIntoView(robot, examples);
        robot.rightClickOn(examples);
        robot.clickOn("Export table as CSV…");
        List<List<String>> records = CsvRecords.parse(Files.readString(csvFile));
        List<? extends TableColumn<?, ?>> columns = examples.getVisibleLeafColumns();
        assertEquals(columns.stream().map(TableColumn::getText).toList(), records.getFirst());
        assertEquals(51, records.size());
        for (int i = 0; i < 50; i++) {
            for (int j = 0; j < columns.size(); j++) {
                Object value = columns.get(j).getCellData(i);
                if (value instanceof Number) {
                    assertEquals(value.toString(), records.get(i + 1).get(j), "row " + i + ", " + columns.get(j).getText());
                }
            }
        }
        assertEquals(List.of(), dialogs.errors);
    }

    /** Where the chart's value axis puts {@code value}, in the chart's coordinates. */
    private static double onChart(XYChart<Number, String> chart, double value) {
        var axis = chart.getXAxis();
        return chart.sceneToLocal(axis.localToScene(axis.getDisplayPosition(value), 0)).getX();
    }

    @Test
    void aStoreWhoseModelIsGoneOffersLocateModelAndTakesOnlyTheRecordedModel(FxRobot robot) throws Exception {
        Path store = builtStore("window-locate-store");
        RunConfig run = RunConfig.readAsRecorded(store);
        Path gone = tmp.resolve("window-gone/fashion_cnn.pt");
        run.toBuilder().optModel(gone.toString()).build().write(store);

        Path wrong = tmp.resolve("window-wrong.pt");
        Files.writeString(wrong, "not the model");
        dialogs.confirmations.add(true); // "Locate model…" in the message
        dialogs.answers.add(wrong);
        robot.interact(() -> workbench.project().storeProperty().set(store));
        Label status = robot.lookup("#statusLabel").queryAs(Label.class);
        waitFor("the refusal", () -> !dialogs.errors.isEmpty());
        assertTrue(dialogs.questions.getFirst().startsWith("Model file missing: The model this store's rows were made with is not at " + gone),
                dialogs.questions.toString());
        assertTrue(dialogs.errors.getFirst().contains("is a different model"), dialogs.errors.getFirst());
        assertEquals("Store: " + store + " — its model fashion_cnn.pt is missing (File ▸ Locate model…)", status.getText());

        // File ▸ Locate model…: the right file, recorded with consent.
        Path located = tmp.resolve("window-found/fashion_cnn.pt");
        Files.createDirectories(located.getParent());
        Files.copy(MODEL, located);
        dialogs.answers.add(located);
        dialogs.confirmations.add(true);
        robot.clickOn("File");
        robot.clickOn("Locate model…");
        waitFor("the model recorded", () -> status.getText().endsWith("recorded in run.json"));
        assertEquals(located.toString(), RunConfig.readAsRecorded(store).model());
        waitFor("the Spec panel on the located model", () -> located.equals(workbench.project().modelProperty().get()));
        assertEquals(1, dialogs.errors.size(), dialogs.errors.toString());
        robot.clickOn("File");
        assertTrue(robot.lookup("Locate model…").tryQuery().isPresent());
        robot.press(javafx.scene.input.KeyCode.ESCAPE).release(javafx.scene.input.KeyCode.ESCAPE);
    }

    @Test
    void aBrokenStoreAfterAGoodOneSaysWhyAndKeepsNothingOfTheGoodOne(FxRobot robot) throws Exception {
        Path good = builtStore("window-good-store");
        robot.interact(() -> workbench.project().storeProperty().set(good));
        Label status = robot.lookup("#statusLabel").queryAs(Label.class);
        waitFor("the good store's model", () -> workbench.project().modelProperty().get() != null);
        Path broken = Files.createDirectories(tmp.resolve("window-broken-store"));
        robot.interact(() -> workbench.project().storeProperty().set(broken));
        waitFor("the failure", () -> status.getText().startsWith("Could not open " + broken + ": "));
        assertEquals(null, workbench.project().storeProperty().get());
        assertEquals(null, workbench.project().modelProperty().get());
        assertEquals(null, workbench.project().dataProperty().get());
        assertEquals(null, workbench.project().attributionsProperty().get());
        assertTrue(dialogs.errors.getLast().startsWith("Opening store window-broken-store failed: " + broken + ": not a store"),
                dialogs.errors.toString());
    }

    @Test
    void dialogsShowTheWholeOfALongMessage(FxRobot robot) throws Exception {
        String message = "/data/projects/cifar/store/run.json: this store's rows were made with other settings (recorded by a build "
                + "started 2026-01-02T03:04:05Z). " + "--alpha: recorded 0.05, requested 0.1; --seed: recorded 0, requested 7; ".repeat(8)
                + "Rows of one store must share them; use a new store for new settings, or omit the options to build as recorded.";
        FxDialogService real = new FxDialogService(stage);
        for (double[] size : SIZES) {
            resize(robot, size);
            Platform.runLater(() -> real.showError("Cannot start the build", message));
            Window dialog = waitForDialog(robot);
            TextArea details = robot.from(dialog.getScene().getRoot()).lookup("#dialog-details").queryAs(TextArea.class);
            assertEquals(message, details.getText());
            Label summary = robot.from(dialog.getScene().getRoot()).lookup("#dialog-message").queryAs(Label.class);
            assertEquals("/data/projects/cifar/store/run.json: this store's rows were made with other settings (recorded by a build "
                    + "started 2026-01-02T03:04:05Z). (details below)", summary.getText());
            assertFalse(shownText(summary).endsWith("…"), "the summary is not cut: " + shownText(summary));
            assertTrue(((Stage) dialog).isResizable());
            screenCapture(robot, dialog, "window-dialog-long-" + (int) size[0] + "x" + (int) size[1]);
            robot.interact(dialog::hide);

            Platform.runLater(() -> real.confirm("Model file missing", "The model this store's rows were made with is not at "
                    + "/data/projects/cifar/models/resnet9.pt, nor beside or inside the store at /data/projects/cifar/store. The Spec, "
                    + "Build, Attributions, Evaluate and Edit panels need it. Choose the file with \"Locate model…\"; it is accepted only "
                    + "if its SHA-256 equals the one run.json records.", "Locate model…"));
            Window question = waitForDialog(robot);
            Label text = robot.from(question.getScene().getRoot()).lookup("#dialog-message").queryAs(Label.class);
            assertFalse(shownText(text).endsWith("…"), "the message is not cut: " + shownText(text));
            screenCapture(robot, question, "window-dialog-locate-model-" + (int) size[0] + "x" + (int) size[1]);
            robot.interact(question::hide);
        }
    }

    /** The text a label draws (its text node's), which ends in "…" where the label had too little room. */
    private static String shownText(Label label) {
        return ((javafx.scene.text.Text) label.lookup(".text")).getText();
    }

    private Window waitForDialog(FxRobot robot) {
        waitFor("the dialog", () -> robot.listWindows().stream().anyMatch(w -> w != stage && w.isShowing() && w instanceof Stage));
        return robot.listWindows().stream().filter(w -> w != stage && w.isShowing() && w instanceof Stage).findFirst().orElseThrow();
    }

    private static void screenCapture(FxRobot robot, Window window, String name) throws IOException {
        WaitForAsyncUtils.waitForFxEvents();
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Node root = window.getScene().getRoot();
        var image = robot.capture(root).getImage();
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", dir.resolve(name + ".png").toFile());
    }
}
