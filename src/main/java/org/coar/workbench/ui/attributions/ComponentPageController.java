package org.coar.workbench.ui.attributions;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javafx.fxml.FXML;
import javafx.scene.chart.AreaChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.layout.VBox;
import org.coar.workbench.attributions.ComponentProfiles;
import org.coar.workbench.ui.common.Axes;
import org.coar.workbench.ui.common.Cells;

/** The Component page: a chooser, the component's score histogram and weights, and the examples it moves most. */
public final class ComponentPageController {
    private static final double THUMBNAIL = 36;
    /** The most pixels the weights image takes each way; a filter is drawn at the largest whole zoom that fits. */
    private static final double WEIGHTS_BOX = 180;

    private final ComponentPageViewModel viewModel;

    @FXML
    private TextField queryField;
    @FXML
    private Button previousButton;
    @FXML
    private Button nextButton;
    @FXML
    private Label componentProblemLabel;
    @FXML
    private Label componentStatusLabel;
    @FXML
    private Label componentEmptyLabel;
    @FXML
    private VBox componentContent;
    @FXML
    private Label componentTitleLabel;
    @FXML
    private AreaChart<Number, Number> histogram;
    @FXML
    private NumberAxis scoreAxis;
    @FXML
    private NumberAxis countAxis;
    @FXML
    private ImageView weightsImage;
    @FXML
    private Label weightsLabel;
    @FXML
    private TableView<ComponentPageViewModel.MovedExample> raisingTable;
    @FXML
    private TableColumn<ComponentPageViewModel.MovedExample, ComponentPageViewModel.MovedExample> raisingInputColumn;
    @FXML
    private TableColumn<ComponentPageViewModel.MovedExample, Integer> raisingExampleColumn;
    @FXML
    private TableColumn<ComponentPageViewModel.MovedExample, Integer> raisingLabelColumn;
    @FXML
    private TableColumn<ComponentPageViewModel.MovedExample, Integer> raisingPredictionColumn;
    @FXML
    private TableColumn<ComponentPageViewModel.MovedExample, Float> raisingScoreColumn;
    @FXML
    private TableView<ComponentPageViewModel.MovedExample> loweringTable;
    @FXML
    private TableColumn<ComponentPageViewModel.MovedExample, ComponentPageViewModel.MovedExample> loweringInputColumn;
    @FXML
    private TableColumn<ComponentPageViewModel.MovedExample, Integer> loweringExampleColumn;
    @FXML
    private TableColumn<ComponentPageViewModel.MovedExample, Integer> loweringLabelColumn;
    @FXML
    private TableColumn<ComponentPageViewModel.MovedExample, Integer> loweringPredictionColumn;
    @FXML
    private TableColumn<ComponentPageViewModel.MovedExample, Float> loweringScoreColumn;

    public ComponentPageController(ComponentPageViewModel viewModel) {
        this.viewModel = viewModel;
    }

    @FXML
    private void initialize() {
        queryField.textProperty().bindBidirectional(viewModel.queryProperty());
        componentProblemLabel.textProperty().bind(viewModel.queryProblemProperty());
        componentStatusLabel.textProperty().bind(viewModel.statusProperty());
        Axes.useTicks(countAxis, 0);
        setUp(raisingTable, raisingInputColumn, raisingExampleColumn, raisingLabelColumn, raisingPredictionColumn, raisingScoreColumn);
        setUp(loweringTable, loweringInputColumn, loweringExampleColumn, loweringLabelColumn, loweringPredictionColumn, loweringScoreColumn);
        raisingTable.setItems(viewModel.raising());
        loweringTable.setItems(viewModel.lowering());
        viewModel.profileProperty().addListener((obs, old, now) -> show(now));
        show(null);
    }

