package org.coar.workbench.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.npy.NpyArray;

/**
 * Token sequences for a language model: ids {@code (N, T)} of an integer dtype, right-padded, and
 * optionally the padding as an attention mask {@code (N, T)} (1 for real tokens, then 0) or as
 * lengths {@code (N,)}. Without either, every sequence fills all T positions. Each sequence needs
 * at least two real tokens: its output is a mean over next-token predictions.
 */
final class TokenDataReader {

    private static final Set<Dtype> ID_DTYPES = Set.of(Dtype.UINT8, Dtype.INT8, Dtype.INT16, Dtype.INT32, Dtype.INT64);
    private static final Set<Dtype> MASK_DTYPES = Set.of(Dtype.BOOL, Dtype.UINT8, Dtype.INT8, Dtype.INT16, Dtype.INT32, Dtype.INT64);
    /** Ids travel as float32 in {@link EvalData}, exact below 2^24; no vocabulary comes close. */
    private static final long MAX_ID = 1L << 24;

    private TokenDataReader() {
    }

    static EvalData read(Path idsFile, Path maskFile, Subsample subsample) {
        RecordFile.requireFile(idsFile, "token ids .npy file (--data)");
        if (maskFile != null) {
            RecordFile.requireFile(maskFile, "attention mask or lengths .npy file (--attention-mask)");
        }
        try (NpyArray ids = NpyArray.open(idsFile, false)) {
            long[] shape = ids.header().shape();
            if (!ID_DTYPES.contains(ids.dtype())) {
                throw new WorkbenchException(idsFile + ": token ids are " + ids.dtype().numpyName() + "; use an integer dtype "
                        + "(in numpy: np.save(path, ids.astype(np.int64)))");
            }
            if (shape.length != 2 || shape[1] < 2) {
                throw new WorkbenchException(idsFile + ": token ids have shape " + Arrays.toString(shape) + "; expected (N, T), "
                        + "one right-padded sequence of T >= 2 token ids per example");
            }
            long count = shape[0];
            int t = Math.toIntExact(shape[1]);
            int[] allLengths = maskFile == null ? full(count, t) : readLengths(maskFile, count, t);
            int kept = subsample.count(count);
            float[] values = new float[EvalData.inputsLength(kept, t, idsFile.toString())];
            int[] lengths = new int[kept];
            for (int k = 0; k < kept; k++) {
                long source = subsample.sourceIndex(k);
                lengths[k] = allLengths[(int) source];
                for (int i = 0; i < t; i++) {
                    long id = ids.getLong(source * t + i);
                    if (id < 0 || id >= MAX_ID) {
                        throw new WorkbenchException(idsFile + ": token id " + id + " at [" + source + ", " + i + "] is "
                                + (id < 0 ? "negative" : "too large (at most " + (MAX_ID - 1) + ")") + "; pad with a real token id "
                                + "(e.g. the tokenizer's eos id), not -100 or -1: the attention mask says where padding starts");
                    }
                    values[k * t + i] = id;
                }
            }
            String description = "tokens " + idsFile + " (" + ids.dtype().numpyName() + ", " + t + " positions)"
                    + (maskFile == null ? " without padding" : " with padding from " + maskFile) + ": " + subsample.describe(count);
            return new EvalData(description, new long[] {t}, values, new int[kept], lengths);
        } catch (IOException e) {
            throw new WorkbenchException(idsFile + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static int[] full(long count, int t) {
        int[] lengths = new int[Math.toIntExact(count)];
        Arrays.fill(lengths, t);
        return lengths;
    }

    /** Lengths from a (N,) lengths array or a (N, T) right-padded attention mask, each checked. */
    private static int[] readLengths(Path file, long count, int t) throws IOException {
        try (NpyArray mask = NpyArray.open(file, false)) {
            long[] shape = mask.header().shape();
            if (!MASK_DTYPES.contains(mask.dtype())) {
                throw new WorkbenchException(file + ": the attention mask is " + mask.dtype().numpyName() + "; use bool or an integer "
                        + "dtype (1 for real tokens, 0 for padding), or integer lengths");
            }
            boolean lengthsGiven = shape.length == 1;
            if (!(lengthsGiven && shape[0] == count) && !(shape.length == 2 && shape[0] == count && shape[1] == t)) {
                throw new WorkbenchException(file + ": has shape " + Arrays.toString(shape) + ", but the token ids are (" + count + ", "
                        + t + "); give the attention mask (" + count + ", " + t + ") or the lengths (" + count + ",)");
            }
            int[] lengths = new int[Math.toIntExact(count)];
            for (int j = 0; j < count; j++) {
                lengths[j] = lengthsGiven ? lengthOf(file, mask.getLong(j), j, t) : maskLength(file, mask, j, t);
                if (lengths[j] < 2) {
                    throw new WorkbenchException(file + ": sequence " + j + " has " + lengths[j] + " real token" + (lengths[j] == 1 ? "" : "s")
                            + "; each needs at least 2 (its output averages next-token predictions). Drop it from the data");
                }
            }
            return lengths;
        }
    }

    private static int lengthOf(Path file, long length, int j, int t) {
        if (length < 0 || length > t) {
            throw new WorkbenchException(file + ": length " + length + " of sequence " + j + " is outside 0.." + t
                    + " (the token ids have " + t + " positions)");
        }
        return (int) length;
    }

    /** The number of leading ones; the rest must be zeros (right padding, as the reference's GPT-2 setup pads). */
    private static int maskLength(Path file, NpyArray mask, int j, int t) {
        long base = (long) j * t;
        int length = -1;
        for (int i = 0; i < t; i++) {
            long value = mask.getLong(base + i);
            if (value != 0 && value != 1) {
                throw new WorkbenchException(file + ": the attention mask holds " + value + " at [" + j + ", " + i
                        + "]; use 1 for real tokens and 0 for padding");
            }
            if (value == 0 && length < 0) {
                length = i;
            } else if (value == 1 && length >= 0) {
                throw new WorkbenchException(file + ": row " + j + " of the attention mask is not right-padded: position " + i
                        + " is 1 after padding began at " + length + ". Pad on the right (HF: tokenizer.padding_side = \"right\"), "
                        + "or give the lengths instead");
            }
        }
        return length < 0 ? t : length;
    }
}
