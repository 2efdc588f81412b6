package org.coar.workbench.ui.attributions;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.ListChangeListener;
import javafx.collections.transformation.SortedList;
import javafx.embed.swing.SwingFXUtils;
import javafx.fxml.FXML;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.cell.CheckBoxTableCell;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Pane;
import javax.imageio.ImageIO;
import org.coar.workbench.attributions.ExampleBrowser;
import org.coar.workbench.ui.common.Axes;
import org.coar.workbench.ui.common.Cells;
import org.coar.workbench.ui.common.DialogService;
import org.coar.workbench.ui.common.ProjectState;

/**
 * The Attributions panel's Examples page: a query over the examples, and for the selected one its
 * input, its strongest components (with a what-if), and its attribution mass per layer.
 */
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
    private Label labelBoxLabel;
    @FXML
    private ComboBox<AttributionsViewModel.ClassChoice> labelBox;
    @FXML
    private Label predictionBoxLabel;
    @FXML
    private ComboBox<AttributionsViewModel.ClassChoice> predictionBox;
    @FXML
    private TextField r2BelowField;
    @FXML
    private TextField componentField;
    @FXML
    private ComboBox<AttributionsViewModel.ComponentTest> componentTestBox;
    @FXML
    private TextField componentValueField;
    @FXML
    private Label matchCountLabel;
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
    private Label viewPlaceholder;
    @FXML
    private ScrollPane viewScroll;
    @FXML
    private ImageView inputImage;
    @FXML
    private Label exampleLabel;
    @FXML
    private Label outputLabel;
    @FXML
    private Label whatIfLabel;
    @FXML
    private Button sendToEditButton;
    @FXML
    private Button untickButton;
    @FXML
    private BarChart<Number, String> componentChart;
    @FXML
    private NumberAxis scoreAxis;
    @FXML
    private CategoryAxis componentAxis;
    @FXML
    private BarChart<String, Number> layerChart;
    @FXML
    private NumberAxis shareAxis;
    @FXML
    private TableView<ExampleBrowser.Contribution> componentTable;
    @FXML
    private TableColumn<ExampleBrowser.Contribution, Boolean> componentAblateColumn;
    @FXML
    private TableColumn<ExampleBrowser.Contribution, String> componentNameColumn;
    @FXML
    private TableColumn<ExampleBrowser.Contribution, String> componentLayerColumn;
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
        bindQuery();
        bindExampleTable();
        bindComponentTable();
        Cells.value(movedExampleColumn, row -> row.component());
        Cells.value(movedScoreColumn, row -> row.score());
        movedScoreColumn.setCellFactory(column -> Cells.numberCell("%.4f"));
        movedTable.setItems(viewModel.movedExamples());
        movedTable.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null) {
                viewModel.selectIndex(now.component());
            }
        });
        viewModel.componentProperty().addListener((obs, old, now) -> movedLabel.setText(now == null ? "Select a component"
                : "Examples " + now.name() + " moves most"));
        whatIfLabel.textProperty().bind(viewModel.whatIfProperty());
        sendToEditButton.disableProperty().bind(Bindings.isEmpty(viewModel.ablated()));
        untickButton.disableProperty().bind(Bindings.isEmpty(viewModel.ablated()));
        Axes.useTicks(scoreAxis, 2);
        Axes.useTicks(shareAxis, 2);
        viewModel.viewProperty().addListener((obs, old, now) -> show(now));
        show(null);
    }

    private void bindQuery() {
        searchField.textProperty().bindBidirectional(viewModel.searchProperty());
        misclassifiedBox.selectedProperty().bindBidirectional(viewModel.misclassifiedOnlyProperty());
        labelBox.setItems(viewModel.labels());
        labelBox.valueProperty().bindBidirectional(viewModel.labelProperty());
        predictionBox.setItems(viewModel.predictions());
        predictionBox.valueProperty().bindBidirectional(viewModel.predictionProperty());
        r2BelowField.textProperty().bindBidirectional(viewModel.r2BelowProperty());
        componentField.textProperty().bindBidirectional(viewModel.componentNameProperty());
        componentTestBox.getItems().setAll(AttributionsViewModel.ComponentTest.values());
        componentTestBox.valueProperty().bindBidirectional(viewModel.componentTestProperty());
        componentValueField.disableProperty().bind(viewModel.componentTestProperty().isEqualTo(AttributionsViewModel.ComponentTest.STRONGEST));
        matchCountLabel.textProperty().bind(viewModel.matchCountProperty());
        viewModel.browserProperty().addListener((obs, old, now) -> {
            // a language model's sequences have no class labels; "correct" means a positive mean next-token margin
            boolean languageModel = now != null && now.languageModel();
            boolean predictions = now == null || now.hasPredictions();
            labelColumn.setVisible(!languageModel);
            predictionColumn.setVisible(!languageModel && predictions);
            outputColumn.setVisible(predictions);
            for (var node : List.of(labelBox, labelBoxLabel)) {
                node.setVisible(!languageModel);
                node.setManaged(!languageModel);
            }
            for (var node : List.of(predictionBox, predictionBoxLabel, misclassifiedBox)) {
                node.setDisable(!predictions);
            }
            predictionBox.setVisible(!languageModel);
            predictionBox.setManaged(!languageModel);
            predictionBoxLabel.setVisible(!languageModel);
            predictionBoxLabel.setManaged(!languageModel);
            misclassifiedBox.setText(languageModel ? "Margin <= 0 only" : "Misclassified only");
        });
    }

    private void bindExampleTable() {
        SortedList<ExampleBrowser.ExampleRow> sorted = new SortedList<>(viewModel.examples());
        sorted.comparatorProperty().bind(exampleTable.comparatorProperty());
        exampleTable.setItems(sorted);
        Cells.value(indexColumn, row -> row.index());
        Cells.value(labelColumn, row -> row.label());
        Cells.value(predictionColumn, row -> row.prediction());
        Cells.value(outputColumn, row -> row.cleanOutput());
        Cells.value(r2Column, row -> row.validationR2());
        labelColumn.setCellFactory(column -> classCell());
        predictionColumn.setCellFactory(column -> classCell());
        outputColumn.setCellFactory(column -> Cells.numberCell("%.3f"));
        r2Column.setCellFactory(column -> Cells.numberCell("%.3f"));
        viewModel.classNamesProperty().addListener((obs, old, now) -> exampleTable.refresh());
        exampleTable.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> {
            if (now != null) {
                viewModel.select(now);
            }
        });
        // the table follows the view model's selection: cleared when the query drops it, set when another panel focuses it
        viewModel.selectedProperty().addListener((obs, old, now) -> syncSelection());
        sorted.addListener((ListChangeListener<ExampleBrowser.ExampleRow>) change -> syncSelection());
    }

    private void syncSelection() {
        ExampleBrowser.ExampleRow wanted = viewModel.selectedProperty().get();
        if (wanted == null) {
            exampleTable.getSelectionModel().clearSelection();
            return;
        }
        int at = -1;
        for (int i = 0; i < exampleTable.getItems().size(); i++) {
            if (exampleTable.getItems().get(i).index() == wanted.index()) {
                at = i;
                break;
            }
        }
        if (at >= 0 && exampleTable.getSelectionModel().getSelectedIndex() != at) {
            exampleTable.getSelectionModel().clearAndSelect(at);
            exampleTable.scrollTo(at);
        }
    }

    private TableCell<ExampleBrowser.ExampleRow, Integer> classCell() {
        return new TableCell<>() {
            @Override
            protected void updateItem(Integer value, boolean empty) {
                super.updateItem(value, empty);
                // the name alone where there is one, so it fits the column; the choosers show number and name
                String name = empty || value == null ? null : viewModel.classNamesProperty().get().of(value);
                setText(empty || value == null ? null : name != null ? name : viewModel.classText(value));
            }
        };
    }

    private void bindComponentTable() {
        componentAblateColumn.setCellValueFactory(cell -> {
            ExampleBrowser.Contribution contribution = cell.getValue();
            SimpleBooleanProperty ticked = new SimpleBooleanProperty(viewModel.isAblated(contribution));
            ticked.addListener((obs, old, now) -> viewModel.setAblated(contribution, now));
            return ticked;
        });
        componentAblateColumn.setCellFactory(CheckBoxTableCell.forTableColumn(componentAblateColumn));
        Cells.value(componentNameColumn, row -> row.name());
        Cells.value(componentLayerColumn, row -> {
            ExampleBrowser browser = viewModel.browserProperty().get();
            return browser == null ? "" : browser.layerOf(row.component());
        });
        Cells.value(componentScoreColumn, row -> row.score());
        componentScoreColumn.setCellFactory(column -> Cells.numberCell("%.4f"));
        componentTable.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> viewModel.selectComponent(now));
        MenuItem showPage = new MenuItem("Show component page");
        showPage.setOnAction(e -> viewModel.showComponentPage(componentTable.getSelectionModel().getSelectedItem()));
        MenuItem tick = new MenuItem("Tick for the what-if");
        tick.setOnAction(e -> {
            viewModel.setAblated(componentTable.getSelectionModel().getSelectedItem(), true);
            componentTable.refresh();
        });
        componentTable.setContextMenu(new ContextMenu(showPage, tick));
        componentTable.setRowFactory(table -> {
            TableRow<ExampleBrowser.Contribution> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    viewModel.showComponentPage(row.getItem());
                }
            });
            return row;
        });
    }

    private void show(ExampleBrowser.ExampleView view) {
        viewScroll.setVisible(view != null);
        viewPlaceholder.setVisible(view == null);
        if (view == null) {
            componentTable.getItems().clear();
            return;
        }
        ExampleBrowser.ExampleRow row = view.example();
        ExampleBrowser browser = viewModel.browserProperty().get();
        boolean languageModel = browser != null && browser.languageModel();
        String identity;
        if (languageModel) {
            identity = String.format(Locale.ROOT, "Sequence %d — %d tokens%s", row.index(), browser.tokens(row.index()),
                    row.misclassified() ? " (mean next-token margin <= 0)" : "");
        } else {
            identity = "Example " + row.index();
            if (row.label() != ExampleBrowser.ExampleRow.UNKNOWN) {
                identity += " — label " + viewModel.classText(row.label());
            }
            if (row.prediction() != ExampleBrowser.ExampleRow.UNKNOWN) {
                identity += ", predicted " + viewModel.classText(row.prediction()) + (row.misclassified() ? " (misclassified)" : "");
            }
        }
        exampleLabel.setText(identity);
        String output = browser == null ? "output" : browser.outputName();
        outputLabel.setText((Float.isNaN(row.cleanOutput()) ? "Clean " + output + " unknown without the model"
                : String.format(Locale.ROOT, "Clean %s %.3f", output, row.cleanOutput()))
                + (Double.isNaN(row.validationR2()) ? "" : String.format(Locale.ROOT, "; validation R² %.3f", row.validationR2())));

        inputImage.setImage(view.image() == null ? null : Images.input(view.image(), view.imageShape()));
        inputImage.setVisible(view.image() != null);
        inputImage.setManaged(view.image() != null);
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

    @FXML
    private void onOpenAttributions() {
        dialogs.chooseDirectory("Open an attributions directory (made by coar fit)").ifPresent(dir -> project.attributionsProperty().set(dir));
    }

    @FXML
    private void onClassNames() {
        dialogs.chooseFile("Class names: a text file with one name per line, label 0 first", "txt")
                .ifPresent(file -> dialogs.attempt("Cannot read the class names", () -> viewModel.loadClassNames(file)));
    }

    @FXML
    private void onClearQuery() {
        viewModel.clearQuery();
    }

    @FXML
    private void onSendToEdit() {
        viewModel.sendToEdit();
    }

    @FXML
    private void onUntickAll() {
        viewModel.ablated().clear();
        componentTable.refresh();
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
