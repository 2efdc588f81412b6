package org.coar.workbench.fit;

import java.math.BigInteger;
import java.util.regex.Pattern;
import org.coar.workbench.WorkbenchException;

/**
 * A number of rows given either as a count ({@code 45000}) or as a fraction of the completed rows
 * ({@code 0.9}). One rule reads it wherever it is typed, {@code data.num_train} / {@code data.num_val}
 * in the YAML, {@code --num-train} / {@code --num-val} and the Regression panel's fields, from how the
 * number is written ({@link #parse}):
 * <ul>
 *   <li>digits only ({@code 45000}, {@code 1}, {@code 0}): that many rows, so {@code 1} is one row;</li>
 *   <li>with a decimal point or an exponent and in [0, 1] ({@code 0.9}, {@code 1.0}, {@code 0.0}): that
 *       fraction of the completed rows, so {@code 1.0} is every row;</li>
 *   <li>with a decimal point or an exponent, a whole number above 1 ({@code 45000.0}, {@code 4.5e4}):
 *       that many rows, as a YAML or spreadsheet tool may write a count;</li>
 *   <li>anything else ({@code 1.5}, {@code -3}, {@code lots}) is refused with a message naming the field.</li>
 * </ul>
 * Underscores between digits ({@code 45_000}) are ignored, as YAML allows them.
 */
public record RowCount(double value, boolean fraction) {
    /** The most rows a fit reads (its row index is an int). */
    public static final long MAX_ROWS = Integer.MAX_VALUE - 8;

    /** What every refusal says is expected. */
    static final String EXPECTED = "expected a row count (a whole number, e.g. 45000) or a fraction of the completed rows "
            + "between 0 and 1 (e.g. 0.9 for 90 %)";

    private static final Pattern COUNT = Pattern.compile("[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    public static RowCount of(long count) {
        return new RowCount(count, false);
    }

    public static RowCount fractionOf(double fraction) {
        return new RowCount(fraction, true);
    }

    /**
     * Reads {@code text} by the rule above; {@code field} (e.g. {@code --num-train}) starts the message
     * of a refusal, which says what to write instead.
     */
    public static RowCount parse(String text, String field) {
        String t = text == null ? "" : text.strip().replace("_", "");
        if (COUNT.matcher(t).matches()) {
            return count(new BigInteger(t), text, field);
        }
        if (DECIMAL.matcher(t).matches()) {
            double value = Double.parseDouble(t);
            if (value <= 1) {
                return fractionOf(value);
            }
            if (value == Math.rint(value)) {
                return count(BigInteger.valueOf(value > MAX_ROWS ? Long.MAX_VALUE : (long) value), text, field);
            }
        }
        throw new WorkbenchException(field + ": " + EXPECTED + ", found \"" + text + "\"");
    }

    private static RowCount count(BigInteger rows, String text, String field) {
        if (rows.compareTo(BigInteger.valueOf(MAX_ROWS)) > 0) {
            throw new WorkbenchException(field + ": " + text.strip() + " rows is more than a fit can read (at most " + MAX_ROWS
                    + "); give a count up to the store's completed rows, or a fraction such as 0.9");
        }
        return of(rows.longValue());
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
