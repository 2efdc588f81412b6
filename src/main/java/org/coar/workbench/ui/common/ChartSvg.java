package org.coar.workbench.ui.common;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Bounds;
import javafx.geometry.Insets;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.BorderStroke;
import javafx.scene.layout.BorderStrokeStyle;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.LinearGradient;
import javafx.scene.paint.Paint;
import javafx.scene.paint.RadialGradient;
import javafx.scene.shape.ArcTo;
import javafx.scene.shape.Circle;
import javafx.scene.shape.ClosePath;
import javafx.scene.shape.CubicCurveTo;
import javafx.scene.shape.Ellipse;
import javafx.scene.shape.HLineTo;
import javafx.scene.shape.Line;
import javafx.scene.shape.LineTo;
import javafx.scene.shape.MoveTo;
import javafx.scene.shape.Path;
import javafx.scene.shape.PathElement;
import javafx.scene.shape.Polygon;
import javafx.scene.shape.Polyline;
import javafx.scene.shape.QuadCurveTo;
import javafx.scene.shape.Rectangle;
import javafx.scene.shape.SVGPath;
import javafx.scene.shape.Shape;
import javafx.scene.shape.VLineTo;
import javafx.scene.text.Font;
import javafx.scene.text.FontPosture;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.scene.transform.Affine;
import javafx.scene.transform.NonInvertibleTransformException;
import javafx.scene.transform.Transform;
import javax.imageio.ImageIO;
import org.coar.workbench.plot.SvgDocument;
import org.coar.workbench.plot.SvgDocument.Element;

/**
 * A figure as vector SVG, drawn from its scene graph as it is laid out on screen: every visible
 * {@link Region}'s backgrounds (and shape) and borders, every {@link Shape} with its fill and stroke,
 * every {@link Text} as text, in painting order, with coordinates relative to the figure's top-left
 * corner. A region or group with style classes becomes a {@code <g>} with them as its {@code class}
 * (holding what it paints and its children), so bars ({@code chart-bar}) and symbols
 * ({@code chart-line-symbol}) can be found in the file. Only pixels that have no vector form
 * (a {@link Canvas} or {@link ImageView} inside the figure) are embedded as PNG images.
 */
public final class ChartSvg {
    private final SvgDocument svg;
    private final Transform sceneToFigure;

    private ChartSvg(Node figure) {
        Bounds bounds = figure.getLayoutBounds();
        svg = new SvgDocument(bounds.getWidth(), bounds.getHeight());
        try {
            Affine toFigure = new Affine(figure.getLocalToSceneTransform().createInverse());
            toFigure.prependTranslation(-bounds.getMinX(), -bounds.getMinY());
            sceneToFigure = toFigure;
        } catch (NonInvertibleTransformException e) {
            throw new IllegalStateException("figure has a degenerate transform", e);
        }
    }

    /** {@code figure} (laid out, in a scene) as an SVG document. */
    public static SvgDocument of(Node figure) {
        if (figure instanceof Parent parent) {
            parent.applyCss();
            parent.layout();
        }
        ChartSvg writer = new ChartSvg(figure);
        writer.draw(figure);
        return writer.svg;
    }

    private void draw(Node node) {
        if (!node.isVisible() || node.getOpacity() <= 0) {
            return;
        }
        Transform toFigure = sceneToFigure.createConcatenation(node.getLocalToSceneTransform());
        int groups = 0;
        if (node.getOpacity() < 1) {
            svg.beginGroup(SvgDocument.element("g").attr("opacity", node.getOpacity()));
            groups++;
        }
        if (node instanceof Parent && !node.getStyleClass().isEmpty()) {
            // A region's group holds its backgrounds, borders and children, so a bar is one <g class="chart-bar …">.
            svg.beginGroup(SvgDocument.element("g").attr("class", classes(node)));
            groups++;
        }
        if (node.getClip() instanceof Rectangle clip) {
            Bounds b = toFigure.transform(new javafx.geometry.BoundingBox(clip.getX(), clip.getY(), clip.getWidth(), clip.getHeight()));
            svg.beginClippedGroup(b.getMinX(), b.getMinY(), b.getWidth(), b.getHeight());
            groups++;
        }
        switch (node) {
            case Region region -> drawRegion(region, toFigure);
            case Text text -> drawText(text, toFigure);
            case Shape shape -> drawShape(shape, toFigure);
            case Canvas canvas -> drawPixels(canvas, canvas.getWidth(), canvas.getHeight(), toFigure);
            case ImageView image -> drawPixels(image, image.getLayoutBounds().getWidth(), image.getLayoutBounds().getHeight(), toFigure);
            default -> {
            }
        }
        if (node instanceof Parent parent) {
            parent.getChildrenUnmodifiable().forEach(this::draw);
        }
        for (int i = 0; i < groups; i++) {
            svg.endGroup();
        }
    }

