package org.coar.workbench.ui.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.css.PseudoClass;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.chart.Axis;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.coar.workbench.Csv;
import org.coar.workbench.testing.CsvRecords;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The window's export on figures and tables made here with known data: the SVG holds one bar or
 * symbol per data point where the axes put them, the PNG is twice the chart's size without hover
 * styles, the CSV reads back as the table shows it.
 */
class FigureExportTest {
    private static final PseudoClass HOVER = PseudoClass.getPseudoClass("hover");

    @BeforeAll
    static void toolkit() {
        FxThread.start();
    }

    private static Stage show(Node content, double width, double height) {
        Stage stage = new Stage();
        stage.setScene(new Scene(new VBox(content), width, height));
        stage.show();
        if (content instanceof javafx.scene.Parent parent) {
            parent.applyCss();
            parent.layout();
        }
        return stage;
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    /** The {@code g} elements whose class list holds {@code styleClass}, but not the legend's symbols (which share the class). */
    private static List<Element> groups(Document svg, String styleClass) {
        List<Element> found = new ArrayList<>();
        NodeList all = svg.getElementsByTagName("g");
        for (int i = 0; i < all.getLength(); i++) {
            Element g = (Element) all.item(i);
            List<String> classes = List.of(g.getAttribute("class").split(" "));
            if (classes.contains(styleClass) && !classes.contains("chart-legend-item-symbol")) {
                found.add(g);
            }
        }
        return found;
    }

    private static double attr(Element e, String name) {
        return Double.parseDouble(e.getAttribute(name));
    }

    /** Where {@code axis} puts {@code value}, in the chart's coordinates: what the SVG's coordinates are relative to. */
    private static <T> Point2D onChart(XYChart<?, ?> chart, Axis<T> axis, T value, boolean horizontal) {
        double position = axis.getDisplayPosition(value);
        Point2D scene = horizontal ? axis.localToScene(position, 0) : axis.localToScene(0, position);
        return chart.sceneToLocal(scene);
    }

    private static BarChart<String, Number> barChart() {
        CategoryAxis x = new CategoryAxis();
        NumberAxis y = new NumberAxis(0, 4, 1);
        BarChart<String, Number> chart = new BarChart<>(x, y);
        chart.setAnimated(false);
        chart.setTitle("Scores by group");
        XYChart.Series<String, Number> series = new XYChart.Series<>();
        series.setName("score");
        series.getData().addAll(List.of(new XYChart.Data<>("A", 1), new XYChart.Data<>("B", 3), new XYChart.Data<>("C", 2)));
        chart.getData().add(series);
        return chart;
    }

    @Test
    void aBarChartsSvgHoldsOneBarPerValueWhereTheAxesPutIt() throws Exception {
        FxThread.run(() -> {
            BarChart<String, Number> chart = barChart();
            Stage stage = show(chart, 600, 400);
            try {
                Document svg = parse(ChartSvg.of(chart).toXml());
                assertEquals(chart.getWidth(), attr(svg.getDocumentElement(), "width"), 0.01);
                List<Element> bars = groups(svg, "chart-bar");
                assertEquals(3, bars.size());
                String[] categories = {"A", "B", "C"};
                int[] values = {1, 3, 2};
                for (int i = 0; i < 3; i++) {
                    Element box = (Element) bars.get(i).getElementsByTagName("rect").item(0);
                    double centreX = attr(box, "x") + attr(box, "width") / 2;
                    assertEquals(onChart(chart, chart.getXAxis(), categories[i], true).getX(), centreX, 0.6, "bar " + categories[i] + " x");
                    assertEquals(onChart(chart, chart.getYAxis(), (Number) values[i], false).getY(), attr(box, "y"), 0.6,
                            "bar " + categories[i] + " top");
                    assertEquals(onChart(chart, chart.getYAxis(), (Number) 0, false).getY(), attr(box, "y") + attr(box, "height"), 0.6,
                            "bar " + categories[i] + " bottom");
                }
                List<String> texts = new ArrayList<>();
                NodeList text = svg.getElementsByTagName("text");
                for (int i = 0; i < text.getLength(); i++) {
                    texts.add(text.item(i).getTextContent());
                }
                assertTrue(texts.containsAll(List.of("Scores by group", "A", "B", "C", "0", "1", "2", "3", "4", "score")), texts.toString());
            } finally {
                stage.close();
            }
        });
    }

    @Test
    void aLineChartsSvgHoldsItsSymbolsAndItsLineAtTheDataPoints() throws Exception {
        FxThread.run(() -> {
            NumberAxis x = new NumberAxis(0, 10, 2);
            NumberAxis y = new NumberAxis(0, 100, 20);
            LineChart<Number, Number> chart = new LineChart<>(x, y);
            chart.setAnimated(false);
            XYChart.Series<Number, Number> series = new XYChart.Series<>();
            double[][] points = {{1, 10}, {4, 50}, {9, 90}};
            for (double[] p : points) {
                series.getData().add(new XYChart.Data<>(p[0], p[1]));
            }
            chart.getData().add(series);
            Stage stage = show(chart, 500, 350);
            try {
                Document svg = parse(ChartSvg.of(chart).toXml());
                List<Element> symbols = groups(svg, "chart-line-symbol");
                assertEquals(3, symbols.size());
                List<double[]> expected = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Element box = (Element) symbols.get(i).getElementsByTagName("rect").item(0);
                    double ex = onChart(chart, x, (Number) points[i][0], true).getX();
                    double ey = onChart(chart, y, (Number) points[i][1], false).getY();
                    expected.add(new double[] {ex, ey});
                    assertEquals(ex, attr(box, "x") + attr(box, "width") / 2, 0.6, "symbol " + i + " x");
                    assertEquals(ey, attr(box, "y") + attr(box, "height") / 2, 0.6, "symbol " + i + " y");
                }
                NodeList paths = svg.getElementsByTagName("path");
                String line = null;
                for (int i = 0; i < paths.getLength(); i++) {
                    if (((Element) paths.item(i)).getAttribute("class").contains("chart-series-line")) {
                        line = ((Element) paths.item(i)).getAttribute("d");
                    }
                }
                assertTrue(line != null, "no series line");
                // LineChart moves to the first point and draws a line to it again; a repeated vertex draws nothing.
                List<String> vertices = new ArrayList<>();
                for (String vertex : line.substring(1).split("L")) {
                    if (vertices.isEmpty() || !vertices.getLast().equals(vertex)) {
                        vertices.add(vertex);
                    }
                }
                assertEquals(3, vertices.size(), line);
                for (int i = 0; i < 3; i++) {
                    String[] xy = vertices.get(i).split(",");
                    assertEquals(expected.get(i)[0], Double.parseDouble(xy[0]), 0.6, "line vertex " + i);
                    assertEquals(expected.get(i)[1], Double.parseDouble(xy[1]), 0.6, "line vertex " + i);
                }
            } finally {
                stage.close();
            }
        });
    }

