package org.coar.workbench.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.coar.workbench.WorkbenchException;

/**
 * CIFAR-10 binary batches ({@code data_batch_N.bin}, {@code test_batch.bin}): records of one
 * label byte (0-9) and 3,072 pixel bytes, the red, green and blue 32x32 planes in turn, which is
 * already C order for [3, 32, 32]. Pixels become x / 255.
 */
final class Cifar10Reader {

    static final String TEST_BATCH = "test_batch.bin";
    static final int SIDE = 32;
    static final int PIXELS = 3 * SIDE * SIDE;
    static final int RECORD = 1 + PIXELS;
    private static final int CLASSES = 10;

    private Cifar10Reader() {
    }

    static EvalData read(Path file, Subsample subsample) {
        try (RecordFile batch = RecordFile.open(file, "CIFAR-10 batch file (--data)")) {
            if (batch.gzipped()) {
                throw new WorkbenchException(file + ": is gzipped; CIFAR-10 batches are read as the plain .bin files "
                        + "that cifar-10-binary.tar.gz holds. Extract it (tar xzf cifar-10-binary.tar.gz) and pass "
                        + "cifar-10-batches-bin/" + TEST_BATCH);
            }
            long size = fileSize(file);
            if (size == 0 || size % RECORD != 0) {
                long records = size / RECORD + 1;
                String hint = size > 0 && size % (RECORD + 1) == 0
                        ? "Its size fits CIFAR-100 records (two label bytes), which are not supported"
                        : "The file is truncated or not a CIFAR-10 batch; fetch it again";
                throw new WorkbenchException(file + ": truncated CIFAR-10 batch: records take " + RECORD + " bytes each ("
                        + "1 label + 3x32x32 pixels), so " + records + " records take " + records * RECORD
                        + " bytes, but the file holds " + size + ". " + hint);
            }
            long count = size / RECORD;
            int kept = subsample.count(count);
            float[] inputs = new float[EvalData.inputsLength(kept, PIXELS, file.toString())];
            int[] labels = new int[kept];
            String layout = count + " records of " + RECORD + " bytes";
            byte[] record = new byte[RECORD];
            for (long i = 0; i < count; i++) {
                batch.readFully(record, size, layout);
                int label = record[0] & 0xff;
                if (label >= CLASSES) {
                    throw new WorkbenchException(file + ": record " + i + " has label " + label
                            + ", but CIFAR-10 labels are 0-9; this is not a CIFAR-10 batch file. Check --data and --data-format");
                }
                int position = subsample.keptPosition(i);
                if (position >= 0) {
                    labels[position] = label;
                    int base = position * PIXELS;
                    for (int p = 0; p < PIXELS; p++) {
                        inputs[base + p] = (record[1 + p] & 0xff) / 255f;
                    }
                }
            }
            String description = "cifar10 " + file + ": " + subsample.describe(count);
            return new EvalData(description, new long[] {3, SIDE, SIDE}, inputs, labels);
        }
    }

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }
}
