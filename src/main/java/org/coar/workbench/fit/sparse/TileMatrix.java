package org.coar.workbench.fit.sparse;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rows × cols matrix laid out for the gather and scatter kernels: columns in tiles of
 * {@link #TILE}, each tile's rows contiguous ({@code (tile · rows + r) · TILE + j % TILE}), so one
 * row's slice of a tile is one cache-line pair and a block of rows of a tile stays in L2. The last
 * tile is padded with zeros. Float (outputs read from the store) or double (dual coefficients, predictions).
 */
public final class TileMatrix implements AutoCloseable {
    public static final int TILE = 32;

    /** Bytes of every tile matrix alive in this process now, and their high-water mark since {@link #resetPeak}. */
    private static final AtomicLong LIVE = new AtomicLong();
    private static final AtomicLong PEAK = new AtomicLong();

    private final Arena arena;
    private final int rows;
    private final int cols;
    private final int tiles;
    private final boolean isDouble;
    private final MemorySegment data;

    private TileMatrix(int rows, int cols, boolean isDouble) {
        this.arena = Arena.ofShared();
        this.rows = rows;
        this.cols = cols;
        this.tiles = (cols + TILE - 1) / TILE;
        this.isDouble = isDouble;
        this.data = arena.allocate(Math.max(1L, (long) tiles * rows * TILE * (isDouble ? 8 : 4)), 64);
        long live = LIVE.addAndGet(data.byteSize());
        PEAK.accumulateAndGet(live, Math::max);
    }

    /**
     * The most bytes of tile matrices alive at once since the last {@link #resetPeak()}: outputs
     * read from the store and dual coefficients, which live outside the linear-algebra backend's
     * count (report.json's memory section).
     */
    public static long peakBytes() {
        return PEAK.get();
    }

    /** Starts a new high-water mark from the bytes alive now (at the start of a fit). */
    public static void resetPeak() {
        PEAK.set(LIVE.get());
    }

    public static TileMatrix floats(int rows, int cols) {
        return new TileMatrix(rows, cols, false);
    }

    public static TileMatrix doubles(int rows, int cols) {
        return new TileMatrix(rows, cols, true);
    }

    /** Bytes a matrix of this shape takes (the memory plan's figure). */
    public static long bytesFor(long rows, long cols, boolean isDouble) {
        return ((cols + TILE - 1) / TILE) * rows * TILE * (isDouble ? 8 : 4);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int tiles() {
        return tiles;
    }

    public boolean isDouble() {
        return isDouble;
    }

    long index(int row, int col) {
        return ((long) (col / TILE) * rows + row) * TILE + (col % TILE);
    }

    public double get(int row, int col) {
        long i = index(row, col);
        return isDouble ? data.getAtIndex(ValueLayout.JAVA_DOUBLE, i) : data.getAtIndex(ValueLayout.JAVA_FLOAT, i);
    }

    public void set(int row, int col, double value) {
        long i = index(row, col);
        if (isDouble) {
            data.setAtIndex(ValueLayout.JAVA_DOUBLE, i, value);
        } else {
            data.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) value);
        }
    }

    /** Writes row {@code row}'s values from {@code values[offset .. offset + cols)}. */
    public void setRow(int row, float[] values, int offset) {
        for (int t = 0; t < tiles; t++) {
            int from = t * TILE;
            int count = Math.min(TILE, cols - from);
            long at = ((long) t * rows + row) * TILE;
            if (isDouble) {
                for (int j = 0; j < count; j++) {
                    data.setAtIndex(ValueLayout.JAVA_DOUBLE, at + j, values[offset + from + j]);
                }
            } else {
                MemorySegment.copy(values, offset + from, data, ValueLayout.JAVA_FLOAT, at * 4, count);
            }
        }
    }

    public void fill(double value) {
        if (value == 0) {
            data.fill((byte) 0);
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                set(r, c, value);
            }
        }
    }

    /** The elements in the tile layout described above (float or double). */
    public MemorySegment segment() {
        return data;
    }

    @Override
    public void close() {
        arena.close();
        LIVE.addAndGet(-data.byteSize());
    }
}
