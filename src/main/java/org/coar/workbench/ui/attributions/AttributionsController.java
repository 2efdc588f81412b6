package org.coar.workbench.ui.attributions;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.embed.swing.SwingFXUtils;
import javafx.fxml.FXML;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Pane;
import javafx.scene.paint.Color;
import javax.imageio.ImageIO;
import javafx.collections.transformation.SortedList;
import org.coar.workbench.attributions.ExampleBrowser;
import org.coar.workbench.ui.common.Cells;
import org.coar.workbench.ui.common.DialogService;
import org.coar.workbench.ui.common.ProjectState;

/** Attributions panel: the examples, and for the selected one its strongest components and layer mass. */
public final class AttributionsController {
    /** Components per sign in the bar chart: as many names as fit beside their bars in a laptop-sized window. */
    private static final int CHART_K = 6;

    private final AttributionsViewModel viewModel;
    private final ProjectState project;
    private final DialogService dialogs;

    @FXML
    private Label statusLabel;
    @FXML
    private TextField searchField;
    @FXML
    private CheckBox misclassifiedBox;
    @FXML
    private ComboBox<Integer> labelBox;
    @FXML
    private TableView<ExampleBrowser.ExampleRow> exampleTable;
    @FXML
    private TableColumn<ExampleBrowser.ExampleRow, Integer> indexColumn;
    @FXML
    private TableColumn<ExampleBrowser.ExampleRow, Integer> labelColumn;
    @FXML
    private TableColumn<ExampleBrowser.ExampleRow, Integer> predictionColumn;
    @FXML
    private TableColumn<ExampleBrowser.ExampleRow, Float> outputColumn;
    @FXML
    private TableColumn<ExampleBrowser.ExampleRow, Double> r2Column;
    @FXML
    private ImageView inputImage;
    @FXML
    private Label exampleLabel;
    @FXML
    private BarChart<Number, String> componentChart;
    @FXML
    private CategoryAxis componentAxis;
    @FXML
    private BarChart<String, Number> layerChart;
    @FXML
    private TableView<ExampleBrowser.Contribution> componentTable;
    @FXML
    private TableColumn<ExampleBrowser.Contribution, String> componentNameColumn;
    @FXML
    private TableColumn<ExampleBrowser.Contribution, Float> componentScoreColumn;
    @FXML
    private Label movedLabel;
    @FXML
    private TableView<ExampleBrowser.Contribution> movedTable;
    @FXML
    private TableColumn<ExampleBrowser.Contribution, Integer> movedExampleColumn;
    @FXML
    private TableColumn<ExampleBrowser.Contribution, Float> movedScoreColumn;
    @FXML
    private Pane viewPane;

    public AttributionsController(AttributionsViewModel viewModel, ProjectState project, DialogService dialogs) {
        this.viewModel = viewModel;
        this.project = project;
        this.dialogs = dialogs;
    }

    @FXML
    private void initialize() {
        statusLabel.textProperty().bind(viewModel.statusProperty());
        searchField.textProperty().bindBidirectional(viewModel.searchProperty());
        misclassifiedBox.selectedProperty().bindBidirectional(viewModel.misclassifiedOnlyProperty());
        labelBox.setItems(viewModel.labels());
        labelBox.valueProperty().bindBidirectional(viewModel.labelProperty());

        SortedList<ExampleBrowser.ExampleRow> sorted = new SortedList<>(viewModel.examples());
        sorted.comparatorProperty().bind(exampleTable.comparatorProperty());
        exampleTable.setItems(sorted);
        Cells.value(indexColumn, row -> row.index());
        Cells.value(labelColumn, row -> row.label());
        Cells.value(predictionColumn, row -> row.prediction());
        Cells.value(outputColumn, row -> row.cleanOutput());
        Cells.value(r2Column, row -> row.validationR2());
        outputColumn.setCellFactory(column -> Cells.numberCell("%.3f"));
        r2Column.setCellFactory(column -> Cells.numberCell("%.3f"));
        componentScoreColumn.setCellFactory(column -> Cells.numberCell("%.4f"));
        movedScoreColumn.setCellFactory(column -> Cells.numberCell("%.4f"));
        exampleTable.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> viewModel.select(now));
        viewModel.browserProperty().addListener((obs, old, now) -> {
            // a language model's sequences have no class labels; "correct" means a positive mean next-token margin
            boolean languageModel = now != null && now.languageModel();
            labelColumn.setVisible(!languageModel);
            predictionColumn.setVisible(!languageModel);
            misclassifiedBox.setText(languageModel ? "Margin <= 0 only" : "Misclassified only");
        });
        // a freshly opened set shows its first example rather than an empty view
        viewModel.browserProperty().addListener((obs, old, now) -> javafx.application.Platform.runLater(() -> {
            if (now != null && exampleTable.getSelectionModel().isEmpty() && !exampleTable.getItems().isEmpty()) {
                exampleTable.getSelectionModel().select(0);
            }
        }));