    @Test
    void thePngIsTwiceTheChartsSizeAndShowsNoHoverStyle(@TempDir Path dir) throws Exception {
        Path css = dir.resolve("hover.css");
        Files.writeString(css, ".chart-bar:hover { -fx-background-color: #ff0000; }");
        Path file = dir.resolve("bars.png");
        FxThread.run(() -> {
            BarChart<String, Number> chart = barChart();
            Stage stage = show(chart, 640, 420);
            stage.getScene().getStylesheets().add(css.toUri().toString());
            try {
                Node bar = chart.getData().getFirst().getData().get(1).getNode();
                bar.pseudoClassStateChanged(HOVER, true);
                chart.applyCss();
                assertEquals(Color.RED, ((Region) bar).getBackground().getFills().getFirst().getFill(), "the hover style applies on screen");
                FigureExport.writePng(chart, file);
                assertTrue(bar.getPseudoClassStates().contains(HOVER), "the pointer's state is given back after the snapshot");

                var image = ImageIO.read(file.toFile());
                assertEquals(Math.ceil(2 * chart.getWidth()), image.getWidth());
                assertEquals(Math.ceil(2 * chart.getHeight()), image.getHeight());
                Point2D centre = chart.sceneToLocal(bar.localToScene(bar.getLayoutBounds().getCenterX(), bar.getLayoutBounds().getCenterY()));
                int rgb = image.getRGB((int) (2 * centre.getX()), (int) (2 * centre.getY())) & 0xffffff;
                assertNotEquals(0xff0000, rgb, "the hovered bar is drawn as without the pointer");
            } finally {
                stage.close();
            }
        });
    }

    record Row(String name, double score, String note) {
    }

    @Test
    void aTablesCsvHasTheVisibleColumnsInTheirOrderAndReadsBackAsShown() throws Exception {
        List<List<String>> parsed = FxThread.call(() -> {
            TableView<Row> table = new TableView<>();
            TableColumn<Row, String> name = new TableColumn<>("Name");
            name.setCellValueFactory(c -> new javafx.beans.property.SimpleStringProperty(c.getValue().name()));
            TableColumn<Row, Double> score = new TableColumn<>("Score");
            score.setCellValueFactory(c -> new javafx.beans.property.SimpleObjectProperty<>(c.getValue().score()));
            score.setCellFactory(column -> new TableCell<>() {
                @Override
                protected void updateItem(Double value, boolean empty) {
                    super.updateItem(value, empty);
                    setText(empty || value == null ? null : String.format(java.util.Locale.ROOT, "%.2f", value));
                }
            });
            TableColumn<Row, String> note = new TableColumn<>("Note");
            note.setCellValueFactory(c -> new javafx.beans.property.SimpleStringProperty(c.getValue().note()));
            note.setVisible(false);
            TableColumn<Row, String> shown = new TableColumn<>("Shown");
            shown.setCellValueFactory(c -> new javafx.beans.property.SimpleStringProperty(c.getValue().name()));
            shown.setCellFactory(column -> new TableCell<>() {
                @Override
                protected void updateItem(String value, boolean empty) {
                    super.updateItem(value, empty);
                    setText(empty || value == null ? null : value.toUpperCase(java.util.Locale.ROOT));
                }
            });
            table.getColumns().setAll(List.of(name, score, note, shown));
            table.getItems().setAll(new Row("conv1, \"first\"", 0.123456, "hidden"), new Row("fc\nhead", -2.5, "hidden too"));
            table.getColumns().setAll(List.of(score, name, note, shown)); // the user dragged Score to the front
            return CsvRecords.parse(Csv.of(TableCsv.header(table), TableCsv.rows(table)));
        });
        assertEquals(List.of(List.of("Score", "Name", "Shown"),
                List.of("0.123456", "conv1, \"first\"", "CONV1, \"FIRST\""),
                List.of("-2.5", "fc\nhead", "FC\nHEAD")), parsed);
    }

    @Test
    void fileNamesComeFromTheChartsTitle() {
        FxThread.run(() -> {
            assertEquals("scores-by-group", FigureExport.suggestedName(barChart()));
            assertEquals("table", FigureExport.suggestedName(new TableView<>()));
        });
    }
}
