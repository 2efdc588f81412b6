package org.coar.workbench.ui.attributions;

/**
 * The diverging colour scale of the Attributions panel's images: white at 0, the panel's "lowers"
 * red at −scale and below, its "raises" green at +scale and above (the bar chart's colours), as
 * opaque ARGB ints for a {@code PixelWriter}. NaN (no value, e.g. between filter tiles) is transparent.
 */
public final class ScoreColours {
    static final int LOWERS = 0xc0392b;
    static final int RAISES = 0x2e8b57;
    static final int TRANSPARENT = 0;

    private ScoreColours() {
    }

    /** The colour of {@code value} on a scale saturating at ±{@code scale} (a scale of 0 draws every value white). */
    public static int argb(double value, double scale) {
        if (Double.isNaN(value)) {
            return TRANSPARENT;
        }
        double t = scale > 0 ? Math.max(-1, Math.min(1, value / scale)) : 0;
        int end = t < 0 ? LOWERS : RAISES;
        double w = Math.abs(t);
        int r = blend(0xff, (end >> 16) & 0xff, w);
        int g = blend(0xff, (end >> 8) & 0xff, w);
        int b = blend(0xff, end & 0xff, w);
        return 0xff000000 | r << 16 | g << 8 | b;
    }

    private static int blend(int from, int to, double w) {
        return (int) Math.round(from + (to - from) * w);
    }

    /** {@code values} coloured on ±{@code scale}, one ARGB int each. */
    public static int[] argb(float[] values, double scale) {
        int[] pixels = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            pixels[i] = argb(values[i], scale);
        }
        return pixels;
    }
}
