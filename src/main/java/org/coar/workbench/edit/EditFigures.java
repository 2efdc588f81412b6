package org.coar.workbench.edit;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.coar.workbench.plot.Charts;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The sweep figure: accuracy and mean margin of target, reference and all examples against k (k = 0: unedited). */
final class EditFigures {
    private static final Color TARGET = new Color(0xc0, 0x39, 0x2b);
    private static final Color REFERENCE = new Color(0x1f, 0x5f, 0xbf);
    private static final Color ALL = new Color(0x70, 0x70, 0x70);

    private EditFigures() {
    }

    static Path sweep(Path file, EditResult.Metrics before, List<EditResult.SweepRow> rows, EditMode mode, int targets, int references) {
        List<EditResult.SweepRow> withUnedited = new ArrayList<>();
        withUnedited.add(new EditResult.SweepRow(0, before));
        withUnedited.addAll(rows);
        double[] k = withUnedited.stream().mapToDouble(EditResult.SweepRow::k).toArray();
        String how = "ablating the k " + (mode == EditMode.TOPK ? "highest" : "lowest") + "-scoring components (" + mode.cliName() + ")";
        String targetName = "target (" + targets + (targets == 1 ? " example)" : " examples)");
        String referenceName = "reference (" + references + ")";

        XYChart accuracy = Charts.xy("Accuracy after " + how, "k (components ablated; 0 = unedited)", "accuracy (margin > 0)");
        XYChart margin = Charts.xy("Mean margin after " + how, "k (components ablated; 0 = unedited)", "mean margin");
        for (XYChart chart : List.of(accuracy, margin)) {
            boolean acc = chart == accuracy;
            // all examples first and thin, so the reference (nearly the same set) stays visible on top
            ToDoubleFunction<EditResult.SubsetMetrics> value = acc ? EditResult.SubsetMetrics::accuracy : EditResult.SubsetMetrics::meanMargin;
            series(chart, "all examples", k, values(withUnedited, m -> value.applyAsDouble(m.all())), ALL, 1.2f, true);
            series(chart, referenceName, k, values(withUnedited, m -> value.applyAsDouble(m.reference())), REFERENCE, 2f, false);
            series(chart, targetName, k, values(withUnedited, m -> value.applyAsDouble(m.target())), TARGET, 2.4f, false);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
            chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        }
        accuracy.getStyler().setYAxisMin(0.0);
        accuracy.getStyler().setYAxisMax(1.0);
        Charts.dashed(margin, "margin 0", new double[] {k[0], k[k.length - 1]}, new double[] {0, 0}, new Color(0x55, 0x55, 0x55))
                .setShowInLegend(false);
        return Charts.save(List.of(accuracy, margin), 2, file);
    }

    private static double[] values(List<EditResult.SweepRow> rows, ToDoubleFunction<EditResult.Metrics> of) {
        return rows.stream().mapToDouble(r -> of.applyAsDouble(r.metrics())).toArray();
    }

    private static void series(XYChart chart, String name, double[] x, double[] y, Color colour, float width, boolean dashed) {
        XYSeries series = dashed ? Charts.dashed(chart, name, x, y, colour) : Charts.line(chart, name, x, y, colour, width);
        series.setMarker(x.length <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        series.setMarkerColor(colour);
    }
}
