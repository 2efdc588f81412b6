package org.coar.workbench.fit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.npy.NpyArray;

/**
 * One streamed pass over a store's selected rows, accumulating {@link SufficientStatistics} for
 * the training and the validation rows at once. A reader thread converts rows (bool masks,
 * float16 outputs) from the memory-mapped arrays into float blocks of {@code blockRows} rows while
 * the calling thread runs the GEMMs of the previous block; at most {@value #BLOCKS} blocks exist,
 * so memory does not grow with the store.
 *
 * <p>Precision: XᵀX is accumulated in float32, exact for 0/1 masks while counts stay below 2^24
 * rows. Ỹᵀ X is accumulated in float32 GEMMs and folded into float64 every {@value #FOLD_ROWS}
 * rows, on outputs shifted by an early estimate of their mean.
 */
final class StatisticsPass {
    static final byte SKIP = 0;
    static final byte TRAIN = 1;
    static final byte VALIDATION = 2;

    private static final int BLOCKS = 4;
    private static final long BLOCK_BYTES = 128L << 20;
    private static final int FOLD_ROWS = 8192;
    private static final int SHIFT_ROWS = 256;
    private static final long EXACT_COUNT_LIMIT = 1L << 24;
    private static final int NAMED_BAD_ROWS = 20;

    /** Statistics of both sets, the rows dropped for non-finite outputs, and GEMM work done. */
    record Result(SufficientStatistics train, SufficientStatistics validation, List<Long> nonFiniteRows,
                  double gemmFlops, double gemmSeconds, double readerSeconds, double waitSeconds) {
    }

    private record Block(Matrix x, Matrix y, int[] fill, byte[] subset) {
        int rows() {
            return fill[0];
        }
    }

    private static final Block END = new Block(null, null, new int[1], new byte[1]);

    private final LinearAlgebra la;
    private final NpyArray masks;
    private final NpyArray outputs;
    private final byte[] subsetOfRow;
    private final int targetStart;
    private final int examples;
    private final boolean excludeNonFinite;
    private final int blockRows;
    private final Consumer<FitProgress> progress;
    private final AtomicBoolean cancel;
    private final int components;

    StatisticsPass(LinearAlgebra la, NpyArray masks, NpyArray outputs, byte[] subsetOfRow, int targetStart, int targetEnd,
                   boolean excludeNonFinite, int blockRows, Consumer<FitProgress> progress, AtomicBoolean cancel) {
        this.la = la;
        this.masks = masks;
        this.outputs = outputs;
        this.subsetOfRow = subsetOfRow;
        this.targetStart = targetStart;
        this.examples = targetEnd - targetStart;
        this.excludeNonFinite = excludeNonFinite;
        // Blocks hold (components + examples) floats per row; keep each under ~128 MiB so very wide outputs stay cheap.
        this.blockRows = (int) Math.max(64, Math.min(blockRows, BLOCK_BYTES / (4L * (masks.rowLength() + targetEnd - targetStart))));
        this.progress = progress;
        this.cancel = cancel;
        this.components = Math.toIntExact(masks.rowLength());
    }

