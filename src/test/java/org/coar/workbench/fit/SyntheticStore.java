package org.coar.workbench.fit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.npy.NpyArray;

/**
 * A store in the reference layout with known raw weights: y = x·weights + offset + noise, x a
 * 0/1 keep-mask. Kept in memory too, so tests compute their expectations from the rows themselves.
 */
final class SyntheticStore {
    final boolean[][] masks;
    final double[][] outputs;
    final boolean[] completed;
    final double[][] weights;
    final double[] offset;

    private SyntheticStore(boolean[][] masks, double[][] outputs, boolean[] completed, double[][] weights, double[] offset) {
        this.masks = masks;
        this.outputs = outputs;
        this.completed = completed;
        this.weights = weights;
        this.offset = offset;
    }

    /**
     * @param nonZero   how many components have a non-zero true weight (the first ones)
     * @param alwaysOn  component kept in every row (zero variance), or -1
     * @param alwaysOff component ablated in every row (zero variance), or -1
     */
    static SyntheticStore generate(long seed, int rows, int components, int examples, double keep, double noise, int nonZero,
                                   int alwaysOn, int alwaysOff) {
        Random random = new Random(seed);
        double[][] w = new double[components][examples];
        for (int i = 0; i < nonZero; i++) {
            for (int j = 0; j < examples; j++) {
                w[i][j] = random.nextGaussian();
            }
        }
        double[] offset = new double[examples];
        for (int j = 0; j < examples; j++) {
            offset[j] = 3 + random.nextGaussian();
        }
        boolean[][] x = new boolean[rows][components];
        double[][] y = new double[rows][examples];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < components; i++) {
                x[r][i] = i == alwaysOn || (i != alwaysOff && random.nextDouble() < keep);
            }
            for (int j = 0; j < examples; j++) {
                double v = offset[j] + noise * random.nextGaussian();
                for (int i = 0; i < components; i++) {
                    if (x[r][i]) {
                        v += w[i][j];
                    }
                }
                y[r][j] = v;
            }
        }
        boolean[] done = new boolean[rows];
        java.util.Arrays.fill(done, true);
        return new SyntheticStore(x, y, done, w, offset);
    }

    /** Writes masks.npy (bool), NAME.npy (dtype) and _completed.npy; outputs are stored rounded to dtype and read back. */
    Path write(Path dir, String outputName, Dtype dtype) throws IOException {
        Files.createDirectories(dir);
        int rows = masks.length;
        int p = masks[0].length;
        int m = outputs[0].length;
        NpyArray.create(dir.resolve("masks.npy"), Dtype.BOOL, rows, p);
        NpyArray.create(dir.resolve(outputName + ".npy"), dtype, rows, m);
        NpyArray.create(dir.resolve("_completed.npy"), Dtype.BOOL, rows);
        try (NpyArray x = NpyArray.open(dir.resolve("masks.npy"), true);
             NpyArray y = NpyArray.open(dir.resolve(outputName + ".npy"), true);
             NpyArray c = NpyArray.open(dir.resolve("_completed.npy"), true)) {
            for (int r = 0; r < rows; r++) {
                x.writeRow(r, masks[r]);
                y.writeRow(r, outputs[r]);
                c.set(r, completed[r] ? 1 : 0);
                float[] stored = y.readRow(r);
                for (int j = 0; j < m; j++) {
                    outputs[r][j] = stored[j];
                }
            }
        }
        return dir;
    }

    /** Standardisation of the given rows (population std), as the reference computes it. */
    static double[][] meanAndStd(boolean[][] x, int[] rows) {
        int p = x[0].length;
        double[] mean = new double[p];
        double[] std = new double[p];
        for (int r : rows) {
            for (int i = 0; i < p; i++) {
                mean[i] += x[r][i] ? 1 : 0;
            }
        }
        for (int i = 0; i < p; i++) {
            mean[i] /= rows.length;
        }
        for (int r : rows) {
            for (int i = 0; i < p; i++) {
                double d = (x[r][i] ? 1 : 0) - mean[i];
                std[i] += d * d;
            }
        }
        for (int i = 0; i < p; i++) {
            std[i] = Math.sqrt(std[i] / rows.length);
        }
        return new double[][] {mean, std};
    }

    static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }
}
