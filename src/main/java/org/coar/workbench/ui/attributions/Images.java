package org.coar.workbench.ui.attributions;

import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

/** Images of the Attributions pages, made from plain pixel arrays with one write each. */
final class Images {
    private Images() {
    }

    /** An ARGB image, row-major, {@code width × height}. */
    static WritableImage argb(int width, int height, int[] pixels) {
        WritableImage image = new WritableImage(width, height);
        image.getPixelWriter().setPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), pixels, 0, width);
        return image;
    }

    /** An input {@code (channels, height, width)} of 1 or 3 channels, stretched from its minimum to its maximum. */
    static WritableImage input(float[] values, long[] shape) {
        int channels = (int) shape[0];
        int height = (int) shape[1];
        int width = (int) shape[2];
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float range = max > min ? max - min : 1;
        int plane = height * width;
        int[] pixels = new int[plane];
        for (int i = 0; i < plane; i++) {
            int r = level(values[i], min, range);
            int g = channels == 3 ? level(values[plane + i], min, range) : r;
            int b = channels == 3 ? level(values[2 * plane + i], min, range) : r;
            pixels[i] = 0xff000000 | r << 16 | g << 8 | b;
        }
        return argb(width, height, pixels);
    }

    private static int level(float v, float min, float range) {
        return Math.round((v - min) / range * 255);
    }
}
