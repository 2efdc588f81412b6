package org.coar.workbench.ui.evaluate;

import java.util.List;
import javafx.fxml.FXML;
import javafx.scene.Cursor;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import org.coar.workbench.edit.EditResult;
import org.coar.workbench.ui.common.Axes;

/** The edit's sweep: target and reference accuracy against k, shown only when the edit swept k; a click on a point takes its k. */
public final class EditSweepController {
    private final EditViewModel edit;

    @FXML
    private VBox sweepBox;
    @FXML
    private LineChart<Number, Number> sweepChart;
    @FXML
    private NumberAxis sweepAxis;
    @FXML
    private NumberAxis sweepAccuracyAxis;

    public EditSweepController(EditViewModel edit) {
        this.edit = edit;
    }

    @FXML
    private void initialize() {
        sweepBox.managedProperty().bind(sweepBox.visibleProperty());
        Axes.useTicks(sweepAxis, 0);
        Axes.useTicks(sweepAccuracyAxis, 2);
        edit.resultProperty().addListener((obs, old, now) -> show(now));
        show(null);
        // anywhere over the plot, not only on a symbol: the k under the pointer (a symbol at accuracy 0 is half clipped)
        sweepChart.setOnMouseClicked(e -> {
            Node plot = sweepChart.lookup(".chart-plot-background");
            if (plot == null || !plot.localToScene(plot.getBoundsInLocal()).contains(e.getSceneX(), e.getSceneY())) {
                return;
            }
            double k = sweepAxis.getValueForDisplay(sweepAxis.sceneToLocal(e.getSceneX(), e.getSceneY()).getX()).doubleValue();
            edit.takeSweepK((int) Math.round(k));
        });
    }

    private void show(EditResult result) {
        sweepChart.getData().clear();
        sweepBox.setVisible(result != null && !result.sweep().isEmpty());
        if (result == null || result.sweep().isEmpty()) {
            return;
        }
        XYChart.Series<Number, Number> target = new XYChart.Series<>();
        target.setName("target (" + result.before().target().examples() + ")");
        XYChart.Series<Number, Number> reference = new XYChart.Series<>();
        reference.setName("reference (" + result.before().reference().examples() + ")");
        target.getData().add(new XYChart.Data<>(0, result.before().target().accuracy()));
        reference.getData().add(new XYChart.Data<>(0, result.before().reference().accuracy()));
        for (EditResult.SweepRow row : result.sweep()) {
            target.getData().add(new XYChart.Data<>(row.k(), row.metrics().target().accuracy()));
            reference.getData().add(new XYChart.Data<>(row.k(), row.metrics().reference().accuracy()));
        }
        int maxK = result.sweep().getLast().k();
        sweepAxis.setUpperBound(maxK);
        sweepAxis.setTickUnit(Math.max(1, Math.ceil(maxK / 10.0)));
        sweepChart.getData().setAll(List.of(target, reference));
        // symbols exist once the series are in the chart
        for (XYChart.Series<Number, Number> series : sweepChart.getData()) {
            for (XYChart.Data<Number, Number> point : series.getData()) {
                int k = point.getXValue().intValue();
                if (point.getNode() != null && k > 0) {
                    point.getNode().setCursor(Cursor.HAND);
                    Tooltip.install(point.getNode(), new Tooltip(String.format(java.util.Locale.ROOT,
                            "k = %d: %s accuracy %.3f. Click to take k = %d.", k, series.getName(), point.getYValue().doubleValue(), k)));
                }
            }
        }
    }
}
