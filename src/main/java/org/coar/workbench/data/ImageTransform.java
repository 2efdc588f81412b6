package org.coar.workbench.data;

/**
 * torchvision's {@code Resize(resize)} then {@code CenterCrop(crop)}, on one float image in
 * (channels, height, width) order; either step may be absent (null).
 * <p>
 * Resize scales the shorter side to {@code resize} and the longer side to
 * {@code int(resize * long / short)}, as torchvision computes it. Resampling is bilinear with
 * antialiasing, with the coefficients Pillow's {@code Image.resize(..., BILINEAR)} uses (a triangle
 * filter widened by the scale factor when shrinking, weights renormalised at the borders); that is
 * also what torchvision's tensor path computes with {@code antialias=True}. Pillow works on 8-bit
 * images and rounds after each of its two passes, so its results differ from these float results
 * by at most about 1/255. CenterCrop takes the offset {@code round((size - crop) / 2)} with
 * Python's round-half-to-even, and pads with zeros where the crop is larger than the image.
 */
final class ImageTransform {

    private final Integer resize;
    private final Integer crop;

    ImageTransform(Integer resize, Integer crop) {
        this.resize = resize;
        this.crop = crop;
    }

    boolean isIdentity() {
        return resize == null && crop == null;
    }

    /** {height, width} of the result for an image of {@code height x width}. */
    int[] outputSize(int height, int width) {
        int[] size = resizedSize(height, width);
        return crop == null ? size : new int[] {crop, crop};
    }

    /** Transforms {@code source} ({@code channels x height x width}) into {@code target} at {@code targetOffset}. */
    void apply(float[] source, int channels, int height, int width, float[] target, int targetOffset) {
        int[] resized = resizedSize(height, width);
        float[] image = source;
        if (resized[0] != height || resized[1] != width) {
            image = resample(source, channels, height, width, resized[0], resized[1]);
        }
        if (crop == null) {
            System.arraycopy(image, 0, target, targetOffset, channels * resized[0] * resized[1]);
        } else {
            centerCrop(image, channels, resized[0], resized[1], target, targetOffset);
        }
    }

    private int[] resizedSize(int height, int width) {
        if (resize == null) {
            return new int[] {height, width};
        }
        int shorter = Math.min(height, width);
        int longer = Math.max(height, width);
        // Python's int(size * long / short): the quotient rounded to a double, then truncated.
        int newLonger = (int) ((double) resize * longer / shorter);
        return height <= width ? new int[] {resize, newLonger} : new int[] {newLonger, resize};
    }

    private void centerCrop(float[] image, int channels, int height, int width, float[] target, int targetOffset) {
        int top = cropOffset(height, crop);
        int left = cropOffset(width, crop);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < crop; y++) {
                int sourceY = y + top;
                int targetRow = targetOffset + (c * crop + y) * crop;
                for (int x = 0; x < crop; x++) {
                    int sourceX = x + left;
                    boolean inside = sourceY >= 0 && sourceY < height && sourceX >= 0 && sourceX < width;
                    target[targetRow + x] = inside ? image[(c * height + sourceY) * width + sourceX] : 0f;
                }
            }
        }
    }

    /**
     * Where the crop starts in a dimension of {@code size}: torchvision's {@code int(round((size - crop) / 2))},
     * or, when the crop is larger, minus the zero padding torchvision adds before it, {@code (crop - size) // 2}.
     */
    static int cropOffset(int size, int crop) {
        if (crop > size) {
            return -((crop - size) / 2);
        }
        return (int) Math.rint((size - crop) / 2.0);
    }

    /** Separable resampling: rows first, then columns, accumulating in double. */
    private static float[] resample(float[] source, int channels, int height, int width, int newHeight, int newWidth) {
        Filter horizontal = Filter.of(width, newWidth);
        Filter vertical = Filter.of(height, newHeight);
        float[] rows = new float[channels * height * newWidth];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                int in = (c * height + y) * width;
                int out = (c * height + y) * newWidth;
                for (int x = 0; x < newWidth; x++) {
                    double sum = 0;
                    int first = horizontal.first[x];
                    int k = x * horizontal.taps;
                    for (int t = 0; t < horizontal.count[x]; t++) {
                        sum += horizontal.weights[k + t] * source[in + first + t];
                    }
                    rows[out + x] = (float) sum;
                }
            }
        }
        float[] result = new float[channels * newHeight * newWidth];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < newHeight; y++) {
                int first = vertical.first[y];
                int k = y * vertical.taps;
                int out = (c * newHeight + y) * newWidth;
                for (int x = 0; x < newWidth; x++) {
                    double sum = 0;
                    for (int t = 0; t < vertical.count[y]; t++) {
                        sum += vertical.weights[k + t] * rows[(c * height + first + t) * newWidth + x];
                    }
                    result[out + x] = (float) sum;
                }
            }
        }
        return result;
    }

    /**
     * For each output position, the first input position, how many inputs it reads and their
     * weights; the computation of Pillow's {@code precompute_coeffs} with the bilinear filter.
     */
    private record Filter(int taps, int[] first, int[] count, double[] weights) {
        static Filter of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale; // the bilinear (triangle) filter reaches 1 input pixel at scale 1
            int taps = (int) Math.ceil(support) * 2 + 1;
            int[] first = new int[outSize];
            int[] count = new int[outSize];
            double[] weights = new double[outSize * taps];
            for (int out = 0; out < outSize; out++) {
                double center = (out + 0.5) * scale;
                int min = Math.max((int) (center - support + 0.5), 0);
                int max = Math.min((int) (center + support + 0.5), inSize);
                double total = 0;
                for (int t = 0; t < max - min; t++) {
                    double w = triangle((t + min - center + 0.5) / filterScale);
                    weights[out * taps + t] = w;
                    total += w;
                }
                if (total != 0) {
                    for (int t = 0; t < max - min; t++) {
                        weights[out * taps + t] /= total;
                    }
                }
                first[out] = min;
                count[out] = max - min;
            }
            return new Filter(taps, first, count, weights);
        }

        private static double triangle(double x) {
            double distance = Math.abs(x);
            return distance < 1 ? 1 - distance : 0;
        }
    }
}
