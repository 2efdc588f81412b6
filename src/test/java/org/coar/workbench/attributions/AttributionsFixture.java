package org.coar.workbench.attributions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.npy.NpyArray;

/**
 * Writes attribution directories in the layout of DESIGN.md from closed-form raw effects, as a
 * fit would: weight = raw · mask_std, bias = intercept + Σ_c mask_mean_c · raw_c.
 */
public final class AttributionsFixture {
    private AttributionsFixture() {
    }

    /**
     * @param raw       {@code [component][example]}: effect of keeping each component
     * @param intercept {@code [example]}: output with every component ablated
     */
    public static Path write(Path dir, float[][] raw, float[] intercept, double[] mean, double[] std, String reportJson) {
        int p = raw.length;
        int m = intercept.length;
        try {
            Files.createDirectories(dir);
            double[] bias = new double[m];
            for (int j = 0; j < m; j++) {
                bias[j] = intercept[j];
                for (int c = 0; c < p; c++) {
                    bias[j] += mean[c] * raw[c][j];
                }
            }
            float[][] weight = new float[p][m];
            for (int c = 0; c < p; c++) {
                for (int j = 0; j < m; j++) {
                    weight[c][j] = (float) (raw[c][j] * std[c]);
                }
            }
            matrix(dir.resolve("weight.npy"), weight);
            matrix(dir.resolve("raw_weight.npy"), raw);
            vector(dir.resolve("bias.npy"), bias);
            vector(dir.resolve("mask_mean.npy"), mean);
            vector(dir.resolve("mask_std.npy"), std);
            vector(dir.resolve("lam.npy"), new double[m]);
            if (reportJson != null) {
                Files.writeString(dir.resolve("report.json"), reportJson);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void matrix(Path file, float[][] rows) throws IOException {
        Files.deleteIfExists(file);
        NpyArray.create(file, Dtype.FLOAT32, rows.length, rows[0].length);
        try (NpyArray array = NpyArray.open(file, true)) {
            for (int r = 0; r < rows.length; r++) {
                array.writeRow(r, rows[r]);
            }
        }
    }

    public static void vector(Path file, double[] values) throws IOException {
        Files.deleteIfExists(file);
        NpyArray.create(file, Dtype.FLOAT32, values.length);
        try (NpyArray array = NpyArray.open(file, true)) {
            for (int i = 0; i < values.length; i++) {
                array.set(i, values[i]);
            }
        }
    }

    /** mask_mean 1 − α and mask_std √(α(1 − α)) for every component: the population moments of the masks. */
    public static double[][] moments(int components, double alpha) {
        double[] mean = new double[components];
        double[] std = new double[components];
        java.util.Arrays.fill(mean, 1 - alpha);
        java.util.Arrays.fill(std, Math.sqrt(alpha * (1 - alpha)));
        return new double[][] {mean, std};
    }
}
