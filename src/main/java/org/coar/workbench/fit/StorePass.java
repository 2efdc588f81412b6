package org.coar.workbench.fit;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.fit.sparse.MaskBits;
import org.coar.workbench.fit.sparse.Parallel;
import org.coar.workbench.fit.sparse.TileMatrix;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.npy.NpyStream;

/**
 * The fit's reading of the store. {@link #readMasks} streams the selected rows once: the masks
 * become {@link MaskBits} per set (train, validation), the outputs are checked for NaN/Inf and
 * summed (Σỹ, Σỹ² with ỹ = y − shift, per example), and the first block of output columns is kept
 * as tiles. {@link #readOutputs} reads one further block of output columns for the rows kept.
 * Reads go through {@link NpyStream} (pread), so the store's pages never count in the fit's
 * resident memory.
 * <p>Its length (about 450 lines) is one streamed pass. The mask bits, the output sums and the first block's tiles
 * are filled from the same chunk of rows, so splitting them would read the store twice.
 */
final class StorePass {
    private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_256;
    private static final int SHIFT_ROWS = 256;
    private static final long CHUNK_BYTES = 16L << 20;
    /** The decoded outputs of a chunk of rows (float): 32 MiB at most. */
    private static final long DECODED_BYTES = 32L << 20;
    private static final int NAMED_BAD_ROWS = 20;
    /** Counts of co-occurring mask bits stay exact in float32 below this many rows. */
    static final long EXACT_FLOAT_COUNT = 1L << 24;

    /** Per-set sums over the rows kept. */
    static final class SetSums {
        final int examples;
        int rows;
        final double[] outputSums;
        final double[] outputSquares;

        SetSums(int examples) {
            this.examples = examples;
            this.outputSums = new double[examples];
            this.outputSquares = new double[examples];
        }

        double mean(int j) {
            return outputSums[j] / rows;
        }

        /** Population variance of example j's (shifted) outputs over these rows. */
        double variance(int j) {
            double m = mean(j);
            return Math.max(0, outputSquares[j] / rows - m * m);
        }
    }

    /**
     * What {@link #readMasks} read: bits and sums per set (index {@link RowSplit#TRAIN},
     * {@link RowSplit#VALIDATION}), the store row of every kept row in bit order, and the first
     * block's output tiles (ỹ) per set.
     */
    record Masks(MaskBits[] bits, SetSums[] sums, int[][] storeRows, TileMatrix[] firstBlock, float[] shift,
                 List<Long> nonFinite, double density) implements AutoCloseable {
        MaskBits train() {
            return bits[RowSplit.TRAIN];
        }

        MaskBits validation() {
            return bits[RowSplit.VALIDATION];
        }

        /**
         * Frees the first block's output tiles once that block is solved: kept to the end, they
         * stayed beside every later block's tiles, one block's outputs more than the plan holds
         * (3.1 GiB at ResNet-50's 3 blocks).
         */
        void releaseFirstBlock() {
            for (int s = 0; s < firstBlock.length; s++) {
                if (firstBlock[s] != null) {
                    firstBlock[s].close();
                    firstBlock[s] = null;
                }
            }
        }

        @Override
        public void close() {
            closeAll(bits, firstBlock);
        }
    }

    private static void closeAll(MaskBits[] bits, TileMatrix[] tiles) {
        for (MaskBits b : bits) {
            if (b != null) {
                b.close();
            }
        }
        for (TileMatrix t : tiles) {
            if (t != null) {
                t.close();
            }
        }
    }

    private final NpyArray masks;
    private final NpyArray outputs;
    private final RowSplit split;
    private final int targetStart;
    private final int examples;
    private final boolean excludeNonFinite;
    private final Consumer<Progress> progress;
    private final Cancellation cancel;
    private final int components;

    StorePass(NpyArray masks, NpyArray outputs, RowSplit split, int targetStart, int targetEnd, boolean excludeNonFinite,
              Consumer<Progress> progress, Cancellation cancel) {
        this.masks = masks;
        this.outputs = outputs;
        this.split = split;
        this.targetStart = targetStart;
        this.examples = targetEnd - targetStart;
        this.excludeNonFinite = excludeNonFinite;
        this.progress = progress;
        this.cancel = cancel;
        this.components = Math.toIntExact(masks.rowLength());
    }