    private void drawRegion(Region region, Transform toFigure) {
        double w = region.getWidth();
        double h = region.getHeight();
        if (w <= 0 || h <= 0) {
            return;
        }
        if (region.getBackground() != null) {
            for (BackgroundFill fill : region.getBackground().getFills()) {
                if (invisible(fill.getFill())) {
                    continue;
                }
                Insets in = fill.getInsets();
                double x = in.getLeft();
                double y = in.getTop();
                double fw = w - in.getLeft() - in.getRight();
                double fh = h - in.getTop() - in.getBottom();
                if (fw <= 0 || fh <= 0) {
                    continue;
                }
                Element element;
                if (region.getShape() != null) {
                    element = regionShape(region, x, y, fw, fh, toFigure);
                    if (element == null) {
                        continue;
                    }
                } else {
                    double rx = fill.getRadii().isTopLeftHorizontalRadiusAsPercentage()
                            ? fill.getRadii().getTopLeftHorizontalRadius() * fw : fill.getRadii().getTopLeftHorizontalRadius();
                    double ry = fill.getRadii().isTopLeftVerticalRadiusAsPercentage()
                            ? fill.getRadii().getTopLeftVerticalRadius() * fh : fill.getRadii().getTopLeftVerticalRadius();
                    element = rect(x, y, fw, fh, toFigure);
                    if (rx > 0 || ry > 0) {
                        element.attr("rx", Math.min(rx, fw / 2)).attr("ry", Math.min(ry, fh / 2));
                    }
                }
                paint(element, "fill", fill.getFill());
                svg.add(element);
            }
        }
        if (region.getBorder() != null) {
            for (BorderStroke stroke : region.getBorder().getStrokes()) {
                Insets in = stroke.getInsets();
                double left = in.getLeft();
                double top = in.getTop();
                double right = w - in.getRight();
                double bottom = h - in.getBottom();
                Insets widths = new Insets(stroke.getWidths().getTop(), stroke.getWidths().getRight(), stroke.getWidths().getBottom(),
                        stroke.getWidths().getLeft());
                side(stroke.getTopStroke(), stroke.getTopStyle(), widths.getTop(), left, top + widths.getTop() / 2, right,
                        top + widths.getTop() / 2, toFigure);
                side(stroke.getRightStroke(), stroke.getRightStyle(), widths.getRight(), right - widths.getRight() / 2, top,
                        right - widths.getRight() / 2, bottom, toFigure);
                side(stroke.getBottomStroke(), stroke.getBottomStyle(), widths.getBottom(), left, bottom - widths.getBottom() / 2,
                        right, bottom - widths.getBottom() / 2, toFigure);
                side(stroke.getLeftStroke(), stroke.getLeftStyle(), widths.getLeft(), left + widths.getLeft() / 2, top,
                        left + widths.getLeft() / 2, bottom, toFigure);
            }
        }
    }

    /** A region drawn as its {@code -fx-shape} (e.g. a diamond chart symbol), scaled into its box as the region scales it. */
    private Element regionShape(Region region, double x, double y, double w, double h, Transform toFigure) {
        Shape shape = region.getShape();
        Bounds b = shape.getLayoutBounds();
        if (b.getWidth() <= 0 || b.getHeight() <= 0) {
            return null;
        }
        Affine local = new Affine();
        if (region.isScaleShape()) {
            local.appendTranslation(x, y);
            local.appendScale(w / b.getWidth(), h / b.getHeight());
            local.appendTranslation(-b.getMinX(), -b.getMinY());
        } else if (region.isCenterShape()) {
            local.appendTranslation(x + (w - b.getWidth()) / 2 - b.getMinX(), y + (h - b.getHeight()) / 2 - b.getMinY());
        }
        String d = shape instanceof SVGPath path ? path.getContent() : pathData(outline(shape), null);
        return SvgDocument.element("path").attr("d", d).attr("transform", matrix(toFigure.createConcatenation(local)));
    }

