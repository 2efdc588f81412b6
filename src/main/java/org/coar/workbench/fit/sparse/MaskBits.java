package org.coar.workbench.fit.sparse;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One set of rows' keep-masks (the training or the validation rows), bit-packed by component:
 * bit r of component i's words says whether row r has s = 1, where s is the sparser side of the
 * masks — the ablated indicator 1 − x at the usual keep probabilities (α = 0.05: 5 % of the bits
 * set), or x itself when most components are ablated. Every statistic of the fit follows from
 * these bits: Sᵀ S by popcount, Sᵀ Y and S U by gathering only the set bits. 2,304 components ×
 * 50,000 rows take 14 MiB; GPT-2's 64,512 × 100,000, 806 MiB.
 *
 * <p>Filled row by row through {@link #add} by one thread: the words of the current 64 rows are
 * staged per component and stored once they are complete, so filling never walks the whole
 * component-major array per row.
 */
public final class MaskBits implements AutoCloseable {
    private final Arena arena;
    private final int components;
    private final int capacity;
    private final int words;
    private final MemorySegment bits;
    private final long[] counts;
    private final long[] staged;
    private int stagedWord = -1;
    private int rows;
    private boolean ablatedSide;
    private RowLists lists;

    private MaskBits(int components, int capacity, boolean ablatedSide) {
        this.arena = Arena.ofShared();
        this.components = components;
        this.capacity = capacity;
        this.words = Math.max(1, (capacity + 63) >>> 6);
        this.bits = arena.allocate((long) components * words * Long.BYTES, 64);
        this.counts = new long[components];
        this.staged = new long[components];
        this.ablatedSide = ablatedSide;
    }

    /** Empty bits for up to {@code capacity} rows; {@code ablatedSide} says which side {@link #add} records. */
    public static MaskBits allocate(int components, int capacity, boolean ablatedSide) {
        return new MaskBits(components, capacity, ablatedSide);
    }

    /** Bytes {@link #allocate} takes for this shape (the memory plan's figure). */
    public static long bytesFor(long components, long rows) {
        return components * Math.max(1, (rows + 63) >>> 6) * Long.BYTES + components * 16;
    }

    /** Records s = 1 for (row, component); rows in increasing order, then {@link #finish}. */
    public void add(int row, int component) {
        int word = row >>> 6;
        if (word != stagedWord) {
            flushStaged();
            stagedWord = word;
        }
        staged[component] |= 1L << (row & 63);
        counts[component]++;
        rows = Math.max(rows, row + 1);
    }

    /** Declares the number of rows (rows after the last {@link #add} may have no bit set) and stores the last words. */
    public void finish(int rowCount) {
        if (rowCount > capacity) {
            throw new IllegalArgumentException(rowCount + " rows in bits for " + capacity);
        }
        flushStaged();
        rows = rowCount;
    }

    private void flushStaged() {
        if (stagedWord < 0) {
            return;
        }
        for (int i = 0; i < components; i++) {
            if (staged[i] != 0) {
                bits.setAtIndex(ValueLayout.JAVA_LONG, (long) i * words + stagedWord, staged[i]);
                staged[i] = 0;
            }
        }
        stagedWord = -1;
    }

    /**
     * Flips the recorded side (s ↦ 1 − s) when it turned out to be the denser one, so that s is
     * always the sparser side; bits past the last row stay 0.
     */
    public void flip() {
        if (lists != null) {
            throw new IllegalStateException("flip before listing the rows");
        }
        int used = (rows + 63) >>> 6;
        long tail = (rows & 63) == 0 ? -1L : (1L << (rows & 63)) - 1;
        for (int i = 0; i < components; i++) {
            long base = (long) i * words;
            for (int w = 0; w < used; w++) {
                long v = ~bits.getAtIndex(ValueLayout.JAVA_LONG, base + w);
                bits.setAtIndex(ValueLayout.JAVA_LONG, base + w, w == used - 1 ? v & tail : v);
            }
            counts[i] = rows - counts[i];
        }
        ablatedSide = !ablatedSide;
    }

    /** True when s = 1 − x (the ablated components); false when s = x. */
    public boolean ablatedSide() {
        return ablatedSide;
    }

    public int components() {
        return components;
    }

    public int rows() {
        return rows;
    }

    /** 64-bit words per component that hold rows (the rest of the allocation is zero). */
    public int words() {
        return Math.max(1, (rows + 63) >>> 6);
    }

    /** Rows with s = 1, per component (Σ_r s_ri). */
    public long count(int component) {
        return counts[component];
    }

    /** Total set bits over all components. */
    public long setBits() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /** Word {@code word} of component {@code component}'s bits. */
    public long word(int component, int word) {
        return bits.getAtIndex(ValueLayout.JAVA_LONG, (long) component * words + word);
    }

    /**
     * Lists the set bits by block of rows and component ({@link RowLists}, {@link RowLists#bytesFor}
     * bytes), which the gather and scatter kernels then use; call once the bits are final.
     */
    public void listRows() {
        if (lists == null) {
            lists = RowLists.of(this);
        }
    }

    /** Whether {@link #listRows} was called. */
    public boolean listed() {
        return lists != null;
    }

    /** The row lists, or null before {@link #listRows}. */
    RowLists lists() {
        return lists;
    }

    /** s for (row, component). */
    public boolean get(int row, int component) {
        return (word(component, row >>> 6) >>> (row & 63) & 1) != 0;
    }

    @Override
    public void close() {
        if (lists != null) {
            lists.close();
        }
        arena.close();
    }
}
