package org.coar.workbench.fit.linalg;

import java.lang.foreign.MemorySegment;

/** A row-major matrix in off-heap host memory (an FFM segment), owned by the backend that made it. */
final class HostMatrix implements Matrix {
    private final MemorySegment segment;
    private final int rows;
    private final int cols;
    private final Precision precision;
    /** The allocation this matrix views (itself, or the matrix it was cut from by {@link #topRows}). */
    final HostMatrix root;

    HostMatrix(MemorySegment segment, int rows, int cols, Precision precision, HostMatrix root) {
        this.segment = segment;
        this.rows = rows;
        this.cols = cols;
        this.precision = precision;
        this.root = root == null ? this : root;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public Precision precision() {
        return precision;
    }

    @Override
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public Matrix topRows(int count) {
        if (count < 0 || count > rows) {
            throw new IndexOutOfBoundsException("topRows(" + count + ") of " + rows);
        }
        return new HostMatrix(segment.asSlice(0, (long) count * cols * precision.bytes()), count, cols, precision, root);
    }
}