    /** Reads every selected row; {@code firstBlockWidth} output columns (from the first) are kept as tiles. */
    Masks readMasks(int firstBlockWidth) {
        long selected = split.train() + split.validation();
        if (selected >= EXACT_FLOAT_COUNT) {
            throw new WorkbenchException(masks.file() + ": " + selected + " rows selected; the fit counts rows exactly "
                    + "below 2^24 = 16,777,216 rows. Lower data.num_train / data.num_val");
        }
        int[] capacity = {0, (int) split.train(), (int) split.validation()};
        MaskBits[] bits = new MaskBits[3];
        SetSums[] sums = {null, new SetSums(examples), new SetSums(examples)};
        int[][] storeRows = {null, new int[capacity[1]], new int[capacity[2]]};
        TileMatrix[] tiles = new TileMatrix[3];
        List<Long> nonFinite = new ArrayList<>();
        boolean ok = false;
        try (NpyStream maskStream = NpyStream.open(masks, false); NpyStream outputStream = NpyStream.open(outputs, false)) {
            float[] shift = estimateShift(outputStream);
            boolean ablated = keepFractionOfFirstRow(maskStream) >= 0.5;
            for (int s = 1; s <= 2; s++) {
                bits[s] = MaskBits.allocate(components, capacity[s], ablated);
                tiles[s] = firstBlockWidth > 0 && capacity[s] > 0 ? TileMatrix.floats(capacity[s], firstBlockWidth) : null;
            }
            long rowBytes = (long) components * masks.dtype().itemSize() + (long) examples * outputs.dtype().itemSize();
            int chunkRows = (int) Math.max(1, Math.min(Math.min(4096, CHUNK_BYTES / Math.max(1, rowBytes)),
                    DECODED_BYTES / Math.max(1L, 4L * examples)));
            // The outputs' columns in halves (at a tile boundary), one per thread: decoding float16 and summing is
            // most of the reading's work, and columns are independent. Masks stay on one thread (bits fill in order).
            int halves = Parallel.threads() > 1 && examples >= 2 * TileMatrix.TILE ? 2 : 1;
            int middle = halves == 1 ? examples : (examples / 2 + TileMatrix.TILE - 1) / TileMatrix.TILE * TileMatrix.TILE;
            int[][] columns = halves == 1 ? new int[][] {{0, examples}} : new int[][] {{0, middle}, {middle, examples}};
            float[] decoded = new float[chunkRows * examples];
            boolean[][] finiteIn = new boolean[halves][chunkRows];
            int[] position = new int[chunkRows];
            long seen = 0;
            long reportEvery = Math.max(1, selected / 200);
            progress.accept(FitStages.reading(0, selected, "reading " + selected + " rows (masks and outputs)"));
            byte[] subset = split.subsetOfRow();
            for (int r0 = 0; r0 < subset.length; r0 += chunkRows) {
                cancel.throwIfCancelled();
                int count = Math.min(chunkRows, subset.length - r0);
                if (!anySelected(subset, r0, count)) {
                    continue;
                }
                MemorySegment rawMasks = maskStream.readSlices(r0, count, 0, components);
                MemorySegment rawOutputs = outputStream.readSlices(r0, count, targetStart, examples);
                int first = r0;
                Parallel.forEach(halves, cancel, h -> decode(outputStream, rawOutputs, subset, first, count, columns[h], decoded,
                        finiteIn[h]));
                for (int k = 0; k < count; k++) {
                    position[k] = -1;
                    int row = r0 + k;
                    int s = subset[row];
                    if (s == RowSplit.SKIP) {
                        continue;
                    }
                    if (++seen % reportEvery == 0) {
                        progress.accept(FitStages.reading(seen, selected, "reading rows"));
                    }
                    boolean finite = true;
                    for (boolean[] f : finiteIn) {
                        finite &= f[k];
                    }
                    if (!finite) {
                        nonFinite.add((long) row);
                        continue;
                    }
                    if (!nonFinite.isEmpty() && !excludeNonFinite) {
                        continue; // the fit will fail; only keep scanning to name every bad row
                    }
                    int at = sums[s].rows++;
                    storeRows[s][at] = row;
                    position[k] = at;
                }
                Parallel.forEach(halves, cancel, h -> {
                    if (h == 0) {
                        for (int k = 0; k < count; k++) {
                            if (position[k] >= 0) {
                                int row = first + k;
                                addMask(maskStream, rawMasks, (long) k * components, row, position[k], bits[subset[row]]);
                            }
                        }
                    }
                    accumulate(subset, first, count, position, columns[h], decoded, shift, sums, tiles);
                });
            }
            if (!nonFinite.isEmpty() && !excludeNonFinite) {
                throw nonFiniteFailure(nonFinite);
            }
            for (int s = 1; s <= 2; s++) {
                bits[s].finish(sums[s].rows);
                storeRows[s] = java.util.Arrays.copyOf(storeRows[s], sums[s].rows);
            }
            long set = bits[1].setBits() + bits[2].setBits();
            long total = (long) components * (sums[1].rows + sums[2].rows);
            if (total > 0 && set * 2 > total) {
                bits[1].flip();
                bits[2].flip();
                set = total - set;
            }
            progress.accept(FitStages.reading(selected, selected, "read " + selected + " rows"));
            ok = true;
            return new Masks(bits, sums, storeRows, tiles, shift, List.copyOf(nonFinite), total == 0 ? 0 : (double) set / total);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new WorkbenchException(masks.file().getParent() + ": reading the store failed (" + e.getMessage() + ")", e);
        } finally {
            if (!ok) {
                closeAll(bits, tiles);
            }
        }
    }

