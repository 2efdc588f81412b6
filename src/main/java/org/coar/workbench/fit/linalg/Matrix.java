package org.coar.workbench.fit.linalg;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A dense row-major matrix in memory the host can read and write (off the Java heap), owned by
 * the {@link LinearAlgebra} that made it. Solvers run their element-wise loops through
 * {@link #segment()} and hand the heavy products to the {@code LinearAlgebra}.
 */
public interface Matrix {
    int rows();

    int cols();

    Precision precision();

    /** The elements, row-major, {@code rows * cols} of them; valid until the matrix is closed. */
    MemorySegment segment();

    /** The first {@code count} rows, sharing memory with this matrix. */
    Matrix topRows(int count);

    default long size() {
        return (long) rows() * cols();
    }

    default double get(int row, int col) {
        long index = (long) row * cols() + col;
        return precision() == Precision.DOUBLE ? segment().getAtIndex(ValueLayout.JAVA_DOUBLE, index)
                : segment().getAtIndex(ValueLayout.JAVA_FLOAT, index);
    }

    default void set(int row, int col, double value) {
        long index = (long) row * cols() + col;
        if (precision() == Precision.DOUBLE) {
            segment().setAtIndex(ValueLayout.JAVA_DOUBLE, index, value);
        } else {
            segment().setAtIndex(ValueLayout.JAVA_FLOAT, index, (float) value);
        }
    }

    default void fill(double value) {
        if (value == 0) {
            segment().fill((byte) 0);
        } else {
            for (int r = 0; r < rows(); r++) {
                for (int c = 0; c < cols(); c++) {
                    set(r, c, value);
                }
            }
        }
    }

    /** Copies row {@code row} into {@code target} (length {@code cols()}). */
    default void getRow(int row, double[] target) {
        long base = (long) row * cols();
        if (precision() == Precision.DOUBLE) {
            MemorySegment.copy(segment(), ValueLayout.JAVA_DOUBLE, base * 8, target, 0, cols());
        } else {
            for (int c = 0; c < cols(); c++) {
                target[c] = segment().getAtIndex(ValueLayout.JAVA_FLOAT, base + c);
            }
        }
    }

    default void setRow(int row, double[] values) {
        long base = (long) row * cols();
        if (precision() == Precision.DOUBLE) {
            MemorySegment.copy(values, 0, segment(), ValueLayout.JAVA_DOUBLE, base * 8, cols());
        } else {
            for (int c = 0; c < cols(); c++) {
                segment().setAtIndex(ValueLayout.JAVA_FLOAT, base + c, (float) values[c]);
            }
        }
    }

    /** Copies all elements of {@code source} (same shape and precision) into this matrix. */
    default void copyFrom(Matrix source) {
        if (source.rows() != rows() || source.cols() != cols() || source.precision() != precision()) {
            throw new IllegalArgumentException("shape or precision mismatch: " + source.rows() + "x" + source.cols() + " "
                    + source.precision() + " into " + rows() + "x" + cols() + " " + precision());
        }
        MemorySegment.copy(source.segment(), 0, segment(), 0, size() * precision().bytes());
    }

    /** Swaps rows {@code a} and {@code b} in place. */
    default void swapRows(int a, int b) {
        if (a == b) {
            return;
        }
        long rowBytes = (long) cols() * precision().bytes();
        MemorySegment sa = segment().asSlice(a * rowBytes, rowBytes);
        MemorySegment sb = segment().asSlice(b * rowBytes, rowBytes);
        byte[] tmp = sa.toArray(ValueLayout.JAVA_BYTE);
        MemorySegment.copy(sb, 0, sa, 0, rowBytes);
        MemorySegment.copy(MemorySegment.ofArray(tmp), 0, sb, 0, rowBytes);
    }
}
