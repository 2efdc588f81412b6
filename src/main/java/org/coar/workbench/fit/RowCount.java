package org.coar.workbench.fit;

/**
 * A number of rows given either as a count ({@code 45000}) or as a fraction of the completed rows
 * ({@code 0.9}), as {@code data.num_train} and {@code data.num_val} may be.
 */
public record RowCount(double value, boolean fraction) {
    /** The most rows a fit reads (its row index is an int). */
    public static final long MAX_ROWS = Integer.MAX_VALUE - 8;

    public static RowCount of(long count) {
        return new RowCount(count, false);
    }

    public static RowCount fractionOf(double fraction) {
        return new RowCount(fraction, true);
    }

    /** The count among {@code completed} rows; fractions round down. */
    public long resolve(long completed) {
        return fraction ? (long) Math.floor(value * completed + 1e-9) : (long) value;
    }

    @Override
    public String toString() {
        return fraction ? value + " of completed rows" : Long.toString((long) value);
    }
}
