package org.coar.workbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.coar.workbench.WorkbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files built byte by byte here, so every expected value is known without the reader. */
class IdxDataTest {

    /** Three 2x3 images (not square, so a transposed read shows); pixel bytes chosen to cover 0, 255 and the bytes >= 128. */
    private static final int[][] PIXELS = {
        {0, 1, 2, 3, 4, 5},
        {255, 254, 128, 127, 200, 100},
        {10, 20, 30, 40, 50, 60},
    };
    private static final int[] LABELS = {7, 0, 9};

    static byte[] idxImages(int rows, int columns, int[]... images) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, 0x00000803);
        writeInt(out, images.length);
        writeInt(out, rows);
        writeInt(out, columns);
        for (int[] image : images) {
            for (int pixel : image) {
                out.write(pixel);
            }
        }
        return out.toByteArray();
    }

    static byte[] idxLabels(int... labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeInt(out, 0x00000801);
        writeInt(out, labels.length);
        for (int label : labels) {
            out.write(label);
        }
        return out.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static Path write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        return file;
    }

    private static EvalData load(Path images) {
        return new DataLoader().load(DataSpec.of(images.toString()));
    }

    private static DataSpec spec(Path images, Integer skip, Integer limit) {
        return DataSpec.builder().setPath(images.toString()).optLimit(limit).optSkip(skip).build();
    }

    private static WorkbenchException failure(DataSpec spec) {
        return assertThrows(WorkbenchException.class, () -> new DataLoader().load(spec));
    }

    private static void assertImage(int[] pixels, EvalData data, int example) {
        float[] expected = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            expected[i] = pixels[i] / 255f;
        }
        assertArrayEquals(expected, data.batch(example, 1), "example " + example);
    }

    @Test
    void readsGzippedImagesWithTheLabelsFileNamedAfterThem(@TempDir Path dir) throws IOException {
        Path images = write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(idxImages(2, 3, PIXELS)));
        write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(idxLabels(LABELS)));

        EvalData data = load(images);

        assertEquals(3, data.size());
        assertArrayEquals(new long[] {1, 2, 3}, data.exampleShape());
        assertEquals(6, data.exampleLength());
        assertArrayEquals(LABELS, data.labels());
        for (int i = 0; i < PIXELS.length; i++) {
            assertImage(PIXELS[i], data, i);
        }
        assertEquals(254 / 255f, data.inputs()[7]);
        assertTrue(data.description().contains("3 of 3 examples"), data.description());
    }

    @Test
    void readsRawFilesAndTheOtherNamingSchemes(@TempDir Path dir) throws IOException {
        Path dotted = write(dir.resolve("t10k-images.idx3-ubyte"), idxImages(2, 3, PIXELS));
        write(dir.resolve("t10k-labels.idx1-ubyte"), idxLabels(LABELS));
        EvalData data = load(dotted);
        assertArrayEquals(LABELS, data.labels());
        assertImage(PIXELS[1], data, 1);

        // The demo's eval-images / eval-labels pair, with gzipped labels beside raw images.
        Path eval = write(dir.resolve("eval-images-idx3-ubyte"), idxImages(2, 3, PIXELS));
        write(dir.resolve("eval-labels-idx1-ubyte.gz"), gzip(idxLabels(LABELS)));
        DataSpec resolved = new DataLoader().resolve(DataSpec.of(eval.toString()));
        assertEquals(dir.resolve("eval-labels-idx1-ubyte.gz").toString(), resolved.labels());
        assertEquals("idx", resolved.format());
        assertArrayEquals(LABELS, load(eval).labels());
    }

    @Test
    void keepsEverySkipthExampleThenAtMostLimit(@TempDir Path dir) throws IOException {
        int[][] images = new int[10][];
        int[] labels = new int[10];
        for (int i = 0; i < 10; i++) {
            images[i] = new int[] {i, 100 + i};
            labels[i] = i;
        }
        Path file = write(dir.resolve("x-images-idx3-ubyte"), idxImages(1, 2, images));
        write(dir.resolve("x-labels-idx1-ubyte"), idxLabels(labels));
        DataLoader loader = new DataLoader();

        assertArrayEquals(new int[] {0, 3, 6, 9}, loader.load(spec(file, 3, null)).labels());
        assertArrayEquals(new int[] {0, 3, 6}, loader.load(spec(file, 3, 3)).labels());
        assertArrayEquals(new int[] {0, 1}, loader.load(spec(file, null, 2)).labels());
        assertArrayEquals(new int[] {0, 4, 8}, loader.load(spec(file, 4, 100)).labels());
        EvalData skipped = loader.load(spec(file, 3, 3));
        assertArrayEquals(new float[] {6 / 255f, 106 / 255f}, skipped.batch(2, 1));
        assertArrayEquals(new float[] {3 / 255f, 103 / 255f, 6 / 255f, 106 / 255f}, skipped.batch(1, 2));
        assertTrue(skipped.description().contains("3 of 10 examples, every 3rd, at most 3"), skipped.description());
    }

    @Test
    void copyBatchCopiesARangeAndRefusesOutsideIt(@TempDir Path dir) throws IOException {
        Path images = write(dir.resolve("a-images-idx3-ubyte"), idxImages(2, 3, PIXELS));
        write(dir.resolve("a-labels-idx1-ubyte"), idxLabels(LABELS));
        EvalData data = load(images);
        float[] target = new float[20];
        Arrays.fill(target, -1);
        data.copyBatch(1, 2, target);
        assertEquals(255 / 255f, target[0]);
        assertEquals(60 / 255f, target[11]);
        assertEquals(-1, target[12], "nothing written past the batch");
        assertArrayEquals(new int[] {0, 9}, data.batchLabels(1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> data.copyBatch(2, 2, target));
        assertThrows(IllegalArgumentException.class, () -> data.copyBatch(0, 3, new float[17]));
    }

    @Test
    void truncatedImagesFileSaysExpectedAndActualBytes(@TempDir Path dir) throws IOException {
        byte[] whole = idxImages(2, 3, PIXELS);
        Path raw = write(dir.resolve("cut-images-idx3-ubyte"), Arrays.copyOf(whole, 30));
        write(dir.resolve("cut-labels-idx1-ubyte"), idxLabels(LABELS));
        String message = failure(DataSpec.of(raw.toString())).getMessage();
        // 16-byte header + 3 images x 6 pixels = 34 bytes expected; 30 present.
        assertTrue(message.contains(raw + ": truncated: a 16-byte header and 3 images of 2x3 take 34 bytes, "
                + "but the file holds only 30"), message);

        Path gz = write(dir.resolve("cutgz-images-idx3-ubyte.gz"), gzip(Arrays.copyOf(whole, 25)));
        write(dir.resolve("cutgz-labels-idx1-ubyte.gz"), gzip(idxLabels(LABELS)));
        message = failure(DataSpec.of(gz.toString())).getMessage();
        assertTrue(message.contains("take 34 bytes uncompressed, but the file holds only 25"), message);

        // The gzip stream itself cut off mid-way.
        byte[] compressed = gzip(whole);
        Path cutStream = write(dir.resolve("cutstream-images-idx3-ubyte.gz"), Arrays.copyOf(compressed, compressed.length - 12));
        write(dir.resolve("cutstream-labels-idx1-ubyte.gz"), gzip(idxLabels(LABELS)));
        message = failure(DataSpec.of(cutStream.toString())).getMessage();
        assertTrue(message.contains(cutStream + ": truncated: the gzip data is cut off"), message);
    }

    @Test
    void truncatedLabelsFileAndTrailingBytesAreRefused(@TempDir Path dir) throws IOException {
        Path images = write(dir.resolve("a-images-idx3-ubyte"), idxImages(2, 3, PIXELS));
        Path labels = write(dir.resolve("a-labels-idx1-ubyte"), Arrays.copyOf(idxLabels(LABELS), 10));
        String message = failure(DataSpec.of(images.toString())).getMessage();
        assertTrue(message.contains(labels + ": truncated: an 8-byte header and 3 labels take 11 bytes, but the file holds only 10"), message);

        byte[] longer = Arrays.copyOf(idxImages(2, 3, PIXELS), 40);
        write(images, longer);
        write(labels, idxLabels(LABELS));
        message = failure(DataSpec.of(images.toString())).getMessage();
        assertTrue(message.contains(images + ": a 16-byte header and 3 images of 2x3 take 34 bytes, but the file holds 40"), message);
    }

    @Test
    void wrongMagicNumberIsNamedWithTheExpectedOne(@TempDir Path dir) throws IOException {
        // The labels file given where the images belong.
        Path images = write(dir.resolve("swapped-images-idx3-ubyte"), idxLabels(LABELS));
        write(dir.resolve("swapped-labels-idx1-ubyte"), idxLabels(LABELS));
        String message = failure(DataSpec.of(images.toString())).getMessage();
        assertTrue(message.contains(images + ": wrong magic number 0x00000801 for an IDX images file (expected 0x00000803"), message);
        assertTrue(message.contains("This is an IDX labels file: pass the images file with --data and the labels file with --labels"), message);

        write(images, "P5\n28 28\n255\n".getBytes());
        message = failure(DataSpec.of(images.toString())).getMessage();
        assertTrue(message.contains("wrong magic number 0x50350A32"), message);
        assertTrue(message.contains("not an IDX file"), message);
    }

    @Test
    void imageAndLabelCountsMustAgree(@TempDir Path dir) throws IOException {
        Path images = write(dir.resolve("n-images-idx3-ubyte"), idxImages(2, 3, PIXELS));
        Path labels = write(dir.resolve("n-labels-idx1-ubyte"), idxLabels(1, 2));
        String message = failure(DataSpec.of(images.toString())).getMessage();
        assertTrue(message.contains(images + " holds 3 images but " + labels + " holds 2 labels"), message);
        assertTrue(message.contains("--labels"), message);
    }

    @Test
    void missingFilesAreNamed(@TempDir Path dir) throws IOException {
        Path absent = dir.resolve("none-images-idx3-ubyte.gz");
        String message = failure(DataSpec.of(absent.toString())).getMessage();
        assertTrue(message.contains(absent + ": no such file or folder (--data)"), message);

        Path images = write(dir.resolve("lonely-images-idx3-ubyte.gz"), gzip(idxImages(2, 3, PIXELS)));
        message = failure(DataSpec.of(images.toString())).getMessage();
        assertTrue(message.contains(dir.resolve("lonely-labels-idx1-ubyte.gz") + ": no such labels file (derived from the images "
                + "file name lonely-images-idx3-ubyte.gz); pass the labels file with --labels"), message);

        Path explicit = dir.resolve("elsewhere.gz");
        message = failure(DataSpec.builder().setPath(images.toString()).optLabels(explicit.toString()).build()).getMessage();
        assertTrue(message.contains(explicit + ": no such IDX labels file (--labels)"), message);

        Path oddName = write(dir.resolve("digits.idx"), gzip(idxImages(2, 3, PIXELS)));
        message = failure(DataSpec.builder().setPath(oddName.toString()).optFormat("idx").build()).getMessage();
        assertTrue(message.contains("cannot derive the labels file from this name"), message);
    }
}
