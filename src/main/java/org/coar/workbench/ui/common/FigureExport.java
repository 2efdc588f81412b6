package org.coar.workbench.ui.common;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.canvas.Canvas;
import javafx.scene.chart.Chart;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Control;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TableView;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.ContextMenuEvent;
import javax.imageio.ImageIO;
import org.coar.workbench.AtomicFiles;
import org.coar.workbench.Csv;
import org.coar.workbench.WorkbenchException;

/**
 * Export for every figure and table of the window, with no code in the panels: installed once on the
 * window's content, it answers a context-menu request over any {@link Chart}, {@link Canvas} or
 * {@link ImageView} ("Save figure as PNG…", "Save figure as SVG…" for charts, "Copy figure") and any
 * {@link TableView} ("Export table as CSV…", "Copy table"). It looks at what is under the pointer at
 * the time of the request, so figures and tables a panel makes later are covered too. Where a panel
 * gave the table (or a row or cell of it) a context menu of its own, the export items are added to
 * that menu instead of replacing it.
 */
public final class FigureExport {
    /** PNGs are written at twice the on-screen size, for print. */
    public static final double PNG_SCALE = 2;
    static final String ITEM_CLASS = "window-export-item";
    private static final String OWNER_KEY = FigureExport.class.getName();

    private final DialogService dialogs;
    private final ContextMenu menu = new ContextMenu();

    private FigureExport(DialogService dialogs) {
        this.dialogs = dialogs;
        menu.setId("window-export-menu");
    }

    /** Installs the export on {@code root}: every figure and table inside it, now or later. */
    public static FigureExport install(Node root, DialogService dialogs) {
        FigureExport export = new FigureExport(dialogs);
        root.addEventFilter(ContextMenuEvent.CONTEXT_MENU_REQUESTED, export::onContextMenuRequested);
        return export;
    }

    private void onContextMenuRequested(ContextMenuEvent event) {
        Node picked = event.getPickResult().getIntersectedNode();
        Node target = exportable(picked);
        if (target == null) {
            return;
        }
        List<MenuItem> items = itemsFor(target);
        ContextMenu own = ownMenu(picked, target);
        if (own != null) {
            // The panel's menu shows as usual, with the export items at its end.
            if (own.getProperties().get(OWNER_KEY) != target) {
                own.getItems().removeIf(item -> item.getStyleClass().contains(ITEM_CLASS));
                SeparatorMenuItem separator = new SeparatorMenuItem();
                separator.getStyleClass().add(ITEM_CLASS);
                own.getItems().add(separator);
                own.getItems().addAll(items);
                own.getProperties().put(OWNER_KEY, target);
            }
            return;
        }
        menu.hide();
        menu.getItems().setAll(items);
        menu.show(target, event.getScreenX(), event.getScreenY());
        event.consume();
    }

    /** The figure or table {@code picked} belongs to, or null. */
    static Node exportable(Node picked) {
        for (Node n = picked; n != null; n = n.getParent()) {
            if (n instanceof Chart || n instanceof TableView<?> || n instanceof Canvas || n instanceof ImageView) {
                return n;
            }
        }
        return null;
    }

    /** The context menu a control between {@code picked} and {@code target} (a row, a cell, the table) already has. */
    private static ContextMenu ownMenu(Node picked, Node target) {
        for (Node n = picked; n != null; n = n.getParent()) {
            if (n instanceof Control control && control.getContextMenu() != null) {
                return control.getContextMenu();
            }
            if (n == target) {
                return null;
            }
        }
        return null;
    }

    List<MenuItem> itemsFor(Node target) {
        if (target instanceof TableView<?> table) {
            return List.of(item("Export table as CSV…", "export-csv", () -> saveCsv(table)),
                    item("Copy table", "copy-table", () -> copyTable(table)));
        }
        MenuItem png = item("Save figure as PNG…", "export-png", () -> savePng(target));
        MenuItem copy = item("Copy figure", "copy-figure", () -> copyFigure(target));
        if (target instanceof Chart) {
            return List.of(png, item("Save figure as SVG…", "export-svg", () -> saveSvg(target)), copy);
        }
        return List.of(png, copy);
    }

    private static MenuItem item(String text, String id, Runnable action) {
        MenuItem item = new MenuItem(text);
        item.setId(id);
        item.getStyleClass().add(ITEM_CLASS);
        item.setOnAction(e -> action.run());
        return item;
    }

    void savePng(Node figure) {
        chooseFile("Save figure as PNG", figure, "png").ifPresent(file -> dialogs.attempt("Could not save the figure",
                () -> writePng(figure, file)));
    }

    void saveSvg(Node figure) {
        chooseFile("Save figure as SVG", figure, "svg").ifPresent(file -> dialogs.attempt("Could not save the figure",
                () -> ChartSvg.of(figure).write(file)));
    }

    void saveCsv(TableView<?> table) {
        chooseFile("Export table as CSV", table, "csv").ifPresent(file -> dialogs.attempt("Could not export the table",
                () -> Csv.write(file, TableCsv.header(table), TableCsv.rows(table))));
    }

    /** Writes the figure's PNG at {@link #PNG_SCALE} times its size. */
    public static void writePng(Node figure, Path file) {
        Image image = FigureSnapshot.of(figure, PNG_SCALE);
        try {
            AtomicFiles.replace(file, temp -> ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", temp.toFile()));
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot write the figure (" + e.getMessage() + ")", e);
        }
    }

    private static void copyFigure(Node figure) {
        ClipboardContent content = new ClipboardContent();
        content.putImage(FigureSnapshot.of(figure, PNG_SCALE));
        Clipboard.getSystemClipboard().setContent(content);
    }

    private static void copyTable(TableView<?> table) {
        ClipboardContent content = new ClipboardContent();
        content.putString(Csv.of(TableCsv.header(table), TableCsv.rows(table)));
        Clipboard.getSystemClipboard().setContent(content);
    }

    private Optional<Path> chooseFile(String title, Node target, String extension) {
        return dialogs.chooseSaveFile(title, suggestedName(target) + "." + extension).map(file -> {
            String name = file.getFileName().toString();
            return name.toLowerCase(Locale.ROOT).endsWith("." + extension) ? file : file.resolveSibling(name + "." + extension);
        });
    }

    /** A file name from the chart's title or the node's id, e.g. "correlation-by-alpha". */
    static String suggestedName(Node target) {
        String name = target instanceof Chart chart && chart.getTitle() != null && !chart.getTitle().isBlank() ? chart.getTitle()
                : target.getId() != null ? target.getId() : target instanceof TableView<?> ? "table" : "figure";
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return slug.isEmpty() ? "figure" : slug;
    }
}