    Result run() {
        long selected = 0;
        for (byte s : subsetOfRow) {
            if (s != SKIP) {
                selected++;
            }
        }
        if (selected >= EXACT_COUNT_LIMIT) {
            throw new WorkbenchException(masks.file() + ": " + selected + " rows selected; float32 mask counts stay exact only "
                    + "below 2^24 = 16,777,216 rows. Lower data.num_train / data.num_val");
        }
        float[] shift = estimateShift();

        BlockingQueue<Block> free = new ArrayBlockingQueue<>(BLOCKS);
        BlockingQueue<Block> filled = new ArrayBlockingQueue<>(BLOCKS + 1);
        List<Matrix> allocated = new ArrayList<>();
        Accumulator[] acc = new Accumulator[3];
        try {
            for (int i = 0; i < BLOCKS; i++) {
                Matrix x = la.zeros(Precision.FLOAT, blockRows, components);
                Matrix y = la.zeros(Precision.FLOAT, blockRows, examples);
                allocated.add(x);
                allocated.add(y);
                free.add(new Block(x, y, new int[1], new byte[1]));
            }
            acc[TRAIN] = new Accumulator();
            acc[VALIDATION] = new Accumulator();

            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> readerFailure = new AtomicReference<>();
            Reader reader = new Reader(shift, selected, free, filled, stop);
            Thread thread = Thread.ofPlatform().name("coar-fit-reader").daemon().start(() -> {
                try {
                    reader.read();
                } catch (Throwable t) {
                    readerFailure.set(t);
                } finally {
                    filled.add(END);
                }
            });
            double flops = 0;
            long gemmNanos = 0;
            long waitNanos = 0;
            try {
                while (true) {
                    long w0 = System.nanoTime();
                    Block block = filled.take();
                    waitNanos += System.nanoTime() - w0;
                    if (block == END) {
                        break;
                    }
                    long t0 = System.nanoTime();
                    acc[block.subset()[0]].add(block);
                    gemmNanos += System.nanoTime() - t0;
                    flops += (double) block.rows() * components * components + 2.0 * block.rows() * components * examples;
                    block.fill()[0] = 0;
                    free.add(block);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FitCancelledException();
            } finally {
                stop.set(true);
                joinQuietly(thread);
            }
            if (readerFailure.get() != null) {
                Throwable t = readerFailure.get();
                if (t instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("reading the store failed", t);
            }
            if (cancel.get()) {
                throw new FitCancelledException();
            }
            if (!reader.nonFinite.isEmpty() && !excludeNonFinite) {
                throw nonFiniteFailure(reader.nonFinite);
            }
            SufficientStatistics train = acc[TRAIN].finish(reader.counts[TRAIN], reader.maskSums[TRAIN], reader.outputSums[TRAIN],
                    reader.outputSquares[TRAIN], shift);
            SufficientStatistics validation = acc[VALIDATION].finish(reader.counts[VALIDATION], reader.maskSums[VALIDATION],
                    reader.outputSums[VALIDATION], reader.outputSquares[VALIDATION], shift);
            return new Result(train, validation, List.copyOf(reader.nonFinite), flops, gemmNanos / 1e9, reader.busyNanos / 1e9,
                    waitNanos / 1e9);
        } finally {
            allocated.forEach(la::free);
            for (Accumulator a : acc) {
                if (a != null) {
                    a.freeTemporaries();
                }
            }
        }
    }

    private WorkbenchException nonFiniteFailure(List<Long> rows) {
        String named = rows.stream().limit(NAMED_BAD_ROWS).map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("");
        return new WorkbenchException(outputs.file() + ": NaN or Inf outputs (in columns " + targetStart + ".."
                + (targetStart + examples - 1) + ") in " + rows.size() + " selected completed row" + (rows.size() == 1 ? "" : "s")
                + ": row" + (rows.size() == 1 ? " " : "s ") + named + (rows.size() > NAMED_BAD_ROWS ? ", ..." : "")
                + ". Rebuild those rows, or fit without them with --exclude-non-finite (workbench.exclude_non_finite: true)");
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Mean of the first few selected rows' finite outputs: close enough to the output mean to avoid cancellation. */
    private float[] estimateShift() {
        double[] sum = new double[examples];
        float[] row = new float[Math.toIntExact(outputs.rowLength())];
        int used = 0;
        for (int r = 0; r < subsetOfRow.length && used < SHIFT_ROWS; r++) {
            if (subsetOfRow[r] == SKIP) {
                continue;
            }
            outputs.readRows(r, 1, row);
            boolean finite = true;
            for (int j = 0; j < examples && finite; j++) {
                finite = Float.isFinite(row[targetStart + j]);
            }
            if (finite) {
                for (int j = 0; j < examples; j++) {
                    sum[j] += row[targetStart + j];
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

    /** GEMM accumulation for one set of rows. */
    private final class Accumulator {
        private final Matrix gramF = la.zeros(Precision.FLOAT, components, components);
        private final Matrix crossF = la.zeros(Precision.FLOAT, examples, components);
        private final Matrix cross = la.zeros(Precision.DOUBLE, examples, components);
        private long sinceFold;
        private boolean crossHandedOut;

        void add(Block block) {
            Matrix x = block.x().topRows(block.rows());
            Matrix y = block.y().topRows(block.rows());
            la.gramLower(1, x, 1, gramF);
            la.gemm(1, y, true, x, false, 1, crossF);
            sinceFold += block.rows();
            if (sinceFold >= FOLD_ROWS) {
                fold();
            }
        }

        private void fold() {
            MemorySegment f = crossF.segment();
            MemorySegment d = cross.segment();
            long n = crossF.size();
            for (long i = 0; i < n; i++) {
                d.setAtIndex(ValueLayout.JAVA_DOUBLE, i, d.getAtIndex(ValueLayout.JAVA_DOUBLE, i) + f.getAtIndex(ValueLayout.JAVA_FLOAT, i));
            }
            crossF.fill(0);
            sinceFold = 0;
        }

        SufficientStatistics finish(long rows, long[] maskSums, double[] outputSums, double[] outputSquares, float[] shift) {
            fold();
            Matrix gram = la.zeros(Precision.DOUBLE, components, components);
            for (int i = 0; i < components; i++) {
                for (int j = 0; j <= i; j++) {
                    double v = gramF.get(i, j);
                    gram.set(i, j, v);
                    gram.set(j, i, v);
                }
            }
            double[] sums = new double[components];
            for (int i = 0; i < components; i++) {
                sums[i] = maskSums[i];
            }
            crossHandedOut = true;
            return new SufficientStatistics(la, rows, sums, gram, cross, outputSums, outputSquares, shift);
        }

        void freeTemporaries() {
            la.free(gramF);
            la.free(crossF);
            if (!crossHandedOut) {
                la.free(cross);
            }
        }
    }

    /** Runs on the reader thread: converts rows into blocks, one block per set being filled. */
    private final class Reader {
        private final float[] shift;
        private final long selected;
        private final BlockingQueue<Block> free;
        private final BlockingQueue<Block> filled;
        private final AtomicBoolean stop;
        final List<Long> nonFinite = new ArrayList<>();
        final long[] counts = new long[3];
        final long[][] maskSums = new long[3][components];
        final double[][] outputSums = new double[3][examples];
        final double[][] outputSquares = new double[3][examples];
        /** Time spent reading and converting, excluding waits for a free block. */
        long busyNanos;

        Reader(float[] shift, long selected, BlockingQueue<Block> free, BlockingQueue<Block> filled, AtomicBoolean stop) {
            this.shift = shift;
            this.selected = selected;
            this.free = free;
            this.filled = filled;
            this.stop = stop;
        }

        void read() throws InterruptedException {
            long started = System.nanoTime();
            long waited = 0;
            try {
                waited = readRows();
            } finally {
                busyNanos = System.nanoTime() - started - waited;
            }
        }

        /** Returns the nanoseconds spent waiting for free blocks. */
        private long readRows() throws InterruptedException {
            long waited = 0;
            float[] maskRow = new float[components];
            float[] outputRow = new float[Math.toIntExact(outputs.rowLength())];
            float[] shifted = new float[examples];
            Block[] filling = new Block[3];
            long seen = 0;
            long reportEvery = Math.max(1, selected / 200);
            progress.accept(new FitProgress(FitProgress.Stage.READING, 0, selected, "reading " + selected + " rows"));
            for (int row = 0; row < subsetOfRow.length; row++) {
                byte s = subsetOfRow[row];
                if (s == SKIP) {
                    continue;
                }
                if (cancel.get() || stop.get()) {
                    return waited;
                }
                seen++;
                if (seen % reportEvery == 0) {
                    progress.accept(new FitProgress(FitProgress.Stage.READING, seen, selected, "reading rows"));
                }
                outputs.readRows(row, 1, outputRow);
                if (!finite(outputRow)) {
                    nonFinite.add((long) row);
                    continue;
                }
                if (!nonFinite.isEmpty() && !excludeNonFinite) {
                    continue; // the fit will fail; only keep scanning to name every bad row
                }
                masks.readRows(row, 1, maskRow);
                checkMask(row, maskRow);
                Block block = filling[s];
                if (block == null) {
                    long w0 = System.nanoTime();
                    block = take();
                    waited += System.nanoTime() - w0;
                    if (block == null) {
                        return waited;
                    }
                    block.subset()[0] = s;
                    filling[s] = block;
                }
                int at = block.rows();
                MemorySegment.copy(maskRow, 0, block.x().segment(), ValueLayout.JAVA_FLOAT, (long) at * components * 4, components);
                long[] ms = maskSums[s];
                for (int i = 0; i < components; i++) {
                    if (maskRow[i] != 0) {
                        ms[i]++;
                    }
                }
                double[] os = outputSums[s];
                double[] oq = outputSquares[s];
                for (int j = 0; j < examples; j++) {
                    float v = outputRow[targetStart + j] - shift[j];
                    shifted[j] = v;
                    os[j] += v;
                    oq[j] += (double) v * v;
                }
                MemorySegment.copy(shifted, 0, block.y().segment(), ValueLayout.JAVA_FLOAT, (long) at * examples * 4, examples);
                counts[s]++;
                block.fill()[0] = at + 1;
                if (at + 1 == blockRows) {
                    filled.put(block);
                    filling[s] = null;
                }
            }
            for (Block block : filling) {
                if (block != null && block.rows() > 0) {
                    filled.put(block);
                }
            }
            progress.accept(new FitProgress(FitProgress.Stage.READING, selected, selected, "read " + selected + " rows"));
            return waited;
        }

        private Block take() throws InterruptedException {
            while (!stop.get() && !cancel.get()) {
                Block b = free.poll(100, TimeUnit.MILLISECONDS);
                if (b != null) {
                    return b;
                }
            }
            return null;
        }

        private boolean finite(float[] row) {
            for (int j = 0; j < examples; j++) {
                if (!Float.isFinite(row[targetStart + j])) {
                    return false;
                }
            }
            return true;
        }

        private void checkMask(int row, float[] mask) {
            for (int i = 0; i < components; i++) {
                if (mask[i] != 0 && mask[i] != 1) {
                    throw new WorkbenchException(masks.file() + ": row " + row + ", component " + i + " has mask value " + mask[i]
                            + "; keep-masks must be 0/1 (numpy bool_: True = kept). Rebuild the store's masks as bool_");
                }
            }
        }
    }
}
