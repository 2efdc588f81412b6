package org.coar.workbench.fit.sparse;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.job.Cancellation;

/**
 * The two products of the sparse mask side S (bits) with dense matrices that the fit needs,
 * touching only the set bits (5 % of the entries at α = 0.05, where a dense GEMM would multiply
 * every one): {@code C += Sᵀ Y} (gather: for each component, sum the rows of Y where it is set) and
 * {@code P += S U} (scatter: add each component's row of U to the rows where it is set). Work is
 * split by column tile across threads, rows are walked in blocks that keep a tile in L2, and the
 * innermost loop is SIMD through the JDK's Vector API (4 × 8 floats per row of a tile).
 */
public final class SparseProducts {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    /** Rows walked per block: 2,048 rows of a float tile are 256 KiB. */
    static final int BLOCK_WORDS = 32;

    private SparseProducts() {
    }

    /**
     * One tile column (components × {@link TileMatrix#TILE} doubles) per kernel thread, reused across a call's
     * tiles: allocated per tile it was 5.8 MB at ResNet-50's width (16.5 MB at GPT-2's), a humongous object for
     * G1 every few milliseconds and heap the memory plan does not count.
     */
    private static ThreadLocal<double[]> tileColumnScratch(int components) {
        return ThreadLocal.withInitial(() -> new double[components * TileMatrix.TILE]);
    }

    /**
     * {@code c[a][j] += Σ_r s(r, order[a]) · y[r][j]} for every component a of {@code order} and
     * column j of {@code y}; {@code c} is an order.length × y.cols() double matrix (row-major) and
     * {@code y} a tile matrix (float or double) with a row for every row of {@code bits} (more are ignored).
     */
    public static void gather(MaskBits bits, int[] order, TileMatrix y, Matrix c, Cancellation cancel) {
        check(bits.rows() <= y.rows() && c.rows() == order.length && c.cols() == y.cols() && c.precision() == Precision.DOUBLE,
                "gather shapes");
        int tiles = y.tiles();
        int rows = y.rows();
        int cols = y.cols();
        MemorySegment ys = y.segment();
        MemorySegment cs = c.segment();
        boolean isDouble = y.isDouble();
        ThreadLocal<double[]> scratch = tileColumnScratch(order.length);
        Parallel.forEach(tiles, cancel, t -> {
            int width = Math.min(TileMatrix.TILE, cols - t * TileMatrix.TILE);
            long tileBase = (long) t * rows * TileMatrix.TILE;
            // This tile's column of c, contiguous: c's rows are a whole output block apart (one page or more each),
            // so adding into c per row block would touch every component's page again and again.
            double[] local = scratch.get();
            Arrays.fill(local, 0);
            float[] part = new float[TileMatrix.TILE];
            double[] partD = new double[TileMatrix.TILE];
            RowLists lists = bits.lists();
            for (int w0 = 0, block = 0; w0 < bits.words(); w0 += BLOCK_WORDS, block++) {
                int w1 = Math.min(bits.words(), w0 + BLOCK_WORDS);
                // One call per block of rows, each path its own method: the JIT compiles small, often-called
                // methods with the Vector API intrinsified, and one path's profile never deoptimises the other.
                if (lists != null) {
                    gatherBlockListed(lists, block, order, ys, tileBase + (long) w0 * 64 * TileMatrix.TILE, isDouble, local, part, partD);
                } else {
                    gatherBlockBits(bits, w0, w1, order, ys, tileBase, isDouble, local, part, partD);
                }
            }
            for (int a = 0; a < order.length; a++) {
                long at = (long) a * cols + (long) t * TileMatrix.TILE;
                for (int j = 0; j < width; j++) {
                    cs.setAtIndex(ValueLayout.JAVA_DOUBLE, at + j, cs.getAtIndex(ValueLayout.JAVA_DOUBLE, at + j) + local[a * TileMatrix.TILE + j]);
                }
            }
        });
    }

    private static void gatherBlockListed(RowLists lists, int block, int[] order, MemorySegment ys, long blockBase, boolean isDouble,
                                          double[] local, float[] part, double[] partD) {
        MemorySegment rows = lists.rows();
        for (int a = 0; a < order.length; a++) {
            int from = lists.from(block, order[a]);
            int to = lists.to(block, order[a]);
            if (isDouble) {
                gatherDoubleListed(rows, from, to, ys, blockBase, partD);
            } else {
                gatherFloatListed(rows, from, to, ys, blockBase, part, partD);
            }
            addInto(local, a * TileMatrix.TILE, partD);
        }
    }

