package org.coar.workbench.ui.attributions;

import java.nio.file.Path;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.coar.workbench.attributions.AttributionMatrix;
import org.coar.workbench.attributions.ExampleBrowser;
import org.coar.workbench.job.JobCancelledException;
import org.coar.workbench.model.Components;
import org.coar.workbench.ui.common.BackgroundJob;
import org.coar.workbench.ui.common.ProjectState;
import org.coar.workbench.ui.common.TaskExecutor;

/**
 * The Layer heatmap page: the examples × components matrix of scores (examples across, components
 * down, in layer order) as an image of block means, one block per pixel at most, computed off the
 * FX thread for the window in view; zoom and pan move the window, and the latest request wins.
 * A click selects a cell, whose example and component the page can then focus.
 */
public final class LayerHeatmapViewModel {
    /** The fewest examples or components a zoom shows: a few cells stay big enough to click. */
    static final int MIN_CELLS = 4;
    static final String NONE_OPEN = "No attributions open: fit them in the Regression panel, or open a directory on the Examples page.";

    /** What the image shows: the blocks, and their colours on the blocks' own scale at {@code width × height} pixels (a block may span several). */
    public record Rendered(AttributionMatrix.Blocks blocks, int width, int height, int[] argb) {
    }

    /** A selected cell of the matrix and its exact score. */
    public record Cell(int example, int component, String componentName, float score) {
    }

    private final TaskExecutor tasks;
    private final ProjectState project;

    private final ReadOnlyObjectWrapper<Rendered> rendered = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<AttributionMatrix.Window> window = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Components> components = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Cell> selected = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(NONE_OPEN);
    private volatile AttributionMatrix matrix;
    private volatile int drawGeneration;
    private int openGeneration;
    private int widthPixels;
    private int heightPixels;

    public LayerHeatmapViewModel(TaskExecutor tasks, ProjectState project, ObjectProperty<ExampleBrowser> browser) {
        this.tasks = tasks;
        this.project = project;
        project.storeProperty().addListener((obs, old, now) -> clear());
        project.attributionsProperty().addListener((obs, old, now) -> clear());
        browser.addListener((obs, old, now) -> {
            clear();
            if (now != null) {
                open(now.components());
            }
        });
    }

    private void open(Components names) {
        Path dir = project.attributionsProperty().get();
        if (dir == null) {
            return;
        }
        int generation = openGeneration;
        status.set("Reading " + dir + "…");
        tasks.submit(BackgroundJob.titled("Opening the heatmap of " + dir.getFileName(), p -> AttributionMatrix.open(dir))
                .onSuccess(opened -> {
                    if (generation != openGeneration) {
                        closeLater(opened);
                        return;
                    }
                    if (opened.components() != names.total()) {
                        closeLater(opened);
                        status.set(String.format(java.util.Locale.ROOT, "Cannot draw the heatmap: %s has %,d components, the store %,d; "
                                + "fit the attributions on this store.", dir, opened.components(), names.total()));
                        return;
                    }
                    matrix = opened;
                    components.set(names);
                    window.set(opened.all());
                    draw();
                })
                .onError(e -> {
                    if (generation == openGeneration) {
                        status.set("Cannot draw the heatmap: " + e.getMessage());
                    }
                }));
    }

    private void clear() {
        openGeneration++;
        drawGeneration++;
        AttributionMatrix old = matrix;
        matrix = null;
        rendered.set(null);
        window.set(null);
        components.set(null);
        selected.set(null);
        status.set(NONE_OPEN);
        if (old != null) {
            closeLater(old);
        }
    }

    private void closeLater(AttributionMatrix old) {
        tasks.submit(BackgroundJob.titled("Closing the heatmap", p -> {
            synchronized (old) {
                old.close();
            }
            return null;
        }).unlisted());
    }

    /** The image's size on screen, in pixels: at most one block per pixel. */
    public void resize(int width, int height) {
        if (width == widthPixels && height == heightPixels) {
            return;
        }
        widthPixels = width;
        heightPixels = height;
        draw();
    }

    /** Zooms in by 2 about the point at fractions ({@code fx}, {@code fy}) of the image, which stays under the pointer. */
    public void zoomIn(double fx, double fy) {
        zoom(0.5, fx, fy);
    }

    public void zoomOut(double fx, double fy) {
        zoom(2, fx, fy);
    }

    public void resetZoom() {
        AttributionMatrix current = matrix;
        if (current != null) {
            move(current.all());
        }
    }

    /** Moves the window by fractions of its size (positive: towards later examples / components). */
    public void pan(double dxFraction, double dyFraction) {
        AttributionMatrix.Window w = window.get();
        AttributionMatrix current = matrix;
        if (w == null || current == null) {
            return;
        }
        int dx = (int) Math.round(dxFraction * w.examples());
        int dy = (int) Math.round(dyFraction * w.components());
        int ex = clamp(w.exampleFrom() + dx, 0, current.examples() - w.examples());
        int cy = clamp(w.componentFrom() + dy, 0, current.components() - w.components());
        move(new AttributionMatrix.Window(ex, ex + w.examples(), cy, cy + w.components()));
    }

