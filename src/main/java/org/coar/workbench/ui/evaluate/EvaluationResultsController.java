package org.coar.workbench.ui.evaluate;

import java.nio.file.Path;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Region;
import org.coar.workbench.evaluation.Correlation;
import org.coar.workbench.evaluation.EvaluationFigures;
import org.coar.workbench.evaluation.EvaluationResult;
import org.coar.workbench.ui.common.Cells;

/** The evaluation's results: correlations per α and method, the summary, and the figures. */
public final class EvaluationResultsController {
    private final EvaluationViewModel evaluation;

    @FXML
    private TableView<EvaluationResult.AlphaResult> correlationTable;
    @FXML
    private Label evaluationText;
    @FXML
    private ComboBox<Path> figureBox;
    @FXML
    private ScrollPane figurePane;
    @FXML
    private ImageView figureView;

    public EvaluationResultsController(EvaluationViewModel evaluation) {
        this.evaluation = evaluation;
    }

    @FXML
    private void initialize() {
        evaluationText.textProperty().bind(evaluation.resultTextProperty());
        figureBox.setCellFactory(list -> new FigureCell());
        figureBox.setButtonCell(new FigureCell());
        figureBox.valueProperty().addListener((obs, old, now) ->
                // loaded in the background: a large PNG never stalls the FX thread
                figureView.setImage(now == null ? null : new Image(now.toUri().toString(), true)));
        figureView.fitWidthProperty().bind(figurePane.widthProperty().subtract(20));
        Tooltip.install(figureView, new Tooltip("Click: actual size / fit to the width"));
        figureView.setOnMouseClicked(e -> {
            if (figureView.fitWidthProperty().isBound()) {
                figureView.fitWidthProperty().unbind();
                figureView.setFitWidth(0); // the image's own size, scrollable
                figurePane.setFitToWidth(false);
            } else {
                figurePane.setFitToWidth(true);
                figureView.fitWidthProperty().bind(figurePane.widthProperty().subtract(20));
            }
        });
        // as tall as its rows: the figure gets the rest of the height
        correlationTable.prefHeightProperty().bind(Bindings.size(correlationTable.getItems())
                .multiply(correlationTable.getFixedCellSize()).add(58).map(h -> Math.max(h.doubleValue(), 90)));
        evaluation.resultProperty().addListener((obs, old, now) -> show(now));
        show(evaluation.resultProperty().get());
    }

    private void show(EvaluationResult result) {
        correlationTable.getColumns().clear();
        correlationTable.getItems().clear();
        figureBox.getItems().clear();
        if (result == null) {
            return;
        }
        TableColumn<EvaluationResult.AlphaResult, String> alpha = new TableColumn<>("α");
        Cells.value(alpha, row -> String.valueOf(row.alpha()));
        alpha.setPrefWidth(60);
        alpha.setMaxWidth(90);
        correlationTable.getColumns().add(alpha);
        for (String method : result.methods()) {
            TableColumn<EvaluationResult.AlphaResult, String> column = new TableColumn<>();
            Label header = new Label(method); // wraps where the column is narrow, instead of eliding the method's name
            header.setWrapText(true);
            header.setMinHeight(Region.USE_PREF_SIZE);
            column.setGraphic(header);
            Cells.value(column, row -> {
                Correlation.Summary s = row.byMethod().get(method);
                return s == null ? "—" : String.format(Locale.ROOT, "%.3f (%.3f)", s.mean(), s.median());
            });
            column.setPrefWidth(170);
            correlationTable.getColumns().add(column);
        }
        correlationTable.getItems().setAll(result.alphas());
        figureBox.getItems().setAll(result.figures());
        result.figures().stream().filter(f -> f.getFileName().toString().equals(EvaluationFigures.VERSUS_ALPHA)).findFirst()
                .or(() -> result.figures().stream().findFirst()).ifPresent(figureBox::setValue);
    }

    /** Figures by what they show, not by file name. */
    private static final class FigureCell extends ListCell<Path> {
        @Override
        protected void updateItem(Path figure, boolean empty) {
            super.updateItem(figure, empty);
            setText(empty || figure == null ? null : describe(figure.getFileName().toString()));
        }

        private static String describe(String file) {
            if (file.equals(EvaluationFigures.VERSUS_ALPHA)) {
                return "Correlation against α, per method";
            }
            if (file.equals(EvaluationFigures.HISTOGRAMS)) {
                return "Histograms of the per-example correlation";
            }
            if (file.startsWith("scatter_example_")) {
                return "Predicted against actual output, example " + file.replaceAll("\\D", "");
            }
            return file;
        }
    }
}