    /** Decodes columns [from, to) of the chunk's selected rows into {@code decoded} and says, per row, whether they are finite. */
    private void decode(NpyStream stream, MemorySegment raw, byte[] subset, int first, int count, int[] range, float[] decoded,
                        boolean[] finite) {
        int from = range[0];
        int width = range[1] - range[0];
        for (int k = 0; k < count; k++) {
            if (subset[first + k] == RowSplit.SKIP) {
                continue;
            }
            int at = k * examples + from;
            finite[k] = stream.floats(raw, (long) at, width, decoded, at);
        }
    }

    /**
     * For the chunk's kept rows (position ≥ 0) and columns [from, to): ỹ = y − shift (in place in {@code decoded}) into
     * the sums of the row's set and into its first-block tile. Each thread owns a column range, so nothing is shared;
     * {@code from} is at a tile boundary, so each tile's part of a row is one copy. The shift and the sums are
     * loops over contiguous columns, which C2 vectorises.
     */
    private static void accumulate(byte[] subset, int first, int count, int[] position, int[] range, float[] decoded, float[] shift,
                                   SetSums[] sums, TileMatrix[] tiles) {
        int from = range[0];
        int to = range[1];
        int examples = sums[RowSplit.TRAIN].examples;
        for (int k = 0; k < count; k++) {
            int at = position[k];
            if (at < 0) {
                continue;
            }
            int s = subset[first + k];
            double[] os = sums[s].outputSums;
            double[] oq = sums[s].outputSquares;
            int base = k * examples;
            for (int j = from; j < to; j++) {
                decoded[base + j] -= shift[j];
            }
            for (int j = from; j < to; j++) {
                double v = decoded[base + j];
                os[j] += v;
                oq[j] += v * v;
            }
            TileMatrix tile = tiles[s];
            int tiled = tile == null ? from : Math.min(to, tile.cols());
            for (int j = from; j < tiled; j += TileMatrix.TILE) {
                long into = ((long) (j / TileMatrix.TILE) * tile.rows() + at) * TileMatrix.TILE;
                MemorySegment.copy(decoded, base + j, tile.segment(), ValueLayout.JAVA_FLOAT, into * Float.BYTES,
                        Math.min(TileMatrix.TILE, tiled - j));
            }
        }
    }

