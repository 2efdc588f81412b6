package org.coar.workbench.bench;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.npy.NpyArray;

/**
 * Pieces of the regression benchmark (docs/BENCHMARKS.md, "Regression"): a synthetic store in the
 * reference layout at CIFAR scale, and the machine's GEMM peak to compare the fit's GEMMs with.
 * The fits themselves run as separate {@code coar fit} processes (tools/bench_fit.sh) so that
 * each one's peak memory is its own.
 */
public final class FitBenchmark {

    /** Size and truth of the synthetic store: y = x·W + offset + noise, W ~ N(0, weightStd²), noise ~ N(0, 1). */
    public record StoreShape(int rows, int components, int examples, double keep, double weightStd, long seed) {
    }

    public record GemmPeak(double sgemmGflops, double ssyrkGflops, double dgemmGflops) {
    }

    private FitBenchmark() {
    }

    /**
     * Writes masks.npy (bool_), margins.npy (float16) and _completed.npy (all True) into {@code dir}.
     * Outputs come from a GEMM per block of rows, so making a 1.1 GB store takes about a minute.
     */
    public static void writeStore(Path dir, StoreShape s, LinearAlgebra la, Consumer<String> log) throws IOException {
        Files.createDirectories(dir);
        int block = 2048;
        NpyArray.create(dir.resolve("masks.npy"), Dtype.BOOL, s.rows(), s.components());
        NpyArray.create(dir.resolve("margins.npy"), Dtype.FLOAT16, s.rows(), s.examples());
        NpyArray.create(dir.resolve("_completed.npy"), Dtype.BOOL, s.rows());
        SplittableRandom random = new SplittableRandom(s.seed());
        Matrix w = la.zeros(Precision.FLOAT, s.components(), s.examples());
        Matrix x = la.zeros(Precision.FLOAT, block, s.components());
        Matrix y = la.zeros(Precision.FLOAT, block, s.examples());
        try (NpyArray masks = NpyArray.open(dir.resolve("masks.npy"), true);
             NpyArray margins = NpyArray.open(dir.resolve("margins.npy"), true);
             NpyArray completed = NpyArray.open(dir.resolve("_completed.npy"), true)) {
            MemorySegment ws = w.segment();
            for (long i = 0; i < w.size(); i++) {
                ws.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (s.weightStd() * random.nextGaussian()));
            }
            float[] offset = new float[s.examples()];
            for (int j = 0; j < offset.length; j++) {
                offset[j] = (float) (5 + random.nextGaussian());
            }
            boolean[] maskRow = new boolean[s.components()];
            float[] outRow = new float[s.examples()];
            for (int first = 0; first < s.rows(); first += block) {
                int count = Math.min(block, s.rows() - first);
                for (int r = 0; r < count; r++) {
                    for (int i = 0; i < s.components(); i++) {
                        boolean keep = random.nextDouble() < s.keep();
                        x.set(r, i, keep ? 1 : 0);
                    }
                }
                la.gemm(1, x.topRows(count), false, w, false, 0, y.topRows(count));
                for (int r = 0; r < count; r++) {
                    for (int i = 0; i < s.components(); i++) {
                        maskRow[i] = x.get(r, i) != 0;
                    }
                    masks.writeRow(first + r, maskRow);
                    MemorySegment.copy(y.segment(), ValueLayout.JAVA_FLOAT, (long) r * s.examples() * 4, outRow, 0, s.examples());
                    for (int j = 0; j < outRow.length; j++) {
                        outRow[j] += offset[j] + (float) random.nextGaussian();
                    }
                    margins.writeRow(first + r, outRow);
                    completed.set(first + r, 1);
                }
                log.accept(String.format(java.util.Locale.ROOT, "store: %d / %d rows", first + count, s.rows()));
            }
            masks.forceRows(0, s.rows());
            margins.forceRows(0, s.rows());
            completed.forceRows(0, s.rows());
        } finally {
            la.free(w);
            la.free(x);
            la.free(y);
        }
    }

    /** Best of a few runs of the fit's own GEMM shapes (ỸᵀX, XᵀX) and of a square DGEMM. */
    public static GemmPeak measurePeak(LinearAlgebra la, int rows, int components, int examples) {
        Matrix x = la.zeros(Precision.FLOAT, rows, components);
        Matrix y = la.zeros(Precision.FLOAT, rows, examples);
        Matrix cross = la.zeros(Precision.FLOAT, examples, components);
        Matrix gram = la.zeros(Precision.FLOAT, components, components);
        Matrix a = la.zeros(Precision.DOUBLE, 2048, 2048);
        Matrix c = la.zeros(Precision.DOUBLE, 2048, 2048);
        try {
            SplittableRandom random = new SplittableRandom(1);
            for (long i = 0; i < x.size(); i++) {
                x.segment().setAtIndex(ValueLayout.JAVA_FLOAT, i, random.nextDouble() < 0.9 ? 1f : 0f);
            }
            for (long i = 0; i < y.size(); i++) {
                y.segment().setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) random.nextGaussian());
            }
            for (long i = 0; i < a.size(); i++) {
                a.segment().setAtIndex(ValueLayout.JAVA_DOUBLE, i, random.nextGaussian());
            }
            // A GPU backend returns before its kernels finish: time a batch of calls and the read of one result, which waits for them.
            int repeats = "cpu".equals(la.provenance().getOrDefault("device", "cpu")) ? 1 : 20;
            double sgemm = 0;
            double ssyrk = 0;
            double dgemm = 0;
            for (int round = 0; round < 4; round++) {
                long t = System.nanoTime();
                for (int r = 0; r < repeats; r++) {
                    la.gemm(1, y, true, x, false, 1, cross);
                }
                cross.get(0, 0);
                sgemm = Math.max(sgemm, 2.0 * repeats * rows * components * examples / (System.nanoTime() - t));
                t = System.nanoTime();
                for (int r = 0; r < repeats; r++) {
                    la.gramLower(1, x, 1, gram);
                }
                gram.get(0, 0);
                ssyrk = Math.max(ssyrk, 1.0 * repeats * rows * components * (components + 1) / (System.nanoTime() - t));
                t = System.nanoTime();
                for (int r = 0; r < repeats; r++) {
                    la.gemm(1, a, false, a, false, 0, c);
                }
                c.get(0, 0);
                dgemm = Math.max(dgemm, 2.0 * repeats * 2048 * 2048 * 2048 / (System.nanoTime() - t));
            }
            return new GemmPeak(sgemm, ssyrk, dgemm);
        } finally {
            la.free(x);
            la.free(y);
            la.free(cross);
            la.free(gram);
            la.free(a);
            la.free(c);
        }
    }
}