    private void side(Paint paint, BorderStrokeStyle style, double width, double x1, double y1, double x2, double y2,
                      Transform toFigure) {
        if (width <= 0 || style == BorderStrokeStyle.NONE || invisible(paint)) {
            return;
        }
        Point2D a = toFigure.transform(x1, y1);
        Point2D b = toFigure.transform(x2, y2);
        Element line = SvgDocument.element("line").attr("x1", a.getX()).attr("y1", a.getY()).attr("x2", b.getX()).attr("y2", b.getY())
                .attr("stroke-width", width * scaleOf(toFigure));
        paint(line, "stroke", paint);
        if (!style.getDashArray().isEmpty()) {
            line.attr("stroke-dasharray", dashes(style.getDashArray()));
        }
        svg.add(line);
    }

    private void drawText(Text text, Transform toFigure) {
        if (text.getText() == null || text.getText().isBlank() || invisible(text.getFill())) {
            return;
        }
        Font font = text.getFont();
        String style = font.getStyle().toLowerCase(Locale.ROOT);
        Bounds b = text.getLayoutBounds();
        String[] lines = text.getText().split("\n", -1);
        double lineHeight = lines.length > 1 ? b.getHeight() / lines.length : 0;
        boolean plain = isTranslation(toFigure);
        for (int i = 0; i < lines.length; i++) {
            double x = b.getMinX();
            double y = b.getMinY() + text.getBaselineOffset() + i * lineHeight;
            Element element = SvgDocument.element("text");
            if (plain) {
                Point2D p = toFigure.transform(x, y);
                element.attr("x", p.getX()).attr("y", p.getY());
            } else {
                element.attr("x", x).attr("y", y).attr("transform", matrix(toFigure));
            }
            element.attr("font-family", fontFamily(font)).attr("font-size", font.getSize())
                    .attr("font-weight", style.contains("bold") || FontWeight.findByName(font.getStyle()) == FontWeight.BOLD ? "bold" : null)
                    .attr("font-style", style.contains("italic") || FontPosture.findByName(font.getStyle()) == FontPosture.ITALIC
                            ? "italic" : null);
            paint(element, "fill", text.getFill());
            svg.add(element.attr("class", classes(text)).text(lines[i]));
        }
    }

    private void drawShape(Shape shape, Transform toFigure) {
        boolean plain = isTranslation(toFigure);
        Transform points = plain ? toFigure : Transform.translate(0, 0);
        Element element = switch (shape) {
            case Line l -> {
                Point2D a = points.transform(l.getStartX(), l.getStartY());
                Point2D b = points.transform(l.getEndX(), l.getEndY());
                yield SvgDocument.element("line").attr("x1", a.getX()).attr("y1", a.getY()).attr("x2", b.getX()).attr("y2", b.getY());
            }
            case Rectangle r -> {
                Point2D a = points.transform(r.getX(), r.getY());
                Element rect = SvgDocument.element("rect").attr("x", a.getX()).attr("y", a.getY()).attr("width", r.getWidth())
                        .attr("height", r.getHeight());
                if (r.getArcWidth() > 0 || r.getArcHeight() > 0) {
                    rect.attr("rx", r.getArcWidth() / 2).attr("ry", r.getArcHeight() / 2);
                }
                yield rect;
            }
            case Circle c -> {
                Point2D centre = points.transform(c.getCenterX(), c.getCenterY());
                yield SvgDocument.element("circle").attr("cx", centre.getX()).attr("cy", centre.getY()).attr("r", c.getRadius());
            }
            case Ellipse e -> {
                Point2D centre = points.transform(e.getCenterX(), e.getCenterY());
                yield SvgDocument.element("ellipse").attr("cx", centre.getX()).attr("cy", centre.getY()).attr("rx", e.getRadiusX())
                        .attr("ry", e.getRadiusY());
            }
            case Polyline p -> SvgDocument.element("polyline").attr("points", pointList(p.getPoints(), points));
            case Polygon p -> SvgDocument.element("polygon").attr("points", pointList(p.getPoints(), points));
            case Path p -> SvgDocument.element("path").attr("d", pathData(p, points)).attr("fill-rule",
                    p.getFillRule() == javafx.scene.shape.FillRule.EVEN_ODD ? "evenodd" : null);
            case SVGPath p -> SvgDocument.element("path").attr("d", p.getContent()).attr("transform", matrix(toFigure));
            default -> SvgDocument.element("path").attr("d", pathData(outline(shape), points));
        };
        if (!plain && !(shape instanceof SVGPath)) {
            element.attr("transform", matrix(toFigure));
        }
        paint(element, "fill", shape.getFill());
        if (!invisible(shape.getStroke()) && shape.getStrokeWidth() > 0) {
            paint(element, "stroke", shape.getStroke());
            element.attr("stroke-width", shape.getStrokeWidth())
                    .attr("stroke-linecap", shape.getStrokeLineCap().name().toLowerCase(Locale.ROOT))
                    .attr("stroke-linejoin", shape.getStrokeLineJoin().name().toLowerCase(Locale.ROOT));
            if (!shape.getStrokeDashArray().isEmpty()) {
                element.attr("stroke-dasharray", dashes(shape.getStrokeDashArray()));
            }
        }
        svg.add(element.attr("class", classes(shape)));
    }

