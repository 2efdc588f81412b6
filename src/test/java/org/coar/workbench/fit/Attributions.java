package org.coar.workbench.fit;

import java.io.IOException;
import java.nio.file.Path;
import org.coar.workbench.npy.NpyArray;

/** An attributions directory read back through the .npy layer, as a user's numpy would. */
record Attributions(double[][] weight, double[][] rawWeight, double[] bias, double[] lam, double[] maskMean, double[] maskStd,
                    double[] valMse, double[] valR2) {

    static Attributions read(Path dir) throws IOException {
        return new Attributions(matrix(dir.resolve("weight.npy")), matrix(dir.resolve("raw_weight.npy")), vector(dir.resolve("bias.npy")),
                vector(dir.resolve("lam.npy")), vector(dir.resolve("mask_mean.npy")), vector(dir.resolve("mask_std.npy")),
                vector(dir.resolve("val_mse.npy")), vector(dir.resolve("val_r2.npy")));
    }

    static double[][] matrix(Path file) throws IOException {
        try (NpyArray a = NpyArray.open(file, false)) {
            double[][] out = new double[(int) a.rows()][(int) a.rowLength()];
            for (int r = 0; r < out.length; r++) {
                a.readRows(r, 1, out[r]);
            }
            return out;
        }
    }

    static double[] vector(Path file) throws IOException {
        try (NpyArray a = NpyArray.open(file, false)) {
            double[] out = new double[(int) a.rows()];
            a.readRows(0, out.length, out);
            return out;
        }
    }

    /** DESIGN.md's prediction: ((x − mask_mean) / mask_std) · weight[:, j] + bias[j]. */
    double predict(boolean[] x, int j) {
        double s = bias[j];
        for (int i = 0; i < x.length; i++) {
            s += ((x[i] ? 1 : 0) - maskMean[i]) / maskStd[i] * weight[i][j];
        }
        return s;
    }
}
