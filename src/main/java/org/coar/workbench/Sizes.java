package org.coar.workbench;

import java.util.Locale;

/** Sizes for people to read. */
public final class Sizes {
    private Sizes() {
    }

    /** Bytes in binary units, e.g. {@code 1.1 GiB}. */
    public static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
