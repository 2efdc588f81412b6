package org.coar.workbench.ui.evaluate;

import java.util.List;
import javafx.fxml.FXML;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import org.coar.workbench.edit.EditResult;

/** The edit's sweep: target and reference accuracy against k, shown only when the edit swept k. */
public final class EditSweepController {
    private final EditViewModel edit;

    @FXML
    private LineChart<Number, Number> sweepChart;
    @FXML
    private NumberAxis sweepAxis;

    public EditSweepController(EditViewModel edit) {
        this.edit = edit;
    }

    @FXML
    private void initialize() {
        sweepChart.managedProperty().bind(sweepChart.visibleProperty());
        edit.resultProperty().addListener((obs, old, now) -> show(now));
        show(null);
    }

    private void show(EditResult result) {
        sweepChart.getData().clear();
        sweepChart.setVisible(result != null && !result.sweep().isEmpty());
        if (result == null || result.sweep().isEmpty()) {
            return;
        }
        XYChart.Series<Number, Number> target = new XYChart.Series<>();
        target.setName("target (" + result.target().length + ")");
        XYChart.Series<Number, Number> reference = new XYChart.Series<>();
        reference.setName("reference (" + result.reference().length + ")");
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
    }
}