    /**
     * Reads output columns [targetStart + first, + width) of the kept rows of set {@code s} into
     * {@code into} (one row per kept row, ỹ = y − shift).
     */
    void readOutputs(Masks read, int s, int first, int width, TileMatrix into) {
        int[] rows = read.storeRows()[s];
        float[] shift = read.shift();
        try (NpyStream stream = NpyStream.open(outputs, false)) {
            float[] values = new float[width];
            int chunk = (int) Math.max(1, Math.min(4096, CHUNK_BYTES / Math.max(1L, (long) width * outputs.dtype().itemSize())));
            for (int i0 = 0; i0 < rows.length; i0 += chunk) {
                cancel.throwIfCancelled();
                int i1 = Math.min(rows.length, i0 + chunk);
                // Rows of a set are increasing store rows; read their span once when it is dense, else row by row.
                int span = rows[i1 - 1] - rows[i0] + 1;
                if (span <= 2 * (i1 - i0)) {
                    MemorySegment raw = stream.readSlices(rows[i0], span, targetStart + first, width);
                    for (int i = i0; i < i1; i++) {
                        stream.floats(raw, (long) (rows[i] - rows[i0]) * width, width, values, 0);
                        shiftInto(values, shift, first, width);
                        into.setRow(i, values, 0);
                    }
                } else {
                    for (int i = i0; i < i1; i++) {
                        MemorySegment raw = stream.readSlices(rows[i], 1, targetStart + first, width);
                        stream.floats(raw, 0, width, values, 0);
                        shiftInto(values, shift, first, width);
                        into.setRow(i, values, 0);
                    }
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new WorkbenchException(outputs.file() + ": reading outputs failed (" + e.getMessage() + ")", e);
        }
    }

    private static void shiftInto(float[] values, float[] shift, int first, int width) {
        for (int j = 0; j < width; j++) {
            values[j] -= shift[first + j];
        }
    }

    private static boolean anySelected(byte[] subset, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (subset[i] != RowSplit.SKIP) {
                return true;
            }
        }
        return false;
    }

    /** Sets the bits of one row: s = 1 where the mask is 0 (ablated side) or 1 (kept side). */
    private void addMask(NpyStream stream, MemorySegment raw, long offset, int row, int position, MaskBits bits) {
        Dtype dtype = masks.dtype();
        boolean ablated = bits.ablatedSide();
        if (dtype.itemSize() == 1) {
            boolean strict = dtype != Dtype.BOOL;
            int i = 0;
            int bound = BYTES.loopBound(components);
            for (; i < bound; i += BYTES.length()) {
                ByteVector v = ByteVector.fromMemorySegment(BYTES, raw, offset + i, java.nio.ByteOrder.nativeOrder());
                if (strict && v.compare(VectorOperators.UGT, (byte) 1).anyTrue()) {
                    badMask(row, i, v);
                }
                long set = (ablated ? v.compare(VectorOperators.EQ, (byte) 0) : v.compare(VectorOperators.NE, (byte) 0)).toLong();
                while (set != 0) {
                    bits.add(position, i + Long.numberOfTrailingZeros(set));
                    set &= set - 1;
                }
            }
            for (; i < components; i++) {
                int b = raw.get(ValueLayout.JAVA_BYTE, offset + i) & 0xff;
                if (strict && b > 1) {
                    throw badValue(row, i, b);
                }
                if ((b == 0) == ablated) {
                    bits.add(position, i);
                }
            }
            return;
        }
        for (int i = 0; i < components; i++) {
            float x = stream.floatAt(raw, offset + i);
            if (x != 0 && x != 1) {
                throw badValue(row, i, x);
            }
            if ((x == 0) == ablated) {
                bits.add(position, i);
            }
        }
    }

    private void badMask(int row, int from, ByteVector v) {
        for (int lane = 0; lane < BYTES.length(); lane++) {
            int b = v.lane(lane) & 0xff;
            if (b > 1) {
                throw badValue(row, from + lane, b);
            }
        }
    }

    private WorkbenchException badValue(int row, int component, double value) {
        return new WorkbenchException(masks.file() + ": row " + row + ", component " + component + " has mask value "
                + (float) value
                + "; keep-masks must be 0/1 (numpy bool_: True = kept). Rebuild the store's masks as bool_");
    }

    private double keepFractionOfFirstRow(NpyStream stream) {
        byte[] subset = split.subsetOfRow();
        for (int row = 0; row < subset.length; row++) {
            if (subset[row] != RowSplit.SKIP) {
                MemorySegment raw = stream.readSlices(row, 1, 0, components);
                long kept = 0;
                for (int i = 0; i < components; i++) {
                    kept += stream.floatAt(raw, i) != 0 ? 1 : 0;
                }
                return components == 0 ? 1 : (double) kept / components;
            }
        }
        return 1;
    }

    /** Mean of the first few selected rows' finite outputs: close enough to the output mean to avoid cancellation. */
    private float[] estimateShift(NpyStream stream) {
        double[] sum = new double[examples];
        float[] row = new float[examples];
        int used = 0;
        byte[] subset = split.subsetOfRow();
        for (int r = 0; r < subset.length && used < SHIFT_ROWS; r++) {
            if (subset[r] == RowSplit.SKIP) {
                continue;
            }
            MemorySegment raw = stream.readSlices(r, 1, targetStart, examples);
            if (stream.floats(raw, 0, examples, row, 0)) {
                for (int j = 0; j < examples; j++) {
                    sum[j] += row[j];
                }
                used++;
            }
        }
        float[] shift = new float[examples];
        for (int j = 0; j < examples && used > 0; j++) {
            shift[j] = (float) (sum[j] / used);
        }
        return shift;
    }

    private WorkbenchException nonFiniteFailure(List<Long> rows) {
        String named = rows.stream().limit(NAMED_BAD_ROWS).map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("");
        return new WorkbenchException(outputs.file() + ": NaN or Inf outputs (in columns " + targetStart + ".."
                + (targetStart + examples - 1) + ") in " + rows.size() + " selected completed row" + (rows.size() == 1 ? "" : "s")
                + ": row" + (rows.size() == 1 ? " " : "s ") + named + (rows.size() > NAMED_BAD_ROWS ? ", ..." : "")
                + ". Rebuild those rows, or fit without them with --exclude-non-finite (workbench.exclude_non_finite: true)");
    }
}
