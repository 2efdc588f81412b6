package org.coar.workbench.fit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.stream.IntStream;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.job.Cancellation;

/**
 * Batched coordinate descent for min ½wᵀGw − cᵀw + λ‖w‖₁, every example (row) with its own λ,
 * all sharing G. Examples are processed together so the expensive part is a GEMM: coordinates
 * go in blocks; inside a block each example runs exact coordinate descent on the small block of
 * G (cheap, parallel over examples), then one GEMM brings the residual correlations
 * R = C − W·G of all coordinates up to date with the block's changes.
 *
 * <p>Screening: the sequential strong rule (Tibshirani et al. 2012) keeps coordinate i of an
 * example out of the sweeps while |R_i| &lt; 2λ − λ_previous; every converged example is then
 * checked against the KKT conditions (|R_i| ≤ λ for every zero weight), and violators rejoin.
 * Converged examples are retired from the batch (swapped behind the working rows), so the GEMMs
 * shrink as the batch finishes.
 *
 * <p>Rows are kept in position order: {@link #exampleAt} maps a position to its example.
 */
final class CoordinateDescent implements AutoCloseable {
    /** Coordinates per block: small keeps the per-example Java work (examples × components × BLOCK) below the GEMM. */
    static final int BLOCK = 64;
    private static final double KKT_SLACK = 1e-9;

    private final LinearAlgebra la;
    private final Matrix gram;
    private final Matrix cross;
    private final double[] scale;
    private final double tolerance;
    private final int maxSweeps;
    private final Cancellation cancel;
    private final int q;
    private final int m;
    final Matrix weights;
    final Matrix residual;
    final int[] exampleAt;
    private final byte[] eligible;
    private final Matrix delta;
    private final Matrix gramRows;
    private final double[] gramDiagonal;

    /** Counters for report.json. */
    long sweeps;
    long coordinateUpdates;
    long kktViolations;
    long unconverged;

    /**
     * @param scale per example (original index): convergence is max_i G_ii·Δw_i² ≤ tolerance · scale
     */
    CoordinateDescent(LinearAlgebra la, Matrix gram, Matrix cross, double[] scale, double tolerance, int maxSweeps,
                      Cancellation cancel) {
        this.la = la;
        this.gram = gram;
        this.cross = cross;
        this.scale = scale;
        this.tolerance = tolerance;
        this.maxSweeps = maxSweeps;
        this.cancel = cancel;
        this.q = gram.rows();
        this.m = cross.rows();
        this.weights = la.zeros(Precision.DOUBLE, m, q);
        this.residual = la.zeros(Precision.DOUBLE, m, q);
        this.residual.copyFrom(cross);
        this.exampleAt = FitService.identity(m);
        this.eligible = new byte[Math.multiplyExact(m, q)];
        this.delta = la.zeros(Precision.DOUBLE, m, Math.min(BLOCK, Math.max(q, 1)));
        this.gramRows = la.zeros(Precision.DOUBLE, Math.min(BLOCK, Math.max(q, 1)), q);
        this.gramDiagonal = new double[q];
        for (int a = 0; a < q; a++) {
            gramDiagonal[a] = gram.get(a, a);
        }
    }

    /** Sets the weights of the first {@code count} positions (rows of {@code start}, by position) and recomputes R. */
    void warmStart(Matrix start, int count) {
        weights.topRows(count).copyFrom(start.topRows(count));
        recomputeResidual(count);
    }

    /** R = C − W·G for the first {@code count} positions, from scratch (one GEMM). */
    void recomputeResidual(int count) {
        Matrix r = residual.topRows(count);
        la.gemm(1, weights.topRows(count), false, gram, false, 0, r);
        double[] row = new double[q];
        double[] c = new double[q];
        for (int p = 0; p < count; p++) {
            r.getRow(p, row);
            cross.getRow(exampleAt[p], c);
            for (int a = 0; a < q; a++) {
                row[a] = c[a] - row[a];
            }
            r.setRow(p, row);
        }
    }

    void swap(int a, int b) {
        if (a == b) {
            return;
        }
        weights.swapRows(a, b);
        residual.swapRows(a, b);
        for (int i = 0; i < q; i++) {
            byte t = eligible[a * q + i];
            eligible[a * q + i] = eligible[b * q + i];
            eligible[b * q + i] = t;
        }
        int t = exampleAt[a];
        exampleAt[a] = exampleAt[b];
        exampleAt[b] = t;
    }

    /**
     * Solves the first {@code count} positions, example j at {@code lambda[j]} (by original index).
     * {@code previous[j]} is the λ of the solution the weights hold now, for the strong rule; null
     * (or not larger than λ) starts from the current KKT violators instead.
     */
    void solve(int count, double[] lambda, double[] previous) {
        if (q == 0 || count == 0) {
            return;
        }
        IntStream.range(0, count).parallel().forEach(p -> {
            int j = exampleAt[p];
            double lam = lambda[j];
            // previous = +∞ makes every coordinate eligible.
            double threshold = previous != null && previous[j] > lam ? Math.max(0, 2 * lam - previous[j]) : lam;
            MemorySegment w = weights.segment();
            MemorySegment r = residual.segment();
            long base = (long) p * q;
            for (int a = 0; a < q; a++) {
                boolean in = w.getAtIndex(ValueLayout.JAVA_DOUBLE, base + a) != 0
                        || Math.abs(r.getAtIndex(ValueLayout.JAVA_DOUBLE, base + a)) >= threshold;
                eligible[p * q + a] = (byte) (in ? 1 : 0);
            }
        });
        int working = count;
        double[] maxChange = new double[count];
        int sweep = 0;
        while (working > 0) {
            cancel.throwIfCancelled();
            if (sweep == maxSweeps) {
                unconverged += working;
                break;
            }
            sweep++;
            sweeps++;
            java.util.Arrays.fill(maxChange, 0, working, 0);
            for (int start = 0; start < q; start += BLOCK) {
                sweepBlock(start, Math.min(BLOCK, q - start), working, lambda, maxChange);
            }
            working = retireConverged(working, lambda, maxChange);
        }
    }

