package org.coar.workbench.fit;

import java.util.Locale;

/** Human sizes for plans and messages: 1,024-based, three significant figures. */
final class Sizes {
    private Sizes() {
    }

    static String bytes(long bytes) {
        double v = bytes;
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : v >= 10 ? "%.1f %s" : "%.2f %s", v, units[u]);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
