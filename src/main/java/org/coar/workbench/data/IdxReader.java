package org.coar.workbench.data;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coar.workbench.WorkbenchException;

/**
 * MNIST / Fashion-MNIST IDX files, gzipped or raw: an images file (magic 0x00000803: unsigned
 * bytes, dimensions count x rows x columns) and a labels file (magic 0x00000801: unsigned bytes,
 * one dimension). All integers are big-endian. Pixels become x / 255; examples are [1, rows, columns].
 */
final class IdxReader {

    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    /** {@code train-images-idx3-ubyte}, {@code t10k-images.idx3-ubyte}, {@code eval-images-idx3-ubyte.gz}, ... */
    private static final Pattern IMAGES_NAME = Pattern.compile("images([.-])idx3-ubyte");

    private IdxReader() {
    }

    /** The labels file name that belongs to an images file name, or null when the name has no {@code images-idx3-ubyte}. */
    static String labelsNameFor(String imagesName) {
        Matcher matcher = IMAGES_NAME.matcher(imagesName);
        return matcher.find() ? matcher.replaceFirst("labels$1idx1-ubyte") : null;
    }

    static EvalData read(Path imagesFile, Path labelsFile, Subsample subsample) {
        try (RecordFile images = RecordFile.open(imagesFile, "IDX images file (--data)");
             RecordFile labels = RecordFile.open(labelsFile, "IDX labels file (--labels)")) {
            int[] imageDims = readHeader(images, IMAGES_MAGIC, "images", "count x rows x columns");
            int[] labelDims = readHeader(labels, LABELS_MAGIC, "labels", "count");
            int count = imageDims[0];
            if (labelDims[0] != count) {
                throw new WorkbenchException(imagesFile + " holds " + count + " images but " + labelsFile + " holds "
                        + labelDims[0] + " labels; pass the labels file that belongs to these images with --labels");
            }
            int rows = imageDims[1];
            int columns = imageDims[2];
            int pixels = Math.multiplyExact(rows, columns);
            int kept = subsample.count(count);
            float[] inputs = new float[EvalData.inputsLength(kept, pixels, imagesFile.toString())];

            long imageBytes = 16 + (long) count * pixels;
            String imageLayout = "a 16-byte header and " + count + " images of " + rows + "x" + columns;
            byte[] image = new byte[pixels];
            for (long i = 0; i < count; i++) {
                images.readFully(image, imageBytes, imageLayout);
                int position = subsample.keptPosition(i);
                if (position >= 0) {
                    int base = position * pixels;
                    for (int p = 0; p < pixels; p++) {
                        inputs[base + p] = (image[p] & 0xff) / 255f;
                    }
                }
            }
            images.expectEnd(imageBytes, imageLayout);

            long labelBytes = 8 + (long) count;
            String labelLayout = "an 8-byte header and " + count + " labels";
            byte[] allLabels = new byte[count];
            labels.readFully(allLabels, labelBytes, labelLayout);
            labels.expectEnd(labelBytes, labelLayout);
            int[] keptLabels = new int[kept];
            for (int k = 0; k < kept; k++) {
                keptLabels[k] = allLabels[(int) subsample.sourceIndex(k)] & 0xff;
            }
            String description = "idx " + imagesFile + " with labels " + labelsFile + ": " + subsample.describe(count);
            return new EvalData(description, new long[] {1, rows, columns}, inputs, keptLabels);
        }
    }

    /** Reads the magic number and the dimensions; {@code dimensions} names them for messages. */
    private static int[] readHeader(RecordFile file, int expectedMagic, String kind, String dimensions) {
        int expectedRank = expectedMagic & 0xff;
        String layout = "the IDX " + kind + " header";
        byte[] magicBytes = new byte[4];
        file.readFully(magicBytes, 4 + 4L * expectedRank, layout);
        int magic = bigEndianInt(magicBytes, 0);
        if (magic != expectedMagic) {
            String hint;
            if (magic == (expectedMagic == IMAGES_MAGIC ? LABELS_MAGIC : IMAGES_MAGIC)) {
                hint = "This is an IDX " + (kind.equals("images") ? "labels" : "images")
                        + " file: pass the images file with --data and the labels file with --labels";
            } else if ((magic & 0xffff0000) != 0) {
                hint = "This is not an IDX file (IDX files start with two zero bytes); check --data-format";
            } else if ((magic >> 8 & 0xff) != 0x08) {
                hint = String.format("Its elements are of IDX type 0x%02X; only unsigned bytes (type 0x08) are supported", magic >> 8 & 0xff);
            } else {
                hint = "It has " + (magic & 0xff) + " dimensions where " + kind + " have " + expectedRank + " (" + dimensions + ")";
            }
            throw new WorkbenchException(String.format("%s: wrong magic number 0x%08X for an IDX %s file (expected 0x%08X: "
                    + "unsigned bytes, %s). %s", file.file(), magic, kind, expectedMagic, dimensions, hint));
        }
        byte[] dimBytes = new byte[4 * expectedRank];
        file.readFully(dimBytes, 4 + 4L * expectedRank, layout);
        int[] dims = new int[expectedRank];
        for (int d = 0; d < expectedRank; d++) {
            dims[d] = bigEndianInt(dimBytes, 4 * d);
            // Sizes are unsigned in the format; beyond 2^31 they cannot be a real dataset.
            if (dims[d] < 0 || (d > 0 && dims[d] == 0)) {
                throw new WorkbenchException(file.file() + ": the IDX header gives dimension " + (d + 1) + " (" + dimensions
                        + ") as " + Integer.toUnsignedString(dims[d]) + "; the header is damaged. Fetch the file again");
            }
        }
        return dims;
    }

    private static int bigEndianInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) << 24 | (bytes[offset + 1] & 0xff) << 16 | (bytes[offset + 2] & 0xff) << 8 | bytes[offset + 3] & 0xff;
    }
}