    private static void gatherBlockBits(MaskBits bits, int w0, int w1, int[] order, MemorySegment ys, long tileBase, boolean isDouble,
                                        double[] local, float[] part, double[] partD) {
        for (int a = 0; a < order.length; a++) {
            if (isDouble) {
                gatherDoubleRows(bits, order[a], w0, w1, ys, tileBase, partD);
            } else {
                gatherFloatRows(bits, order[a], w0, w1, ys, tileBase, part, partD);
            }
            addInto(local, a * TileMatrix.TILE, partD);
        }
    }

    private static void addInto(double[] local, int at, double[] part) {
        for (int j = 0; j < TileMatrix.TILE; j++) {
            local[at + j] += part[j];
        }
    }

    private static void gatherFloatRows(MaskBits bits, int component, int w0, int w1, MemorySegment ys, long tileBase,
                                        float[] part, double[] out) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        for (int w = w0; w < w1; w++) {
            long word = bits.word(component, w);
            while (word != 0) {
                int r = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
                long off = (tileBase + (long) r * TileMatrix.TILE) * 4;
                s0 = s0.add(FloatVector.fromMemorySegment(F, ys, off, NATIVE));
                s1 = s1.add(FloatVector.fromMemorySegment(F, ys, off + 32, NATIVE));
                s2 = s2.add(FloatVector.fromMemorySegment(F, ys, off + 64, NATIVE));
                s3 = s3.add(FloatVector.fromMemorySegment(F, ys, off + 96, NATIVE));
            }
        }
        s0.intoArray(part, 0);
        s1.intoArray(part, 8);
        s2.intoArray(part, 16);
        s3.intoArray(part, 24);
        for (int j = 0; j < TileMatrix.TILE; j++) {
            out[j] = part[j];
        }
    }

    /** As {@link #gatherFloatRows} for the listed rows {@code rows[from..to)} of a block starting at {@code blockBase}. */
    private static void gatherFloatListed(MemorySegment rows, int from, int to, MemorySegment ys, long blockBase, float[] part,
                                          double[] out) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        for (int k = from; k < to; k++) {
            long off = (blockBase + (long) rows.getAtIndex(ValueLayout.JAVA_CHAR, k) * TileMatrix.TILE) * 4;
            s0 = s0.add(FloatVector.fromMemorySegment(F, ys, off, NATIVE));
            s1 = s1.add(FloatVector.fromMemorySegment(F, ys, off + 32, NATIVE));
            s2 = s2.add(FloatVector.fromMemorySegment(F, ys, off + 64, NATIVE));
            s3 = s3.add(FloatVector.fromMemorySegment(F, ys, off + 96, NATIVE));
        }
        s0.intoArray(part, 0);
        s1.intoArray(part, 8);
        s2.intoArray(part, 16);
        s3.intoArray(part, 24);
        for (int j = 0; j < TileMatrix.TILE; j++) {
            out[j] = part[j];
        }
    }

    private static void gatherDoubleListed(MemorySegment rows, int from, int to, MemorySegment ys, long blockBase, double[] out) {
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        DoubleVector s4 = s0;
        DoubleVector s5 = s0;
        DoubleVector s6 = s0;
        DoubleVector s7 = s0;
        for (int k = from; k < to; k++) {
            long off = (blockBase + (long) rows.getAtIndex(ValueLayout.JAVA_CHAR, k) * TileMatrix.TILE) * 8;
            s0 = s0.add(DoubleVector.fromMemorySegment(D, ys, off, NATIVE));
            s1 = s1.add(DoubleVector.fromMemorySegment(D, ys, off + 32, NATIVE));
            s2 = s2.add(DoubleVector.fromMemorySegment(D, ys, off + 64, NATIVE));
            s3 = s3.add(DoubleVector.fromMemorySegment(D, ys, off + 96, NATIVE));
            s4 = s4.add(DoubleVector.fromMemorySegment(D, ys, off + 128, NATIVE));
            s5 = s5.add(DoubleVector.fromMemorySegment(D, ys, off + 160, NATIVE));
            s6 = s6.add(DoubleVector.fromMemorySegment(D, ys, off + 192, NATIVE));
            s7 = s7.add(DoubleVector.fromMemorySegment(D, ys, off + 224, NATIVE));
        }
        s0.intoArray(out, 0);
        s1.intoArray(out, 4);
        s2.intoArray(out, 8);
        s3.intoArray(out, 12);
        s4.intoArray(out, 16);
        s5.intoArray(out, 20);
        s6.intoArray(out, 24);
        s7.intoArray(out, 28);
    }

    private static void gatherDoubleRows(MaskBits bits, int component, int w0, int w1, MemorySegment ys, long tileBase,
                                         double[] out) {
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        DoubleVector s4 = s0;
        DoubleVector s5 = s0;
        DoubleVector s6 = s0;
        DoubleVector s7 = s0;
        for (int w = w0; w < w1; w++) {
            long word = bits.word(component, w);
            while (word != 0) {
                int r = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
                long off = (tileBase + (long) r * TileMatrix.TILE) * 8;
                s0 = s0.add(DoubleVector.fromMemorySegment(D, ys, off, NATIVE));
                s1 = s1.add(DoubleVector.fromMemorySegment(D, ys, off + 32, NATIVE));
                s2 = s2.add(DoubleVector.fromMemorySegment(D, ys, off + 64, NATIVE));
                s3 = s3.add(DoubleVector.fromMemorySegment(D, ys, off + 96, NATIVE));
                s4 = s4.add(DoubleVector.fromMemorySegment(D, ys, off + 128, NATIVE));
                s5 = s5.add(DoubleVector.fromMemorySegment(D, ys, off + 160, NATIVE));
                s6 = s6.add(DoubleVector.fromMemorySegment(D, ys, off + 192, NATIVE));
                s7 = s7.add(DoubleVector.fromMemorySegment(D, ys, off + 224, NATIVE));
            }
        }
        s0.intoArray(out, 0);
        s1.intoArray(out, 4);
        s2.intoArray(out, 8);
        s3.intoArray(out, 12);
        s4.intoArray(out, 16);
        s5.intoArray(out, 20);
        s6.intoArray(out, 24);
        s7.intoArray(out, 28);
    }

    /**
     * {@code p[r][j] += Σ_a s(r, order[a]) · u[a][j]} for every row r of {@code bits} and column j;
     * {@code u} is an order.length × p.cols() double matrix (row-major), {@code p} a double tile
     * matrix with one row per row of {@code bits}.
     */
    public static void scatter(MaskBits bits, int[] order, Matrix u, TileMatrix p, Cancellation cancel) {
        check(bits.rows() <= p.rows() && u.rows() == order.length && u.cols() == p.cols() && p.isDouble()
                && u.precision() == Precision.DOUBLE, "scatter shapes");
        int rows = p.rows();
        int cols = p.cols();
        MemorySegment us = u.segment();
        MemorySegment ps = p.segment();
        ThreadLocal<double[]> scratch = tileColumnScratch(order.length);
        Parallel.forEach(p.tiles(), cancel, t -> {
            int width = Math.min(TileMatrix.TILE, cols - t * TileMatrix.TILE);
            long tileBase = (long) t * rows * TileMatrix.TILE;
            // This tile's column of u, contiguous (u's rows are far apart; read them once, not once per row block).
            double[] local = scratch.get();
            if (width < TileMatrix.TILE) {
                Arrays.fill(local, 0);
            }
            for (int a = 0; a < order.length; a++) {
                MemorySegment.copy(us, ValueLayout.JAVA_DOUBLE, ((long) a * cols + (long) t * TileMatrix.TILE) * 8, local,
                        a * TileMatrix.TILE, width);
            }
            RowLists lists = bits.lists();
            for (int w0 = 0, block = 0; w0 < bits.words(); w0 += BLOCK_WORDS, block++) {
                int w1 = Math.min(bits.words(), w0 + BLOCK_WORDS);
                if (lists != null) {
                    scatterBlockListed(lists, block, order, local, ps, tileBase + (long) w0 * 64 * TileMatrix.TILE);
                } else {
                    scatterBlockBits(bits, w0, w1, order, local, ps, tileBase);
                }
            }
        });
    }

    private static void scatterBlockListed(RowLists lists, int block, int[] order, double[] local, MemorySegment ps, long blockBase) {
        MemorySegment rows = lists.rows();
        for (int a = 0; a < order.length; a++) {
            scatterListed(rows, lists.from(block, order[a]), lists.to(block, order[a]), local, a * TileMatrix.TILE, ps, blockBase);
        }
    }

    private static void scatterBlockBits(MaskBits bits, int w0, int w1, int[] order, double[] local, MemorySegment ps, long tileBase) {
        for (int a = 0; a < order.length; a++) {
            scatterRows(bits, order[a], w0, w1, local, a * TileMatrix.TILE, ps, tileBase);
        }
    }

    private static void scatterRows(MaskBits bits, int component, int w0, int w1, double[] u, int at, MemorySegment ps,
                                    long tileBase) {
        DoubleVector u0 = DoubleVector.fromArray(D, u, at);
        DoubleVector u1 = DoubleVector.fromArray(D, u, at + 4);
        DoubleVector u2 = DoubleVector.fromArray(D, u, at + 8);
        DoubleVector u3 = DoubleVector.fromArray(D, u, at + 12);
        DoubleVector u4 = DoubleVector.fromArray(D, u, at + 16);
        DoubleVector u5 = DoubleVector.fromArray(D, u, at + 20);
        DoubleVector u6 = DoubleVector.fromArray(D, u, at + 24);
        DoubleVector u7 = DoubleVector.fromArray(D, u, at + 28);
        for (int w = w0; w < w1; w++) {
            long word = bits.word(component, w);
            while (word != 0) {
                int r = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
                long off = (tileBase + (long) r * TileMatrix.TILE) * 8;
                DoubleVector.fromMemorySegment(D, ps, off, NATIVE).add(u0).intoMemorySegment(ps, off, NATIVE);
                DoubleVector.fromMemorySegment(D, ps, off + 32, NATIVE).add(u1).intoMemorySegment(ps, off + 32, NATIVE);
                DoubleVector.fromMemorySegment(D, ps, off + 64, NATIVE).add(u2).intoMemorySegment(ps, off + 64, NATIVE);
                DoubleVector.fromMemorySegment(D, ps, off + 96, NATIVE).add(u3).intoMemorySegment(ps, off + 96, NATIVE);
                DoubleVector.fromMemorySegment(D, ps, off + 128, NATIVE).add(u4).intoMemorySegment(ps, off + 128, NATIVE);
                DoubleVector.fromMemorySegment(D, ps, off + 160, NATIVE).add(u5).intoMemorySegment(ps, off + 160, NATIVE);
                DoubleVector.fromMemorySegment(D, ps, off + 192, NATIVE).add(u6).intoMemorySegment(ps, off + 192, NATIVE);
                DoubleVector.fromMemorySegment(D, ps, off + 224, NATIVE).add(u7).intoMemorySegment(ps, off + 224, NATIVE);
            }
        }
    }

    private static void scatterListed(MemorySegment rows, int from, int to, double[] u, int at, MemorySegment ps, long blockBase) {
        DoubleVector u0 = DoubleVector.fromArray(D, u, at);
        DoubleVector u1 = DoubleVector.fromArray(D, u, at + 4);
        DoubleVector u2 = DoubleVector.fromArray(D, u, at + 8);
        DoubleVector u3 = DoubleVector.fromArray(D, u, at + 12);
        DoubleVector u4 = DoubleVector.fromArray(D, u, at + 16);
        DoubleVector u5 = DoubleVector.fromArray(D, u, at + 20);
        DoubleVector u6 = DoubleVector.fromArray(D, u, at + 24);
        DoubleVector u7 = DoubleVector.fromArray(D, u, at + 28);
        for (int k = from; k < to; k++) {
            long off = (blockBase + (long) rows.getAtIndex(ValueLayout.JAVA_CHAR, k) * TileMatrix.TILE) * 8;
            DoubleVector.fromMemorySegment(D, ps, off, NATIVE).add(u0).intoMemorySegment(ps, off, NATIVE);
            DoubleVector.fromMemorySegment(D, ps, off + 32, NATIVE).add(u1).intoMemorySegment(ps, off + 32, NATIVE);
            DoubleVector.fromMemorySegment(D, ps, off + 64, NATIVE).add(u2).intoMemorySegment(ps, off + 64, NATIVE);
            DoubleVector.fromMemorySegment(D, ps, off + 96, NATIVE).add(u3).intoMemorySegment(ps, off + 96, NATIVE);
            DoubleVector.fromMemorySegment(D, ps, off + 128, NATIVE).add(u4).intoMemorySegment(ps, off + 128, NATIVE);
            DoubleVector.fromMemorySegment(D, ps, off + 160, NATIVE).add(u5).intoMemorySegment(ps, off + 160, NATIVE);
            DoubleVector.fromMemorySegment(D, ps, off + 192, NATIVE).add(u6).intoMemorySegment(ps, off + 192, NATIVE);
            DoubleVector.fromMemorySegment(D, ps, off + 224, NATIVE).add(u7).intoMemorySegment(ps, off + 224, NATIVE);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what);
        }
    }
}
