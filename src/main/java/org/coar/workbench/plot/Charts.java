package org.coar.workbench.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.coar.workbench.WorkbenchException;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The workbench's figure style (XChart, rendered to PNG through AWT; headless works): white
 * panels, light grid, one fixed colour per method so every figure reads the same way.
 */
public final class Charts {
    public static final int PANEL_WIDTH = 640;
    public static final int PANEL_HEIGHT = 440;

    /** Method colours: COAR stands out, baselines recede. */
    private static final Map<String, Color> METHOD_COLOURS = Map.of(
            "COAR", new Color(0x1f, 0x5f, 0xbf),
            "leave-one-out", new Color(0xe0, 0x7b, 0x18),
            "gradient x parameter", new Color(0x2c, 0x9c, 0x4a),
            "weight norm", new Color(0x80, 0x80, 0x80));
    private static final Color[] OTHERS = {new Color(0x8e, 0x44, 0xad), new Color(0xc0, 0x39, 0x2b), new Color(0x16, 0xa0, 0x85),
        new Color(0x34, 0x49, 0x5e), new Color(0xd3, 0x54, 0x00)};

    private Charts() {
    }

    public static XYChart xy(String title, String xTitle, String yTitle) {
        return xy(title, xTitle, yTitle, PANEL_WIDTH, PANEL_HEIGHT);
    }

    public static XYChart xy(String title, String xTitle, String yTitle, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        Styler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(new Color(0xbb, 0xbb, 0xbb));
        styler.setLegendBorderColor(new Color(0xdd, 0xdd, 0xdd));
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setChartTitleBoxVisible(false);
        styler.setAntiAlias(true);
        chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        chart.getStyler().setPlotGridLinesColor(new Color(0xea, 0xea, 0xea));
        chart.getStyler().setXAxisDecimalPattern("0.###");
        chart.getStyler().setYAxisDecimalPattern("0.###");
        return chart;
    }

    /** The colour of a method (stable across figures), or of the i-th other series. */
    public static Color colour(String method, int index) {
        Color c = METHOD_COLOURS.get(method);
        return c != null ? c : OTHERS[Math.floorMod(index, OTHERS.length)];
    }

    public static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color colour, float width) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        series.setLineColor(colour);
        series.setLineStyle(new BasicStroke(width));
        series.setMarker(SeriesMarkers.NONE);
        return series;
    }

    public static XYSeries dashed(XYChart chart, String name, double[] x, double[] y, Color colour) {
        XYSeries series = line(chart, name, x, y, colour, 1.2f);
        series.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        return series;
    }

    public static XYSeries points(XYChart chart, String name, double[] x, double[] y, Color colour) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setMarkerColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 150));
        return series;
    }

    /**
     * A thin line along y = 0 from {@code from} to {@code to}, added before the data: XChart puts
     * x ticks at the data's own x values when those are equally spaced (histogram bin edges); this
     * line's two points break the spacing, so the ticks fall on round numbers.
     */
    public static void baseline(XYChart chart, double from, double to) {
        line(chart, "baseline", new double[] {from, to}, new double[] {0, 0}, new Color(0xbb, 0xbb, 0xbb), 1f).setShowInLegend(false);
    }

    /** Writes panels as one PNG, {@code columns} per row, through a temporary file. */
    public static Path save(List<XYChart> panels, int columns, Path file) {
        int cols = Math.max(1, Math.min(columns, panels.size()));
        int rows = (panels.size() + cols - 1) / cols;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".png");
            try (var out = Files.newOutputStream(temp)) {
                if (panels.size() == 1) {
                    BitmapEncoder.saveBitmap(panels.getFirst(), out, BitmapEncoder.BitmapFormat.PNG);
                } else {
                    BitmapEncoder.saveBitmap(panels, rows, cols, out, BitmapEncoder.BitmapFormat.PNG);
                }
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot write the figure (" + e.getMessage() + ")", e);
        }
    }
}