    private void sweepBlock(int start, int size, int working, double[] lambda, double[] maxChange) {
        double[] g = new double[size * size];
        for (int i = 0; i < size; i++) {
            for (int k = 0; k < size; k++) {
                g[i * size + k] = gram.get(start + i, start + k);
            }
        }
        Matrix d = delta.topRows(working);
        boolean[] touchedByAny = new boolean[size];
        long[] updates = new long[working];
        IntStream.range(0, working).parallel().forEach(p -> {
            double lam = lambda[exampleAt[p]];
            MemorySegment wSeg = weights.segment();
            MemorySegment rSeg = residual.segment();
            long base = (long) p * q + start;
            double[] r = new double[size];
            double[] w = new double[size];
            double[] change = new double[size];
            MemorySegment.copy(rSeg, ValueLayout.JAVA_DOUBLE, base * 8, r, 0, size);
            MemorySegment.copy(wSeg, ValueLayout.JAVA_DOUBLE, base * 8, w, 0, size);
            double worst = maxChange[p];
            long count = 0;
            int eligibleBase = p * q + start;
            for (int i = 0; i < size; i++) {
                if (eligible[eligibleBase + i] == 0) {
                    continue;
                }
                double gii = g[i * size + i];
                double z = r[i] + gii * w[i];
                double shrunk = Math.abs(z) - lam;
                double next = shrunk > 0 ? Math.copySign(shrunk, z) / gii : 0;
                double step = next - w[i];
                if (step != 0) {
                    w[i] = next;
                    change[i] += step;
                    int row = i * size;
                    for (int k = 0; k < size; k++) {
                        r[k] -= g[row + k] * step;
                    }
                    worst = Math.max(worst, gii * step * step);
                    count++;
                }
            }
            maxChange[p] = worst;
            updates[p] = count;
            MemorySegment.copy(w, 0, wSeg, ValueLayout.JAVA_DOUBLE, base * 8, size);
            // The block's own residuals are updated by the GEMM below together with all others.
            MemorySegment.copy(change, 0, d.segment(), ValueLayout.JAVA_DOUBLE, (long) p * d.cols() * 8, size);
            if (d.cols() > size) {
                d.segment().asSlice(((long) p * d.cols() + size) * 8, (long) (d.cols() - size) * 8).fill((byte) 0);
            }
        });
        long total = 0;
        for (long u : updates) {
            total += u;
        }
        coordinateUpdates += total;
        if (total == 0) {
            return;
        }
        // Compact to the coordinates that moved for some example: at large λ that is a handful.
        int[] moved = new int[size];
        int movedCount = 0;
        MemorySegment ds = d.segment();
        int stride = d.cols();
        for (int i = 0; i < size; i++) {
            for (int p = 0; p < working && !touchedByAny[i]; p++) {
                touchedByAny[i] = ds.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) p * stride + i) != 0;
            }
            if (touchedByAny[i]) {
                moved[movedCount++] = i;
            }
        }
        Matrix dCompact = movedCount == stride ? d : la.zeros(Precision.DOUBLE, working, movedCount);
        Matrix gCompact = gramRows.topRows(movedCount);
        try {
            if (dCompact != d) {
                for (int p = 0; p < working; p++) {
                    for (int c = 0; c < movedCount; c++) {
                        dCompact.set(p, c, ds.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) p * stride + moved[c]));
                    }
                }
            }
            long rowBytes = (long) q * 8;
            for (int c = 0; c < movedCount; c++) {
                MemorySegment.copy(gram.segment(), (start + moved[c]) * rowBytes, gCompact.segment(), c * rowBytes, rowBytes);
            }
            la.gemm(-1, dCompact, false, gCompact, false, 1, residual.topRows(working));
        } finally {
            if (dCompact != d) {
                la.free(dCompact);
            }
        }
    }

    /** Checks converged examples against the KKT conditions; retires those that pass. Returns the new working count. */
    private int retireConverged(int working, double[] lambda, double[] maxChange) {
        boolean[] done = new boolean[working];
        long[] violations = new long[working];
        IntStream.range(0, working).parallel().forEach(p -> {
            int j = exampleAt[p];
            if (maxChange[p] > tolerance * scale[j]) {
                return;
            }
            double bound = lambda[j] * (1 + KKT_SLACK);
            MemorySegment r = residual.segment();
            long base = (long) p * q;
            long found = 0;
            for (int a = 0; a < q; a++) {
                if (eligible[p * q + a] == 0 && Math.abs(r.getAtIndex(ValueLayout.JAVA_DOUBLE, base + a)) > bound) {
                    eligible[p * q + a] = 1;
                    found++;
                }
            }
            violations[p] = found;
            done[p] = found == 0;
        });
        for (long v : violations) {
            kktViolations += v;
        }
        int end = working;
        for (int p = working - 1; p >= 0; p--) {
            if (done[p]) {
                end--;
                swap(p, end);
                double t = maxChange[p];
                maxChange[p] = maxChange[end];
                maxChange[end] = t;
            }
        }
        return end;
    }

    @Override
    public void close() {
        la.free(weights);
        la.free(residual);
        la.free(delta);
        la.free(gramRows);
    }
}
