package org.coar.workbench.fit.sparse;

import java.util.function.IntConsumer;
import org.coar.workbench.job.Cancellation;

/**
 * Co-occurrence counts Σ_r s_ra·s_rb for every pair of components (a ≥ b), over the training and
 * the validation rows at once, by AND and popcount of the bit-packed masks: one 64-bit word covers
 * 64 rows, so this is ~10× less work than the float rank-k update it replaces and exact for any
 * number of rows. Counts are handed out per block of pairs, so no p × p count matrix is ever held.
 */
public final class PopcountGram {
    /** Components per side of a block of pairs. */
    public static final int BLOCK = 64;
    /** Words of each component held in the inner loops' buffers at a time (2 KiB per component). */
    private static final int CHUNK = 256;

    /** Receives the counts of one block of pairs. */
    public interface Sink {
        /**
         * Counts for components {@code order[a0 + i]} × {@code order[b0 + k]} at {@code [i * BLOCK + k]},
         * for i < rowsA, k < colsB; in a diagonal block (a0 == b0) only k ≤ i is meaningful.
         * Called from several threads, each block once.
         */
        void block(int a0, int b0, int rowsA, int colsB, int[] train, int[] validation);
    }

    private PopcountGram() {
    }

    /** Blocks of pairs, for progress: (n/B)(n/B + 1)/2. */
    public static long blockCount(int count) {
        long b = (count + BLOCK - 1) / BLOCK;
        return b * (b + 1) / 2;
    }

    /**
     * Counts over {@code train} and {@code validation} (null when there are no validation rows) for
     * the components {@code order} (indices into the bits), calling {@code sink} for every block of
     * the lower triangle. {@code blockDone} is told each block row finished (for progress).
     */
    public static void count(MaskBits train, MaskBits validation, int[] order, Sink sink, Cancellation cancel,
                             IntConsumer blockDone) {
        int n = order.length;
        int blocks = (n + BLOCK - 1) / BLOCK;
        // Block rows take time in proportion to their index: hand the heavy ones out first.
        Parallel.forEach(blocks, cancel, t -> {
            int ib = blocks - 1 - t;
            int a0 = ib * BLOCK;
            int rowsA = Math.min(BLOCK, n - a0);
            int[] ct = new int[BLOCK * BLOCK];
            int[] cv = new int[BLOCK * BLOCK];
            long[] bufA = new long[BLOCK * CHUNK];
            long[] bufB = new long[BLOCK * CHUNK];
            for (int jb = 0; jb <= ib; jb++) {
                if (cancel.isCancelled()) {
                    return;
                }
                int b0 = jb * BLOCK;
                int colsB = Math.min(BLOCK, n - b0);
                java.util.Arrays.fill(ct, 0);
                java.util.Arrays.fill(cv, 0);
                accumulate(train, order, a0, rowsA, b0, colsB, a0 == b0, bufA, bufB, ct);
                if (validation != null) {
                    accumulate(validation, order, a0, rowsA, b0, colsB, a0 == b0, bufA, bufB, cv);
                }
                sink.block(a0, b0, rowsA, colsB, ct, cv);
            }
            blockDone.accept(ib);
        });
    }

    private static void accumulate(MaskBits bits, int[] order, int a0, int rowsA, int b0, int colsB, boolean diagonal,
                                   long[] bufA, long[] bufB, int[] out) {
        int words = bits.words();
        for (int k0 = 0; k0 < words; k0 += CHUNK) {
            int len = Math.min(CHUNK, words - k0);
            load(bits, order, a0, rowsA, k0, len, bufA);
            if (!diagonal) {
                load(bits, order, b0, colsB, k0, len, bufB);
            }
            long[] b = diagonal ? bufA : bufB;
            int i = 0;
            for (; i + 3 < rowsA; i += 4) {
                int limit = diagonal ? Math.min(colsB, i + 4) : colsB;
                int k = 0;
                for (; k + 1 < limit; k += 2) {
                    kernel4x2(bufA, i, b, k, len, out);
                }
                for (; k < limit; k++) {
                    for (int d = 0; d < 4; d++) {
                        out[(i + d) * BLOCK + k] += dot(bufA, i + d, b, k, len);
                    }
                }
            }
            for (; i < rowsA; i++) {
                int limit = diagonal ? i + 1 : colsB;
                for (int k = 0; k < limit; k++) {
                    out[i * BLOCK + k] += dot(bufA, i, b, k, len);
                }
            }
        }
    }

    /** Words [k0, k0 + len) of components order[first..first+count) into buf, CHUNK apart. */
    private static void load(MaskBits bits, int[] order, int first, int count, int k0, int len, long[] buf) {
        for (int c = 0; c < count; c++) {
            int component = order[first + c];
            for (int w = 0; w < len; w++) {
                buf[c * CHUNK + w] = bits.word(component, k0 + w);
            }
        }
    }

    private static int dot(long[] a, int i, long[] b, int k, int len) {
        int ai = i * CHUNK;
        int bk = k * CHUNK;
        int c = 0;
        for (int w = 0; w < len; w++) {
            c += Long.bitCount(a[ai + w] & b[bk + w]);
        }
        return c;
    }

    /** Four components of A against two of B: 6 loads feed 8 AND+popcounts per word. */
    private static void kernel4x2(long[] a, int i, long[] b, int k, int len, int[] out) {
        int a0 = i * CHUNK;
        int a1 = a0 + CHUNK;
        int a2 = a1 + CHUNK;
        int a3 = a2 + CHUNK;
        int b0 = k * CHUNK;
        int b1 = b0 + CHUNK;
        int c00 = 0;
        int c01 = 0;
        int c10 = 0;
        int c11 = 0;
        int c20 = 0;
        int c21 = 0;
        int c30 = 0;
        int c31 = 0;
        for (int w = 0; w < len; w++) {
            long x0 = a[a0 + w];
            long x1 = a[a1 + w];
            long x2 = a[a2 + w];
            long x3 = a[a3 + w];
            long y0 = b[b0 + w];
            long y1 = b[b1 + w];
            c00 += Long.bitCount(x0 & y0);
            c01 += Long.bitCount(x0 & y1);
            c10 += Long.bitCount(x1 & y0);
            c11 += Long.bitCount(x1 & y1);
            c20 += Long.bitCount(x2 & y0);
            c21 += Long.bitCount(x2 & y1);
            c30 += Long.bitCount(x3 & y0);
            c31 += Long.bitCount(x3 & y1);
        }
        int r = i * BLOCK + k;
        out[r] += c00;
        out[r + 1] += c01;
        out[r + BLOCK] += c10;
        out[r + BLOCK + 1] += c11;
        out[r + 2 * BLOCK] += c20;
        out[r + 2 * BLOCK + 1] += c21;
        out[r + 3 * BLOCK] += c30;
        out[r + 3 * BLOCK + 1] += c31;
    }
}