    private void setUp(TableView<ComponentPageViewModel.MovedExample> table,
                       TableColumn<ComponentPageViewModel.MovedExample, ComponentPageViewModel.MovedExample> input,
                       TableColumn<ComponentPageViewModel.MovedExample, Integer> example,
                       TableColumn<ComponentPageViewModel.MovedExample, Integer> label,
                       TableColumn<ComponentPageViewModel.MovedExample, Integer> prediction,
                       TableColumn<ComponentPageViewModel.MovedExample, Float> score) {
        Cells.value(input, row -> row);
        input.setCellFactory(column -> new InputCell());
        Cells.value(example, row -> row.example());
        Cells.value(label, row -> row.label());
        Cells.value(prediction, row -> row.prediction());
        Cells.value(score, row -> row.score());
        score.setCellFactory(column -> Cells.numberCell("%.4f"));
        table.setRowFactory(view -> {
            TableRow<ComponentPageViewModel.MovedExample> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (!row.isEmpty()) {
                    viewModel.focusExample(row.getItem().example());
                }
            });
            return row;
        });
    }

    /** An example's input: its image as a thumbnail, or a sequence's token count. */
    private static final class InputCell extends TableCell<ComponentPageViewModel.MovedExample, ComponentPageViewModel.MovedExample> {
        private final ImageView thumbnail = new ImageView();

        InputCell() {
            thumbnail.setFitWidth(THUMBNAIL);
            thumbnail.setFitHeight(THUMBNAIL);
            thumbnail.setPreserveRatio(true);
            thumbnail.setSmooth(false);
        }

        @Override
        protected void updateItem(ComponentPageViewModel.MovedExample row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
                setText(null);
            } else if (row.image() != null) {
                thumbnail.setImage(Images.input(row.image(), row.imageShape()));
                setGraphic(thumbnail);
                setText(null);
            } else {
                setGraphic(null);
                setText(row.tokens() >= 0 ? row.tokens() + " tokens" : "—");
            }
        }
    }

    private void show(ComponentProfiles.Profile profile) {
        componentContent.setVisible(profile != null);
        componentEmptyLabel.setVisible(profile == null);
        previousButton.setDisable(profile == null || profile.component() == 0);
        nextButton.setDisable(profile == null || viewModel.openedProperty().get() == null
                || profile.component() + 1 >= viewModel.openedProperty().get().components().total());
        if (profile == null) {
            histogram.getData().clear();
            weightsImage.setImage(null);
            return;
        }
        boolean languageModel = viewModel.browser() != null && viewModel.browser().languageModel();
        for (TableColumn<?, ?> column : List.of(raisingLabelColumn, raisingPredictionColumn, loweringLabelColumn, loweringPredictionColumn)) {
            column.setVisible(!languageModel);
        }
        ComponentProfiles.Histogram counts = profile.histogram();
        componentTitleLabel.setText(String.format(Locale.ROOT, "%s — component %d; mean score %.4g over %,d %s, from %.4g to %.4g", profile.name(),
                profile.component(), profile.mean(), counts.total(), languageModel ? "sequences" : "examples", counts.low(), counts.high()));
        drawHistogram(counts);
        ComponentProfiles.Weights weights = profile.weights();
        if (weights != null && weights.mosaic() != null) {
            ComponentProfiles.FilterMosaic mosaic = weights.mosaic();
            int zoom = Math.max(1, (int) (WEIGHTS_BOX / Math.max(mosaic.width(), mosaic.height())));
            int[] colours = ScoreColours.argb(mosaic.pixels(), mosaic.maxAbs());
            weightsImage.setImage(Images.argb(mosaic.width() * zoom, mosaic.height() * zoom,
                    Pixels.resize(colours, mosaic.width(), mosaic.height(), mosaic.width() * zoom, mosaic.height() * zoom)));
            weightsLabel.setText(String.format(Locale.ROOT, "%s filter %d: %s, a tile per input channel; L2 norm %.4g; "
                    + "green > 0 > red, full at ±%.3g", weights.parameter(), weights.slice(),
                    Arrays.stream(weights.shape()).mapToObj(Long::toString).collect(Collectors.joining(" × ")), weights.norm(), mosaic.maxAbs()));
        } else {
            weightsImage.setImage(null);
            weightsLabel.setText(profile.weightsNote());
        }
    }

    /** The histogram as a step outline filled down to 0, on numeric axes, with whole counts on the count axis. */
    private void drawHistogram(ComponentProfiles.Histogram counts) {
        XYChart.Series<Number, Number> steps = new XYChart.Series<>();
        steps.getData().add(new XYChart.Data<>(counts.low(), 0));
        int max = 0;
        // one value per edge: the chart sorts its points by x, and a bin's right edge computed apart
        // from the next bin's left edge could differ in the last bit and swap places with it
        double[] edges = new double[counts.counts().length + 1];
        for (int b = 0; b < edges.length; b++) {
            edges[b] = b == edges.length - 1 ? counts.high() : counts.low() + b * counts.binWidth();
        }
        for (int b = 0; b < counts.counts().length; b++) {
            steps.getData().add(new XYChart.Data<>(edges[b], counts.counts()[b]));
            steps.getData().add(new XYChart.Data<>(edges[b + 1], counts.counts()[b]));
            max = Math.max(max, counts.counts()[b]);
        }
        steps.getData().add(new XYChart.Data<>(counts.high(), 0));
        int unit = wholeTickUnit(max);
        countAxis.setLowerBound(0);
        countAxis.setTickUnit(unit);
        countAxis.setUpperBound(Math.max(unit, (max + unit - 1) / unit * unit));
        Axes.useTicks(scoreAxis, decimalsFor(counts.high() - counts.low()));
        histogram.getData().setAll(List.of(steps));
    }

    /** A tick unit of 1, 2 or 5 × 10^k giving about five ticks up to {@code max}, never below 1 (counts are whole). */
    static int wholeTickUnit(int max) {
        double raw = Math.max(1, max / 5.0);
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double[] steps = {1, 2, 5, 10};
        for (double step : steps) {
            if (step * power >= raw) {
                return (int) Math.max(1, step * power);
            }
        }
        return (int) (10 * power);
    }

    /** Decimals that tell ticks about a fifth of {@code range} apart from one another. */
    static int decimalsFor(double range) {
        if (!(range > 0)) {
            return 2;
        }
        return Math.max(0, Math.min(6, (int) Math.ceil(-Math.log10(range / 5)) + 1));
    }

    @FXML
    private void onShow() {
        viewModel.choose();
    }

    @FXML
    private void onPrevious() {
        viewModel.previous();
    }

    @FXML
    private void onNext() {
        viewModel.next();
    }
}
