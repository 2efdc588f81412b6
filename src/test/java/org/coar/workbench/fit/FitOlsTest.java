package org.coar.workbench.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Nd4jLinearAlgebra;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.npy.Dtype;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Least squares against an independent double-precision QR solve written here. */
class FitOlsTest {

    static FitResult fit(Path store, Path out, FitConfig config) {
        return new FitService().fit(new FitRequest(store, out, config), p -> { }, new Cancellation());
    }

    /** The backend these tests fit with; a subclass runs them on another. */
    protected Supplier<LinearAlgebra> backend() {
        return Nd4jLinearAlgebra::new;
    }

    FitResult run(Path store, Path out, FitConfig config) {
        return new FitService(backend()).fit(new FitRequest(store, out, config), p -> { }, new Cancellation());
    }

    /** [z, 1] for the given rows, z standardised over the active components with mean/std. */
    static double[][] design(boolean[][] x, int[] rows, double[] mean, double[] std, int[] active) {
        double[][] a = new double[rows.length][active.length + 1];
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < active.length; c++) {
                int i = active[c];
                a[r][c] = ((x[rows[r]][i] ? 1 : 0) - mean[i]) / std[i];
            }
            a[r][active.length] = 1;
        }
        return a;
    }

    static int[] active(double[] std) {
        return java.util.stream.IntStream.range(0, std.length).filter(i -> std[i] > 0).toArray();
    }

    static double[] column(double[][] y, int[] rows, int j) {
        double[] c = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            c[r] = y[rows[r]][j];
        }
        return c;
    }

    @Test
    void olsEqualsAnIndependentQrSolveRecoversTheTrueWeightsAndScoresValidationRows(@TempDir Path tmp) throws IOException {
        int rows = 1500;
        int p = 30;
        int m = 4;
        SyntheticStore data = SyntheticStore.generate(11, rows, p, m, 0.9, 0.1, p, 7, 12);
        data.completed[3] = false;
        data.completed[1000] = false;
        Path store = data.write(tmp.resolve("store"), "margins", Dtype.FLOAT32);
        java.nio.file.Files.writeString(store.resolve("components.json"), "[{\"name\": \"conv.weight\", \"size\": 30}]");
        FitConfig config = FitConfig.builder().optNumTrain(RowCount.of(1200)).optNumVal(RowCount.of(250)).build();
        FitResult result = run(store, tmp.resolve("out"), config);
        Attributions a = Attributions.read(tmp.resolve("out"));
        assertEquals(java.nio.file.Files.readString(store.resolve("components.json")),
                java.nio.file.Files.readString(tmp.resolve("out/components.json")), "components.json travels with the attributions");

        int[] completed = java.util.stream.IntStream.range(0, rows).filter(r -> data.completed[r]).toArray();
        int[] train = java.util.Arrays.copyOfRange(completed, 0, 1200);
        int[] validation = java.util.Arrays.copyOfRange(completed, 1200, 1450);
        int[] all = java.util.Arrays.copyOfRange(completed, 0, 1450);
        assertEquals(1200, result.trainRows());
        assertEquals(250, result.validationRows());
        assertEquals(2, result.zeroVarianceComponents());

        // Final model: least squares on training + validation rows, standardised over those rows.
        double[][] ms = SyntheticStore.meanAndStd(data.masks, all);
        int[] active = active(ms[1]);
        assertEquals(p - 2, active.length);
        double[][] design = design(data.masks, all, ms[0], ms[1], active);
        for (int j = 0; j < m; j++) {
            double[] expect = DenseReference.leastSquares(design, column(data.outputs, all, j));
            double scale = 0;
            for (double v : expect) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int c = 0; c < active.length; c++) {
                assertEquals(expect[c], a.weight()[active[c]][j], 1e-4 * scale, "weight of component " + active[c] + ", example " + j);
            }
            assertEquals(expect[active.length], a.bias()[j], 1e-4 * Math.abs(expect[active.length]));
            for (int i = 0; i < p; i++) {
                // raw effect of keeping component i vs the truth (noise 0.1, ~1,450 rows: standard error ≈ 0.01)
                assertEquals(i == 7 || i == 12 ? 0 : data.weights[i][j], a.rawWeight()[i][j], 0.06, "raw weight " + i);
            }
            assertEquals(0, a.lam()[j]);
        }
        for (int i : new int[] {7, 12}) {
            assertEquals(1.0, a.maskStd()[i], "zero-variance component: std written as 1 so predictions stay finite");
            for (int j = 0; j < m; j++) {
                assertEquals(0.0, a.weight()[i][j]);
                assertEquals(0.0, a.rawWeight()[i][j]);
            }
        }
        assertEquals(1.0, a.maskMean()[7]);
        assertEquals(0.0, a.maskMean()[12]);
        for (int j = 0; j < m; j++) {
            assertTrue(Double.isFinite(a.predict(data.masks[3], j)));
        }

        // Validation MSE: least squares on the training rows alone, evaluated on the validation rows.
        double[][] trainStats = SyntheticStore.meanAndStd(data.masks, train);
        int[] trainActive = active(trainStats[1]);
        double[][] trainDesign = design(data.masks, train, trainStats[0], trainStats[1], trainActive);
        double[][] validationDesign = design(data.masks, validation, trainStats[0], trainStats[1], trainActive);
        for (int j = 0; j < m; j++) {
            double[] w = DenseReference.leastSquares(trainDesign, column(data.outputs, train, j));
            double sse = 0;
            double mean = 0;
            for (int r = 0; r < validation.length; r++) {
                double pred = 0;
                for (int c = 0; c < w.length; c++) {
                    pred += validationDesign[r][c] * w[c];
                }
                double e = data.outputs[validation[r]][j] - pred;
                sse += e * e;
                mean += data.outputs[validation[r]][j] / validation.length;
            }
            double sst = 0;
            for (int r : validation) {
                sst += (data.outputs[r][j] - mean) * (data.outputs[r][j] - mean);
            }
            double mse = sse / validation.length;
            assertEquals(mse, a.valMse()[j], 1e-4 * mse, "validation MSE of example " + j);
            assertEquals(1 - sse / sst, a.valR2()[j], 1e-4);
        }
    }

    @Test
    void fewerRowsThanComponentsGivesTheMinimumNormSolution(@TempDir Path tmp) throws IOException {
        int rows = 20;
        int p = 40;
        SyntheticStore data = SyntheticStore.generate(5, rows, p, 2, 0.7, 0.5, p, -1, -1);
        Path store = data.write(tmp.resolve("store"), "margins", Dtype.FLOAT32);
        run(store, tmp.resolve("out"), FitConfig.builder().optNumTrain(RowCount.of(rows)).optNumVal(RowCount.of(0)).build());
        Attributions a = Attributions.read(tmp.resolve("out"));
        int[] all = SyntheticStore.range(0, rows);
        double[][] ms = SyntheticStore.meanAndStd(data.masks, all);
        int[] active = active(ms[1]);
        double[][] z = design(data.masks, all, ms[0], ms[1], active);
        // Min-norm w = Zᵀa with (ZZᵀ + 11ᵀ) a = y − ȳ: Z is centred (Zᵀ1 = 0), so the 11ᵀ term only fixes the null space.
        for (int j = 0; j < 2; j++) {
            double[] y = column(data.outputs, all, j);
            double mean = java.util.Arrays.stream(y).average().orElseThrow();
            double[][] k = new double[rows][rows];
            double[] yc = new double[rows];
            for (int r = 0; r < rows; r++) {
                yc[r] = y[r] - mean;
                for (int s = 0; s < rows; s++) {
                    double dot = 1;
                    for (int c = 0; c < active.length; c++) {
                        dot += z[r][c] * z[s][c];
                    }
                    k[r][s] = dot;
                }
            }
            double[] dual = DenseReference.solve(k, yc);
            double scale = 0;
            double[] w = new double[active.length];
            for (int c = 0; c < active.length; c++) {
                for (int r = 0; r < rows; r++) {
                    w[c] += z[r][c] * dual[r];
                }
                scale = Math.max(scale, Math.abs(w[c]));
            }
            for (int c = 0; c < active.length; c++) {
                assertEquals(w[c], a.weight()[active[c]][j], 1e-4 * scale);
            }
            for (int r = 0; r < rows; r++) {
                assertEquals(y[r], a.predict(data.masks[r], j), 1e-3, "min-norm least squares interpolates its rows");
            }
        }
    }
}
