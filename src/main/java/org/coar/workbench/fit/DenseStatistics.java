package org.coar.workbench.fit;

import java.util.Locale;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.fit.sparse.MaskBits;
import org.coar.workbench.fit.sparse.SparseProducts;
import org.coar.workbench.fit.sparse.TileMatrix;
import org.coar.workbench.job.Cancellation;

/**
 * Sᵀ Y by dense float32 GEMMs over the masks expanded block by block, the alternative to the
 * sparse gather: it multiplies every entry, so it wins only when the sparse side is dense (α near
 * 0.5) or the BLAS is much faster than the gathers. {@link #compare} times both on a sample of the
 * first block so the fit can take the faster.
 */
final class DenseStatistics {
    /** Rows expanded per GEMM. */
    static final int ROWS = 512;
    /** Most timed runs of each path in {@link #compare}, and the time after which no run beyond the second starts. */
    private static final int PROBE_RUNS = 8;
    private static final long PROBE_NANOS = 2_000_000_000L;

    private DenseStatistics() {
    }

    /**
     * What the sample measured, and the whole statistics' time extrapolated from it: the gathers
     * scale with every output column, the dense GEMMs too, but the expansion of the masks is done
     * once per block of outputs.
     */
    record Timing(double sparseSeconds, double expandSeconds, double gemmSeconds, long rows, int columns, double sparseTotal,
                  double denseTotal) {
        boolean denseFaster() {
            return denseTotal < sparseTotal;
        }

        String describe() {
            return String.format(Locale.ROOT, "measured on %d rows × %d output columns of the first block: sparse gathers %.4f s; "
                    + "dense: expanding the masks %.4f s, GEMM %.4f s. Extrapolated to the whole fit: sparse %.1f s, dense %.1f s; "
                    + "%s chosen", rows, columns, sparseSeconds, expandSeconds, gemmSeconds, sparseTotal, denseTotal,
                    denseFaster() ? "dense" : "sparse");
        }
    }

    /** {@code c += Sᵀ y} (q × w, float64) for the components {@code order}, like {@link SparseProducts#gather}. */
    static void gather(LinearAlgebra la, MaskBits bits, int[] order, TileMatrix y, Matrix c, Cancellation cancel) {
        int q = order.length;
        int w = y.cols();
        int rows = bits.rows();
        int chunk = Math.min(ROWS, Math.max(1, rows));
        Matrix s = la.zeros(Precision.FLOAT, chunk, q);
        Matrix yb = la.zeros(Precision.FLOAT, chunk, w);
        Matrix part = la.zeros(Precision.FLOAT, q, w);
        try {
            double[] row = new double[w];
            double[] add = new double[w];
            for (int r0 = 0; r0 < rows; r0 += chunk) {
                cancel.throwIfCancelled();
                int n = Math.min(chunk, rows - r0);
                Matrix sv = s.topRows(n);
                Matrix yv = yb.topRows(n);
                sv.fill(0);
                for (int a = 0; a < q; a++) {
                    int i = order[a];
                    for (int r = 0; r < n; r++) {
                        if (bits.get(r0 + r, i)) {
                            sv.set(r, a, 1);
                        }
                    }
                }
                for (int r = 0; r < n; r++) {
                    for (int j = 0; j < w; j++) {
                        yv.set(r, j, y.get(r0 + r, j));
                    }
                }
                la.gemm(1, sv, true, yv, false, 0, part);
                for (int a = 0; a < q; a++) {
                    c.getRow(a, row);
                    part.getRow(a, add);
                    for (int j = 0; j < w; j++) {
                        row[j] += add[j];
                    }
                    c.setRow(a, row);
                }
            }
        } finally {
            la.free(s);
            la.free(yb);
            la.free(part);
        }
    }

    /**
     * Times the sparse gather and the dense path (expansion and GEMM apart) on a sample of the
     * first block: up to {@code 4 × ROWS} rows and 4 tiles of {@code y}, each the fastest of up to
     * {@code PROBE_RUNS} runs (the gathers' vector kernels are compiled only after several: timed on
     * the second run, they measured 15× slower than in the fit and the slower path was chosen),
     * extrapolated to {@code totalRows × examples} in {@code blocks}.
     */
    static Timing compare(LinearAlgebra la, MaskBits bits, int[] order, TileMatrix y, long totalRows, int examples, int blocks,
                          Cancellation cancel) {
        int rows = Math.min(ROWS * 4, bits.rows());
        int width = Math.min(TileMatrix.TILE * 4, y == null ? 0 : y.cols());
        if (rows == 0 || width == 0) {
            return new Timing(0, 0, 0, 0, 0, 0, Double.POSITIVE_INFINITY);
        }
        try (MaskBits sample = sampleBits(bits, rows); TileMatrix ys = TileMatrix.floats(rows, width)) {
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < width; j++) {
                    ys.set(r, j, y.get(r, j));
                }
            }
            Matrix c = la.zeros(Precision.DOUBLE, order.length, width);
            Matrix s = la.zeros(Precision.FLOAT, rows, order.length);
            Matrix yd = la.zeros(Precision.FLOAT, rows, width);
            Matrix part = la.zeros(Precision.FLOAT, order.length, width);
            try {
                double sparse = Double.POSITIVE_INFINITY;
                double expand = Double.POSITIVE_INFINITY;
                double gemm = Double.POSITIVE_INFINITY;
                long deadline = System.nanoTime() + PROBE_NANOS;
                for (int run = 0; run < PROBE_RUNS && (run < 2 || System.nanoTime() < deadline); run++) {
                    long t = System.nanoTime();
                    SparseProducts.gather(sample, order, ys, c, cancel);
                    sparse = Math.min(sparse, (System.nanoTime() - t) / 1e9);
                    t = System.nanoTime();
                    for (int a = 0; a < order.length; a++) {
                        for (int r = 0; r < rows; r++) {
                            s.set(r, a, sample.get(r, order[a]) ? 1 : 0);
                        }
                    }
                    expand = Math.min(expand, (System.nanoTime() - t) / 1e9);
                    t = System.nanoTime();
                    la.gemm(1, s, true, yd, false, 0, part);
                    gemm = Math.min(gemm, (System.nanoTime() - t) / 1e9);
                }
                double rowScale = (double) totalRows / rows;
                double columnScale = (double) examples / width;
                return new Timing(sparse, expand, gemm, rows, width, sparse * rowScale * columnScale,
                        expand * rowScale * blocks + gemm * rowScale * columnScale);
            } finally {
                la.free(c);
                la.free(s);
                la.free(yd);
                la.free(part);
            }
        }
    }

    private static MaskBits sampleBits(MaskBits bits, int rows) {
        MaskBits sample = MaskBits.allocate(bits.components(), rows, bits.ablatedSide());
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < bits.components(); i++) {
                if (bits.get(r, i)) {
                    sample.add(r, i);
                }
            }
        }
        sample.finish(rows);
        if (bits.listed()) {
            sample.listRows(); // time the path the fit will take
        }
        return sample;
    }
}