    /** Pixels that have no vector form, embedded as a PNG at their place. */
    private void drawPixels(Node node, double w, double h, Transform toFigure) {
        if (w <= 0 || h <= 0) {
            return;
        }
        SnapshotParameters params = new SnapshotParameters();
        params.setFill(Color.TRANSPARENT);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(SwingFXUtils.fromFXImage(node.snapshot(params, null), null), "png", png);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Bounds local = node.getLayoutBounds();
        svg.add(SvgDocument.element("image").attr("x", local.getMinX()).attr("y", local.getMinY()).attr("width", w).attr("height", h)
                .attr("transform", matrix(toFigure)).attr("href", "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray()))
                .attr("class", classes(node)));
    }

    private static Element rect(double x, double y, double w, double h, Transform toFigure) {
        if (isAxisAligned(toFigure)) {
            Bounds b = toFigure.transform(new javafx.geometry.BoundingBox(x, y, w, h));
            return SvgDocument.element("rect").attr("x", b.getMinX()).attr("y", b.getMinY()).attr("width", b.getWidth())
                    .attr("height", b.getHeight());
        }
        return SvgDocument.element("rect").attr("x", x).attr("y", y).attr("width", w).attr("height", h).attr("transform", matrix(toFigure));
    }

    /** The outline of any shape as a path (JavaFX computes it), for shapes without an SVG element of their own. */
    private static Path outline(Shape shape) {
        return (Path) Shape.union(shape, new Rectangle(0, 0, 0, 0));
    }

    private static String pathData(Path path, Transform points) {
        Transform t = points == null ? Transform.translate(0, 0) : points;
        StringBuilder d = new StringBuilder();
        double x = 0;
        double y = 0;
        double startX = 0;
        double startY = 0;
        for (PathElement e : path.getElements()) {
            double ox = e.isAbsolute() ? 0 : x;
            double oy = e.isAbsolute() ? 0 : y;
            switch (e) {
                case MoveTo m -> {
                    x = ox + m.getX();
                    y = oy + m.getY();
                    startX = x;
                    startY = y;
                    d.append('M').append(point(t, x, y));
                }
                case LineTo l -> {
                    x = ox + l.getX();
                    y = oy + l.getY();
                    d.append('L').append(point(t, x, y));
                }
                case HLineTo h -> {
                    x = ox + h.getX();
                    d.append('L').append(point(t, x, y));
                }
                case VLineTo v -> {
                    y = oy + v.getY();
                    d.append('L').append(point(t, x, y));
                }
                case CubicCurveTo c -> {
                    d.append('C').append(point(t, ox + c.getControlX1(), oy + c.getControlY1())).append(' ')
                            .append(point(t, ox + c.getControlX2(), oy + c.getControlY2())).append(' ');
                    x = ox + c.getX();
                    y = oy + c.getY();
                    d.append(point(t, x, y));
                }
                case QuadCurveTo q -> {
                    d.append('Q').append(point(t, ox + q.getControlX(), oy + q.getControlY())).append(' ');
                    x = ox + q.getX();
                    y = oy + q.getY();
                    d.append(point(t, x, y));
                }
                case ArcTo a -> {
                    x = ox + a.getX();
                    y = oy + a.getY();
                    d.append('A').append(SvgDocument.number(a.getRadiusX())).append(',').append(SvgDocument.number(a.getRadiusY()))
                            .append(' ').append(SvgDocument.number(a.getXAxisRotation())).append(' ')
                            .append(a.isLargeArcFlag() ? 1 : 0).append(' ').append(a.isSweepFlag() ? 1 : 0).append(' ')
                            .append(point(t, x, y));
                }
                case ClosePath ignored -> {
                    x = startX;
                    y = startY;
                    d.append('Z');
                }
                default -> {
                }
            }
        }
        return d.toString();
    }

    private static String point(Transform t, double x, double y) {
        Point2D p = t.transform(x, y);
        return SvgDocument.number(p.getX()) + "," + SvgDocument.number(p.getY());
    }

    private static String pointList(List<Double> coordinates, Transform t) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i + 1 < coordinates.size(); i += 2) {
            points.append(i == 0 ? "" : " ").append(point(t, coordinates.get(i), coordinates.get(i + 1)));
        }
        return points.toString();
    }

    /** Sets {@code attribute} (fill or stroke) to the paint's colour and its opacity; gradients by their first stop. */
    private static void paint(Element element, String attribute, Paint paint) {
        Color color = colorOf(paint);
        if (color == null || color.getOpacity() == 0) {
            element.attr(attribute, "none");
            return;
        }
        element.attr(attribute, String.format(Locale.ROOT, "#%02x%02x%02x", Math.round(color.getRed() * 255),
                Math.round(color.getGreen() * 255), Math.round(color.getBlue() * 255)));
        if (color.getOpacity() < 1) {
            element.attr(attribute + "-opacity", color.getOpacity());
        }
    }

    private static Color colorOf(Paint paint) {
        return switch (paint) {
            case Color c -> c;
            case LinearGradient g -> g.getStops().isEmpty() ? null : g.getStops().getFirst().getColor();
            case RadialGradient g -> g.getStops().isEmpty() ? null : g.getStops().getFirst().getColor();
            case null, default -> null;
        };
    }

    private static boolean invisible(Paint paint) {
        Color color = colorOf(paint);
        return color == null || color.getOpacity() == 0;
    }

    private static String dashes(List<Double> dashes) {
        return String.join(",", dashes.stream().map(SvgDocument::number).toList());
    }

    /** The font's family for SVG; JavaFX's logical "System" font is the platform's sans-serif. */
    private static String fontFamily(Font font) {
        String family = font.getFamily();
        return family.equals("System") || family.isBlank() ? "sans-serif" : "'" + family.replace("'", "") + "', sans-serif";
    }

    private static String classes(Node node) {
        return node.getStyleClass().isEmpty() ? null : String.join(" ", node.getStyleClass());
    }

    private static boolean isTranslation(Transform t) {
        return t.getMxx() == 1 && t.getMyy() == 1 && t.getMxy() == 0 && t.getMyx() == 0;
    }

    private static boolean isAxisAligned(Transform t) {
        return t.getMxy() == 0 && t.getMyx() == 0;
    }

    /** Uniform scale of {@code t} (stroke widths scale with it). */
    private static double scaleOf(Transform t) {
        return Math.sqrt(Math.abs(t.getMxx() * t.getMyy() - t.getMxy() * t.getMyx()));
    }

    private static String matrix(Transform t) {
        return "matrix(" + SvgDocument.number(t.getMxx()) + " " + SvgDocument.number(t.getMyx()) + " " + SvgDocument.number(t.getMxy())
                + " " + SvgDocument.number(t.getMyy()) + " " + SvgDocument.number(t.getTx()) + " " + SvgDocument.number(t.getTy()) + ")";
    }
}
