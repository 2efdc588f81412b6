package org.coar.workbench.fit.sparse;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The set bits of a {@link MaskBits} listed once: for every block of {@link #BLOCK_ROWS} rows and
 * every component, the rows (16-bit offsets within the block) where s = 1. The gather and scatter
 * kernels walk these lists instead of decoding the bit words again for every tile of outputs: a
 * loop of known length has no branch to mispredict per word, which makes each gathered row
 * 2–3× cheaper. Costs 2 bytes per set bit (CIFAR's training rows: 10 MiB; GPT-2's: 600 MiB).
 */
public final class RowLists implements AutoCloseable {
    /** Rows per block: 2,048 rows of a float tile are 256 KiB, an L2's worth. */
    public static final int BLOCK_ROWS = 64 * SparseProducts.BLOCK_WORDS;

    private final Arena arena;
    private final int components;
    private final int blocks;
    private final int[] start;
    private final MemorySegment rows;

    private RowLists(Arena arena, int components, int blocks, int[] start, MemorySegment rows) {
        this.arena = arena;
        this.components = components;
        this.blocks = blocks;
        this.start = start;
        this.rows = rows;
    }

    /** Bytes the lists of {@code bits} take. */
    public static long bytesFor(MaskBits bits) {
        long blocks = (bits.rows() + BLOCK_ROWS - 1) / BLOCK_ROWS;
        return 2 * bits.setBits() + 4 * blocks * (bits.components() + 1L);
    }

    static RowLists of(MaskBits bits) {
        int p = bits.components();
        int blocks = Math.max(1, (bits.rows() + BLOCK_ROWS - 1) / BLOCK_ROWS);
        long total = bits.setBits();
        if (total > Integer.MAX_VALUE) {
            throw new IllegalStateException(total + " set bits: too many for row lists");
        }
        Arena arena = Arena.ofShared();
        MemorySegment rows = arena.allocate(Math.max(2, 2 * total), 64);
        int[] start = new int[blocks * (p + 1)];
        int at = 0;
        int words = bits.words();
        for (int b = 0; b < blocks; b++) {
            int w0 = b * SparseProducts.BLOCK_WORDS;
            int w1 = Math.min(words, w0 + SparseProducts.BLOCK_WORDS);
            for (int i = 0; i < p; i++) {
                start[b * (p + 1) + i] = at;
                for (int w = w0; w < w1; w++) {
                    long word = bits.word(i, w);
                    while (word != 0) {
                        rows.setAtIndex(ValueLayout.JAVA_CHAR, at++, (char) (((w - w0) << 6) + Long.numberOfTrailingZeros(word)));
                        word &= word - 1;
                    }
                }
            }
            start[b * (p + 1) + p] = at;
        }
        return new RowLists(arena, p, blocks, start, rows);
    }

    int blocks() {
        return blocks;
    }

    /** First list entry of component i in block b; its entries end at {@code from(b, i + 1)}. */
    int from(int block, int component) {
        return start[block * (components + 1) + component];
    }

    int to(int block, int component) {
        return start[block * (components + 1) + component + 1];
    }

    MemorySegment rows() {
        return rows;
    }

    @Override
    public void close() {
        arena.close();
    }
}
