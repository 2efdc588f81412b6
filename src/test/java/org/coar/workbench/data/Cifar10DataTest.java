package org.coar.workbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.coar.workbench.WorkbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10 batches built byte by byte: record = label, then the red, green and blue 32x32 planes. */
class Cifar10DataTest {

    private static final int RECORD = 3073;

    /** Pixel byte of record {@code r}, channel {@code c}, row {@code y}, column {@code x}: distinct enough to catch a mix-up. */
    private static int pixel(int r, int c, int y, int x) {
        return (r * 61 + c * 100 + y * 3 + x * 5) % 256;
    }

    static byte[] batch(int... labels) {
        byte[] bytes = new byte[labels.length * RECORD];
        for (int r = 0; r < labels.length; r++) {
            bytes[r * RECORD] = (byte) labels[r];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        bytes[r * RECORD + 1 + c * 1024 + y * 32 + x] = (byte) pixel(r, c, y, x);
                    }
                }
            }
        }
        return bytes;
    }

    private static WorkbenchException failure(Path data) {
        return assertThrows(WorkbenchException.class, () -> new DataLoader().load(DataSpec.of(data.toString())));
    }

    @Test
    void readsRecordsAsChannelRowColumnScaledToOne(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("data_batch_1.bin"), batch(6, 9, 0));

        EvalData data = new DataLoader().load(DataSpec.of(file.toString()));

        assertEquals(3, data.size());
        assertArrayEquals(new long[] {3, 32, 32}, data.exampleShape());
        assertArrayEquals(new int[] {6, 9, 0}, data.labels());
        for (int r = 0; r < 3; r++) {
            float[] example = data.batch(r, 1);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        assertEquals(pixel(r, c, y, x) / 255f, example[c * 1024 + y * 32 + x], "record " + r + " c" + c + " y" + y + " x" + x);
                    }
                }
            }
        }
    }

    @Test
    void aFolderMeansItsTestBatch(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("data_batch_1.bin"), batch(1, 1));
        Files.write(dir.resolve("test_batch.bin"), batch(3, 8, 8, 0, 5));
        assertEquals("cifar10", DataLoader.detectFormat(dir));

        DataSpec spec = DataSpec.builder().setPath(dir.toString()).optLimit(2).optSkip(2).build();
        EvalData data = new DataLoader().load(spec);
        assertArrayEquals(new int[] {3, 8}, data.labels());
        assertEquals(pixel(2, 1, 4, 7) / 255f, data.batch(1, 1)[1024 + 4 * 32 + 7]);
        assertEquals(dir.resolve("test_batch.bin").toString(), new DataLoader().resolve(spec).path());

        // The folder the CIFAR-10 archive unpacks into, one level down, is found too.
        Path parent = dir.resolve("download");
        Files.createDirectories(parent.resolve("cifar-10-batches-bin"));
        Files.write(parent.resolve("cifar-10-batches-bin").resolve("test_batch.bin"), batch(4));
        assertArrayEquals(new int[] {4}, new DataLoader().load(DataSpec.of(parent.toString())).labels());
    }

    @Test
    void truncatedBatchSaysExpectedAndActualBytes(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("test_batch.bin"), Arrays.copyOf(batch(1, 2, 3), 2 * RECORD + 100));
        String message = failure(file).getMessage();
        assertTrue(message.contains(file + ": truncated CIFAR-10 batch: records take 3073 bytes each (1 label + 3x32x32 pixels), "
                + "so 3 records take 9219 bytes, but the file holds 6246"), message);

        Path cifar100 = Files.write(dir.resolve("cifar100.bin"), new byte[3 * 3074]);
        message = failure(cifar100).getMessage();
        assertTrue(message.contains("CIFAR-100 records (two label bytes), which are not supported"), message);
    }

    @Test
    void labelsBeyondNineMeanItIsNotACifar10Batch(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("other.bin"), batch(1, 12));
        String message = failure(file).getMessage();
        assertTrue(message.contains(file + ": record 1 has label 12, but CIFAR-10 labels are 0-9"), message);
    }

    @Test
    void gzippedBatchAndMissingTestBatchAreExplained(@TempDir Path dir) throws IOException {
        Path gz = Files.write(dir.resolve("test_batch.bin.gz"), IdxDataTest.gzip(batch(1)));
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> new DataLoader().load(DataSpec.builder().setPath(gz.toString()).optFormat("cifar10").build()));
        assertTrue(e.getMessage().contains(gz + ": is gzipped"), e.getMessage());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        e = assertThrows(WorkbenchException.class,
                () -> new DataLoader().load(DataSpec.builder().setPath(empty.toString()).optFormat("cifar10").build()));
        assertTrue(e.getMessage().contains(empty + ": no test_batch.bin in this folder; pass a batch file"), e.getMessage());

        Path missing = dir.resolve("test_batch.bin");
        assertTrue(failure(missing).getMessage().contains(missing + ": no such file or folder (--data)"));
    }
}