        Cells.value(componentNameColumn, row -> row.name());
        Cells.value(componentScoreColumn, row -> row.score());
        componentTable.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> viewModel.selectComponent(now));
        Cells.value(movedExampleColumn, row -> row.component());
        Cells.value(movedScoreColumn, row -> row.score());
        movedTable.setItems(viewModel.movedExamples());
        movedTable.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null) {
                exampleTable.getItems().stream().filter(r -> r.index() == now.component()).findFirst()
                        .ifPresent(r -> exampleTable.getSelectionModel().select(r));
            }
        });
        viewModel.componentProperty().addListener((obs, old, now) -> movedLabel.setText(now == null ? ""
                : "Moved most by " + now.name()));
        viewModel.viewProperty().addListener((obs, old, now) -> show(now));
        show(null);
    }

    private void show(ExampleBrowser.ExampleView view) {
        viewPane.setVisible(view != null);
        if (view == null) {
            return;
        }
        ExampleBrowser.ExampleRow row = view.example();
        ExampleBrowser browser = viewModel.browserProperty().get();
        boolean languageModel = browser != null && browser.languageModel();
        String identity = languageModel
                ? String.format(Locale.ROOT, "Sequence %d — %d tokens%s", row.index(), browser.tokens(row.index()),
                        row.misclassified() ? " (mean next-token margin <= 0)" : "")
                : String.format(Locale.ROOT, "Example %d — label %d, predicted %d%s", row.index(), row.label(), row.prediction(),
                        row.misclassified() ? " (misclassified)" : "");
        exampleLabel.setText(String.format(Locale.ROOT, "%s; clean output %.3f%s", identity, row.cleanOutput(),
                Double.isNaN(row.validationR2()) ? "" : String.format(Locale.ROOT, "; validation R² %.3f", row.validationR2())));

        inputImage.setImage(view.image() == null ? null : toImage(view.image(), view.imageShape()));
        // Top-k only: full score vectors never go into chart nodes. Table and chart (read top down)
        // both run from the strongest raising component to the strongest lowering one; the chart
        // has room for fewer names than the table.
        List<ExampleBrowser.Contribution> listed = new ArrayList<>(view.positive());
        listed.addAll(view.negative().reversed());
        List<ExampleBrowser.Contribution> charted = new ArrayList<>(view.positive().stream().limit(CHART_K).toList());
        charted.addAll(view.negative().stream().limit(CHART_K).toList().reversed());
        // One series, so each bar sits on its own label (a second series would shift every bar by
        // half a slot); the sign picks the colour, and the legend under the chart explains it.
        // The axis is told its categories: left to itself it keeps the places of names it has seen
        // before, so a new example's bars would come out of order.
        List<ExampleBrowser.Contribution> bottomUp = charted.reversed();
        XYChart.Series<Number, String> effects = new XYChart.Series<>();
        bottomUp.forEach(c -> effects.getData().add(new XYChart.Data<>(c.score(), c.name())));
        componentAxis.getCategories().setAll(bottomUp.stream().map(ExampleBrowser.Contribution::name).toList());
        componentChart.getData().setAll(List.of(effects));
        effects.getData().forEach(bar -> bar.getNode().getStyleClass().add(bar.getXValue().doubleValue() < 0 ? "lowers" : "raises"));
        componentTable.getItems().setAll(listed);
        XYChart.Series<String, Number> mass = new XYChart.Series<>();
        view.layers().forEach(m -> mass.getData().add(new XYChart.Data<>(m.layer(), m.share())));
        layerChart.getData().setAll(List.of(mass));
    }

    private static WritableImage toImage(float[] pixels, long[] shape) {
        int channels = (int) shape[0];
        int height = (int) shape[1];
        int width = (int) shape[2];
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : pixels) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float range = max > min ? max - min : 1;
        WritableImage image = new WritableImage(width, height);
        PixelWriter writer = image.getPixelWriter();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double r = (pixels[y * width + x] - min) / range;
                double g = channels == 3 ? (pixels[height * width + y * width + x] - min) / range : r;
                double b = channels == 3 ? (pixels[2 * height * width + y * width + x] - min) / range : r;
                writer.setColor(x, y, Color.color(r, g, b));
            }
        }
        return image;
    }

    @FXML
    private void onOpenAttributions() {
        dialogs.chooseDirectory("Open an attributions directory (made by coar fit)").ifPresent(dir -> project.attributionsProperty().set(dir));
    }

    @FXML
    private void onExportCsv() {
        export("CSV", "csv", file -> Files.writeString(file, viewModel.csv()));
    }

    @FXML
    private void onExportPng() {
        export("PNG", "png", file -> ImageIO.write(SwingFXUtils.fromFXImage(viewPane.snapshot(null, null), null), "png", file.toFile()));
    }

    private interface Writer {
        void write(java.nio.file.Path file) throws IOException;
    }

    /** Asks where to save the selected example's view and writes it; failures become a dialog. */
    private void export(String format, String extension, Writer writer) {
        if (viewModel.viewProperty().get() == null) {
            dialogs.showError("Nothing to export", "Select an example first.");
            return;
        }
        dialogs.chooseSaveFile("Export this view as " + format, "example-" + viewModel.viewProperty().get().example().index() + "." + extension)
                .ifPresent(file -> {
                    try {
                        writer.write(file);
                    } catch (IOException e) {
                        dialogs.showError("Cannot export", file + ": " + e.getMessage());
                    }
                });
    }
}
