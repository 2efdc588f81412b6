package org.coar.workbench.attributions;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.coar.workbench.job.JobCancelledException;

/**
 * The examples × components matrix of raw scores, summarised for drawing: any window of it is
 * cut into at most {@code columns × rows} blocks (columns over examples, rows over components)
 * and each block holds the mean score of its cells, so a heatmap of 10,000 × 2,304 scores costs
 * one pass over the window's component rows and an image the size of the screen. Read through
 * the attributions' memory maps; methods may run concurrently.
 */
public final class AttributionMatrix implements AutoCloseable {

    /** A window of the matrix: examples [exampleFrom, exampleTo) × components [componentFrom, componentTo). */
    public record Window(int exampleFrom, int exampleTo, int componentFrom, int componentTo) {
        public Window {
            if (exampleFrom < 0 || exampleTo <= exampleFrom || componentFrom < 0 || componentTo <= componentFrom) {
                throw new IllegalArgumentException("empty or negative window " + exampleFrom + ".." + exampleTo + " × "
                        + componentFrom + ".." + componentTo);
            }
        }

        public int examples() {
            return exampleTo - exampleFrom;
        }

        public int components() {
            return componentTo - componentFrom;
        }
    }

    /**
     * Block means, row-major: {@code values[row * columns + column]}. Column i covers the window's
     * examples {@link #exampleStart}(i) up to exampleStart(i + 1); rows likewise over components.
     * {@code scale} is the 99th percentile of the blocks' |mean| (nearest rank): where a colour
     * scale saturates, so one extreme block does not wash out the rest.
     */
    public record Blocks(Window window, int columns, int rows, float[] values, float scale) {
        public float at(int column, int row) {
            return values[row * columns + column];
        }

        public int exampleStart(int column) {
            return window.exampleFrom() + edge(column, columns, window.examples());
        }

        public int componentStart(int row) {
            return window.componentFrom() + edge(row, rows, window.components());
        }
    }

    private final Attributions attributions;

    private AttributionMatrix(Attributions attributions) {
        this.attributions = attributions;
    }

    public static AttributionMatrix open(Path attributionsDir) {
        return new AttributionMatrix(Attributions.load(attributionsDir));
    }

    public int examples() {
        return attributions.examples();
    }

    public int components() {
        return attributions.components();
    }

    /** The whole matrix. */
    public Window all() {
        return new Window(0, examples(), 0, components());
    }

    /** The raw score of {@code component} for {@code example}: one element of the memory map. */
    public float score(int component, int example) {
        return attributions.rawColumn(example)[component];
    }

    /**
     * Block means of {@code window} in at most {@code maxColumns × maxRows} blocks (fewer where the
     * window has fewer examples or components: then one block per cell). Checks {@code cancelled}
     * once per component row and stops with {@link JobCancelledException} when it says so.
     */
    public Blocks blocks(Window window, int maxColumns, int maxRows, BooleanSupplier cancelled) {
        if (window.exampleTo() > examples() || window.componentTo() > components()) {
            throw new IllegalArgumentException("window " + window + " outside the " + examples() + " × " + components() + " matrix");
        }
        int columns = Math.max(1, Math.min(maxColumns, window.examples()));
        int rows = Math.max(1, Math.min(maxRows, window.components()));
        // which column each example of the window falls in, worked out once
        int[] columnOf = new int[window.examples()];
        int[] columnSize = new int[columns];
        for (int i = 0; i < columns; i++) {
            for (int j = edge(i, columns, window.examples()); j < edge(i + 1, columns, window.examples()); j++) {
                columnOf[j] = i;
            }
            columnSize[i] = edge(i + 1, columns, window.examples()) - edge(i, columns, window.examples());
        }
        double[] sums = new double[rows * columns];
        float[] scores = new float[examples()];
        for (int r = 0; r < rows; r++) {
            int from = window.componentFrom() + edge(r, rows, window.components());
            int to = window.componentFrom() + edge(r + 1, rows, window.components());
            for (int c = from; c < to; c++) {
                if (cancelled.getAsBoolean()) {
                    throw new JobCancelledException("heatmap superseded");
                }
                attributions.rawRow(c, scores);
                for (int j = 0; j < columnOf.length; j++) {
                    sums[r * columns + columnOf[j]] += scores[window.exampleFrom() + j];
                }
            }
            int height = to - from;
            for (int i = 0; i < columns; i++) {
                sums[r * columns + i] /= (double) height * columnSize[i];
            }
        }
        float[] values = new float[sums.length];
        for (int i = 0; i < sums.length; i++) {
            values[i] = (float) sums[i];
        }
        return new Blocks(window, columns, rows, values, percentileOfMagnitude(values, 0.99));
    }

    /** Start of part {@code i} of {@code length} cut into {@code parts} near-equal parts (part sizes differ by at most one). */
    static int edge(int i, int parts, int length) {
        return (int) ((long) i * length / parts);
    }

    /** The nearest-rank {@code q}-quantile of |value|: the smallest |v| with at least q of the values at or below it. */
    static float percentileOfMagnitude(float[] values, double q) {
        float[] magnitudes = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            magnitudes[i] = Math.abs(values[i]);
        }
        Arrays.sort(magnitudes);
        int rank = (int) Math.ceil(q * magnitudes.length);
        return magnitudes.length == 0 ? 0 : magnitudes[Math.max(0, rank - 1)];
    }

    @Override
    public void close() {
        attributions.close();
    }
}
