package org.coar.workbench.fit;

import java.util.Locale;
import org.coar.workbench.WorkbenchException;

/**
 * How the fit may spend memory and time, from {@code --memory}/{@code workbench.memory},
 * {@code workbench.precision} and {@code workbench.statistics}; "auto" leaves each to the plan.
 *
 * @param memoryBytes the budget for the fit's own data, or null for the machine's available memory less a margin
 * @param precision   auto, float64 or float32: the precision of the Gram matrices, their factors and the solves
 * @param statistics  auto, sparse or dense: how Sᵀ Y is accumulated (sparse gathers, or GEMMs over expanded masks)
 */
public record PlanOptions(Long memoryBytes, String precision, String statistics) {
    public static final PlanOptions AUTO = new PlanOptions(null, "auto", "auto");

    public PlanOptions {
        precision = check("workbench.precision", precision, "auto", "float64", "float32");
        statistics = check("workbench.statistics", statistics, "auto", "sparse", "dense");
        if (memoryBytes != null && memoryBytes <= 0) {
            throw new WorkbenchException("--memory / workbench.memory: must be positive, e.g. 16g");
        }
    }

    public PlanOptions withMemory(Long bytes) {
        return new PlanOptions(bytes, precision, statistics);
    }

    private static String check(String key, String value, String... allowed) {
        String v = value == null ? "auto" : value.trim().toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new WorkbenchException(key + ": '" + value + "' is not one of " + String.join(", ", allowed));
    }

    /**
     * Parses a size: a number of bytes, or with a unit k, m, g, t (powers of 1024; "KiB", "GB" and
     * "G" all accepted), e.g. {@code 20g}, {@code 512M}, {@code 1.5GiB}.
     */
    public static long parseSize(String text, String field) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        long unit = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                case 't' -> unit = 1L << 40;
                default -> unit = 1;
            }
        }
        String number = unit == 1 ? t : t.substring(0, t.length() - 1).trim();
        try {
            double v = Double.parseDouble(number);
            if (!(v > 0) || v * unit > Long.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (long) (v * unit);
        } catch (NumberFormatException e) {
            throw new WorkbenchException(field + ": '" + text + "' is not a memory size; write e.g. 20g, 512m or 1.5GiB");
        }
    }
}
