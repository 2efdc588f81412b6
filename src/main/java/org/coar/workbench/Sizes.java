package org.coar.workbench;

import java.util.Locale;

/** Sizes, durations and counts for people to read, the same in every message, plan and table. */
public final class Sizes {
    private Sizes() {
    }

    /** Bytes in binary units with three significant figures, e.g. {@code 4.00 KiB}, {@code 18.8 GiB}, {@code 105 GiB}. */
    public static String human(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        if (unit == 0) {
            return bytes + " B";
        }
        double magnitude = Math.abs(value);
        return String.format(Locale.ROOT, magnitude >= 100 ? "%.0f %s" : magnitude >= 10 ? "%.1f %s" : "%.2f %s", value, units[unit]);
    }

    /** A duration as a progress line shows it: {@code 7m05s}, or {@code 2h13m} from an hour on. */
    public static String duration(java.time.Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    /** A count with thousands separators, e.g. {@code 64,512}. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