    private void zoom(double factor, double fx, double fy) {
        AttributionMatrix.Window w = window.get();
        AttributionMatrix current = matrix;
        if (w == null || current == null) {
            return;
        }
        int[] examples = scaled(w.exampleFrom(), w.examples(), current.examples(), factor, fx);
        int[] rows = scaled(w.componentFrom(), w.components(), current.components(), factor, fy);
        move(new AttributionMatrix.Window(examples[0], examples[1], rows[0], rows[1]));
    }

    /** [from, to) of a range of {@code size} from {@code from}, scaled by {@code factor} about fraction {@code f} of it, within [0, total). */
    static int[] scaled(int from, int size, int total, double factor, double f) {
        double anchor = from + clamp(f, 0, 1) * size;
        int newSize = clamp((int) Math.ceil(size * factor), Math.min(MIN_CELLS, total), total);
        int newFrom = clamp((int) Math.round(anchor - clamp(f, 0, 1) * newSize), 0, total - newSize);
        return new int[] {newFrom, newFrom + newSize};
    }

    private void move(AttributionMatrix.Window to) {
        if (!to.equals(window.get())) {
            window.set(to);
            draw();
        }
    }

    private void draw() {
        AttributionMatrix current = matrix;
        AttributionMatrix.Window w = window.get();
        if (current == null || w == null || widthPixels < 1 || heightPixels < 1) {
            return;
        }
        int generation = ++drawGeneration;
        int columns = widthPixels;
        int rows = heightPixels;
        status.set(String.format(java.util.Locale.ROOT, "Drawing examples %,d–%,d × components %,d–%,d…", w.exampleFrom(),
                w.exampleTo() - 1, w.componentFrom(), w.componentTo() - 1));
        tasks.submit(BackgroundJob.titled("Drawing the heatmap", p -> {
            synchronized (current) {
                if (current != matrix) {
                    throw new JobCancelledException();
                }
                AttributionMatrix.Blocks blocks = current.blocks(w, columns, rows, () -> generation != drawGeneration);
                int[] colours = ScoreColours.argb(blocks.values(), blocks.scale());
                return new Rendered(blocks, columns, rows, Pixels.resize(colours, blocks.columns(), blocks.rows(), columns, rows));
            }
        }).unlisted().onSuccess(done -> {
            if (generation == drawGeneration) {
                rendered.set(done);
                status.set(describe(done.blocks()));
            }
        }).onError(e -> {
            if (generation == drawGeneration) {
                status.set("Cannot draw the heatmap: " + e.getMessage());
            }
        }));
    }

    private static String describe(AttributionMatrix.Blocks blocks) {
        AttributionMatrix.Window w = blocks.window();
        boolean cells = blocks.columns() == w.examples() && blocks.rows() == w.components();
        return String.format(java.util.Locale.ROOT, "Examples %,d–%,d (across) × components %,d–%,d (down, in layer order)%s. "
                        + "Scroll or use the buttons to zoom, drag to pan, click a cell to select it.", w.exampleFrom(), w.exampleTo() - 1,
                w.componentFrom(), w.componentTo() - 1, cells ? ", one cell per score"
                        : String.format(java.util.Locale.ROOT, ", each pixel the mean of about %,d × %,d scores",
                        Math.round((double) w.examples() / blocks.columns()), Math.round((double) w.components() / blocks.rows())));
    }

    /** Selects the cell under fractions ({@code fx}, {@code fy}) of the image. */
    public void select(double fx, double fy) {
        AttributionMatrix.Window w = window.get();
        AttributionMatrix current = matrix;
        if (w == null || current == null) {
            return;
        }
        int example = w.exampleFrom() + clamp((int) Math.floor(clamp(fx, 0, 1) * w.examples()), 0, w.examples() - 1);
        int component = w.componentFrom() + clamp((int) Math.floor(clamp(fy, 0, 1) * w.components()), 0, w.components() - 1);
        // One strided read of the memory map: microseconds. No lock: the matrix is closed only after
        // clear() (on this thread) has dropped it.
        float score = current.score(component, example);
        selected.set(new Cell(example, component, components.get().label(component), score));
    }

    /** Asks the window to show the selected cell's example (the Examples page). */
    public void showExample() {
        Cell cell = selected.get();
        if (cell != null) {
            project.focusedExampleProperty().set(null); // reset, so the example already focused shows again
            project.focusedExampleProperty().set(cell.example());
        }
    }

    /** Asks the window to show the selected cell's component (the Component page). */
    public void showComponent() {
        Cell cell = selected.get();
        if (cell != null) {
            project.focusedComponentProperty().set(null);
            project.focusedComponentProperty().set(cell.component());
        }
    }

    private static int clamp(int v, int low, int high) {
        return Math.max(low, Math.min(high, v));
    }

    private static double clamp(double v, double low, double high) {
        return Math.max(low, Math.min(high, v));
    }

    public ReadOnlyObjectProperty<Rendered> renderedProperty() { return rendered.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<AttributionMatrix.Window> windowProperty() { return window.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<Components> componentsProperty() { return components.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<Cell> selectedProperty() { return selected.getReadOnlyProperty(); }
    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }
}
