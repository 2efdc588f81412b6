package org.coar.workbench.ui.attributions;

/**
 * Nearest-neighbour resizing of ARGB pixels. The pages draw their images at the size they are shown,
 * because an ImageView's {@code smooth="false"} is not honoured by every rendering pipeline, and a
 * smoothed heatmap or filter blurs cells into one another.
 */
final class Pixels {
    private Pixels() {
    }

    /** {@code source} ({@code width × height}, row-major) resized to {@code toWidth × toHeight}: each pixel takes the source pixel under it. */
    static int[] resize(int[] source, int width, int height, int toWidth, int toHeight) {
        int[] target = new int[toWidth * toHeight];
        int[] columnOf = new int[toWidth];
        for (int x = 0; x < toWidth; x++) {
            columnOf[x] = (int) ((long) x * width / toWidth);
        }
        for (int y = 0; y < toHeight; y++) {
            int row = (int) ((long) y * height / toHeight) * width;
            for (int x = 0; x < toWidth; x++) {
                target[y * toWidth + x] = source[row + columnOf[x]];
            }
        }
        return target;
    }
}
