package org.coar.workbench.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyStreamTest {
    @Test
    void decodesFloat16RowsAndSlicesAndSaysWhichHoldNaNOrInf(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("margins.npy");
        int rows = 300;
        int width = 37;
        NpyArray.create(file, Dtype.FLOAT16, rows, width);
        try (NpyArray array = NpyArray.open(file, true)) {
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < width; j++) {
                    array.set((long) r * width + j, (r - 150) * 0.25 + j / 8.0); // exact in float16
                }
            }
            array.set(299L * width + 36, Double.POSITIVE_INFINITY);
        }
        try (NpyArray array = NpyArray.open(file, false); NpyStream stream = NpyStream.open(array, false)) {
            float[] out = new float[width];
            for (int r = 0; r < rows; r++) {
                MemorySegment raw = stream.readSlices(r, 1, 0, width);
                boolean finite = stream.floats(raw, 0, width, out, 0);
                assertEquals(r != rows - 1, finite, "row " + r);
                for (int j = 0; j < (r == rows - 1 ? width - 1 : width); j++) {
                    assertEquals((r - 150) * 0.25f + j / 8f, out[j], 0f, "row " + r + ", column " + j);
                }
            }
            MemorySegment slice = stream.readSlices(10, 3, 30, 7);
            float[] part = new float[21];
            assertTrue(stream.floats(slice, 0, 21, part, 0));
            assertEquals((12 - 150) * 0.25f + 36 / 8f, part[20], 0f);
            assertFalse(stream.floats(stream.readSlices(299, 1, 30, 7), 0, 7, part, 0));
        }
    }
}
