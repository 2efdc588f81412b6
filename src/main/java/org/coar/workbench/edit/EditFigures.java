package org.coar.workbench.edit;

import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import org.coar.workbench.plot.Charts;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The sweep figure: accuracy and mean margin of target, reference and all examples against k. */
final class EditFigures {
    private static final Color TARGET = new Color(0xc0, 0x39, 0x2b);
    private static final Color REFERENCE = new Color(0x1f, 0x5f, 0xbf);
    private static final Color ALL = new Color(0x80, 0x80, 0x80);

    private EditFigures() {
    }

    static Path sweep(Path file, List<EditResult.SweepRow> rows, EditMode mode, int targets, int references) {
        double[] k = rows.stream().mapToDouble(EditResult.SweepRow::k).toArray();
        String how = "ablating the k " + (mode == EditMode.TOPK ? "highest" : "lowest") + "-scoring components (" + mode.cliName() + ")";
        XYChart accuracy = Charts.xy("Accuracy after " + how, "k (components ablated)", "accuracy (margin > 0)");
        series(accuracy, "target (" + targets + " examples)", k, rows.stream().mapToDouble(r -> r.metrics().target().accuracy()).toArray(), TARGET);
        series(accuracy, "reference (" + references + ")", k, rows.stream().mapToDouble(r -> r.metrics().reference().accuracy()).toArray(), REFERENCE);
        series(accuracy, "all examples", k, rows.stream().mapToDouble(r -> r.metrics().all().accuracy()).toArray(), ALL);
        accuracy.getStyler().setYAxisMin(0.0);
        accuracy.getStyler().setYAxisMax(1.0);
        accuracy.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);

        XYChart margin = Charts.xy("Mean margin after " + how, "k (components ablated)", "mean margin");
        series(margin, "target", k, rows.stream().mapToDouble(r -> r.metrics().target().meanMargin()).toArray(), TARGET);
        series(margin, "reference", k, rows.stream().mapToDouble(r -> r.metrics().reference().meanMargin()).toArray(), REFERENCE);
        series(margin, "all examples", k, rows.stream().mapToDouble(r -> r.metrics().all().meanMargin()).toArray(), ALL);
        Charts.dashed(margin, "margin 0 (decision boundary)", new double[] {k[0], k[k.length - 1]}, new double[] {0, 0},
                new Color(0x55, 0x55, 0x55));
        return Charts.save(List.of(accuracy, margin), 2, file);
    }

    private static void series(XYChart chart, String name, double[] x, double[] y, Color colour) {
        Charts.line(chart, name, x, y, colour, 2f).setMarker(x.length <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        chart.getSeriesMap().get(name).setMarkerColor(colour);
    }
}
