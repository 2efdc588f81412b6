package org.coar.workbench.ui.common;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import javafx.scene.chart.NumberAxis;
import javafx.util.StringConverter;

/** Tick labels for numeric chart axes: short, in the root locale, and never "-0" or "-0.0". */
public final class Axes {
    private Axes() {
    }

    /** Formats ticks with up to {@code decimals} decimals, dropping trailing zeros; a value that rounds to zero reads "0". */
    public static StringConverter<Number> ticks(int decimals) {
        DecimalFormat format = new DecimalFormat(decimals == 0 ? "#,##0" : "#,##0." + "#".repeat(decimals),
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        return new StringConverter<>() {
            @Override
            public String toString(Number value) {
                if (value == null) {
                    return "";
                }
                String text = format.format(value.doubleValue());
                return text.matches("-0([.,]0*)?") ? "0" : text;
            }

            @Override
            public Number fromString(String text) {
                return Double.parseDouble(text.replace(",", ""));
            }
        };
    }

    /** Gives {@code axis} the tick labels of {@link #ticks(int)}. */
    public static void useTicks(NumberAxis axis, int decimals) {
        axis.setTickLabelFormatter(ticks(decimals));
    }
}
