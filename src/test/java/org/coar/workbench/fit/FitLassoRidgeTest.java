package org.coar.workbench.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Nd4jLinearAlgebra;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.npy.Dtype;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lasso and ridge paths: optimality (KKT) recomputed here from the rows in double precision,
 * λ choices against a brute-force validation search, and the λ = 0 corner against least squares.
 */
class FitLassoRidgeTest {
    private static final int ROWS = 600;
    private static final int TRAIN = 450;
    private static final int P = 30;
    private static final int M = 5;

    /** Standardised Gram form of the given rows: G = ZᵀZ/n, c_j = Zᵀ(y_j − ȳ_j)/n, with the rows' own mean/std. */
    record GramForm(double[] mean, double[] std, int[] active, double[][] g, double[][] c, double[] outputMean) {
        static GramForm of(SyntheticStore data, int[] rows) {
            double[][] ms = SyntheticStore.meanAndStd(data.masks, rows);
            int[] active = FitOlsTest.active(ms[1]);
            int q = active.length;
            double n = rows.length;
            double[][] z = new double[rows.length][q];
            for (int r = 0; r < rows.length; r++) {
                for (int a = 0; a < q; a++) {
                    int i = active[a];
                    z[r][a] = ((data.masks[rows[r]][i] ? 1 : 0) - ms[0][i]) / ms[1][i];
                }
            }
            double[][] g = new double[q][q];
            for (double[] zr : z) {
                for (int a = 0; a < q; a++) {
                    for (int b = 0; b < q; b++) {
                        g[a][b] += zr[a] * zr[b] / n;
                    }
                }
            }
            int m = data.outputs[0].length;
            double[] ybar = new double[m];
            for (int r : rows) {
                for (int j = 0; j < m; j++) {
                    ybar[j] += data.outputs[r][j] / n;
                }
            }
            double[][] c = new double[m][q];
            for (int r = 0; r < rows.length; r++) {
                for (int j = 0; j < m; j++) {
                    for (int a = 0; a < q; a++) {
                        c[j][a] += z[r][a] * (data.outputs[rows[r]][j] - ybar[j]) / n;
                    }
                }
            }
            return new GramForm(ms[0], ms[1], active, g, c, ybar);
        }

        double lambdaMax(int j) {
            double max = 0;
            for (double v : c[j]) {
                max = Math.max(max, Math.abs(v));
            }
            return max;
        }

        /** Largest violation of the lasso KKT conditions of w for example j at λ. */
        double kktViolation(double[] w, int j, double lambda) {
            double worst = 0;
            for (int a = 0; a < w.length; a++) {
                double r = c[j][a];
                for (int b = 0; b < w.length; b++) {
                    r -= g[a][b] * w[b];
                }
                worst = Math.max(worst, w[a] != 0 ? Math.abs(r - lambda * Math.signum(w[a])) : Math.max(0, Math.abs(r) - lambda));
            }
            return worst;
        }

        /** Validation MSE, computed from the rows, of weights w (this form's standardisation) and bias. */
        double mse(SyntheticStore data, int[] rows, double[] w, int j, double bias) {
            double sse = 0;
            for (int r : rows) {
                double pred = bias;
                for (int a = 0; a < w.length; a++) {
                    int i = active[a];
                    pred += ((data.masks[r][i] ? 1 : 0) - mean[i]) / std[i] * w[a];
                }
                sse += (data.outputs[r][j] - pred) * (data.outputs[r][j] - pred);
            }
            return sse / rows.length;
        }
    }

    /** The backend these tests fit with; a subclass runs them on another. */
    protected Supplier<LinearAlgebra> backend() {
        return Nd4jLinearAlgebra::new;
    }

    private void run(Path store, Path out, FitConfig config) {
        new FitService(backend()).fit(new FitRequest(store, out, config), p -> { }, new Cancellation());
    }

    private static SyntheticStore sparseData() {
        return SyntheticStore.generate(21, ROWS, P, M, 0.8, 1.5, 6, -1, -1);
    }

    private static FitConfig lassoConfig(int k, double eps) {
        return FitConfig.builder().optSolver(Solver.LASSO, "test").optNumTrain(RowCount.of(TRAIN))
                .optNumVal(RowCount.of(ROWS - TRAIN)).optK(k).optEps(eps).build();
    }

    @Test
    void lassoPathMeetsKktEverywhereAndChoosesLambdaLikeABruteForceValidationSearch(@TempDir Path tmp) throws IOException {
        SyntheticStore data = sparseData();
        Path store = data.write(tmp.resolve("store"), "margins", Dtype.FLOAT32);
        List<double[]> lambdas = new ArrayList<>();
        List<double[][]> weights = new ArrayList<>();
        Path out = tmp.resolve("out");
        new FitService(backend()).fit(new FitRequest(store, out, lassoConfig(15, 1e-3)), p -> { }, new Cancellation(),
                (lam, w) -> {
                    lambdas.add(lam.clone());
                    weights.add(w);
                });
        Attributions a = Attributions.read(out);
        int[] train = SyntheticStore.range(0, TRAIN);
        int[] validation = SyntheticStore.range(TRAIN, ROWS);
        GramForm form = GramForm.of(data, train);
        // λ = 0, then up to k = 15 path values; here every example stops early (validation error rose after ≥ 10 λ's).
        assertTrue(lambdas.size() >= 10 && lambdas.size() < 16, "steps: " + lambdas.size());

        // KKT at every λ of the path, for every example on it.
        for (int s = 0; s < lambdas.size(); s++) {
            for (int j = 0; j < M; j++) {
                if (Double.isNaN(lambdas.get(s)[j])) {
                    continue;
                }
                double tolerance = 1e-4 * form.lambdaMax(j);
                double violation = form.kktViolation(weights.get(s)[j], j, lambdas.get(s)[j]);
                assertTrue(violation <= tolerance, "step " + s + ", example " + j + ": KKT violated by " + violation);
            }
        }
        // Path values: λ_max · eps^(t/k), λ_max of the standardised problem.
        for (int j = 0; j < M; j++) {
            assertEquals(0.0, lambdas.get(0)[j]);
            assertEquals(form.lambdaMax(j), lambdas.get(1)[j], 1e-6 * form.lambdaMax(j));
            assertEquals(form.lambdaMax(j) * Math.pow(1e-3, 3.0 / 15), lambdas.get(4)[j], 1e-6 * form.lambdaMax(j));
        }

        // Brute force: validation MSE of every λ from the rows, then the reference's rule for keeping and stopping.
        int chosePositive = 0;
        for (int j = 0; j < M; j++) {
            double best = Double.NaN;
            double bestMse = Double.POSITIVE_INFINITY;
            double last = Double.POSITIVE_INFINITY;
            int done = 0;
            boolean onPath = true;
            for (int s = 0; s < lambdas.size(); s++) {
                double lam = lambdas.get(s)[j];
                if (!onPath) {
                    assertTrue(Double.isNaN(lam), "example " + j + " should have left the path before step " + s);
                    continue;
                }
                assertTrue(!Double.isNaN(lam), "example " + j + " left the path too early, at step " + s);
                double[] w = weights.get(s)[j];
                double mse = form.mse(data, validation, w, j, form.outputMean()[j]);
                done++;
                if (mse <= bestMse) {
                    bestMse = mse;
                    best = lam;
                }
                long nonZeros = java.util.Arrays.stream(w).filter(v -> v != 0).count();
                boolean worse = mse > last && done >= 10 && nonZeros > 1;
                last = mse;
                onPath = !(worse || s == 15);
            }
            assertTrue(!onPath, "example " + j + " should still be on the path after the last step the solver ran");
            assertEquals(best, a.lam()[j], 1e-6 * Math.max(best, 1e-30), "chosen λ of example " + j);
            assertEquals(bestMse, a.valMse()[j], 1e-5 * bestMse, "validation MSE of example " + j);
            if (best > 0) {
                chosePositive++;
            }
        }
        assertTrue(chosePositive > 0, "the data should make some example prefer λ > 0, so the lasso refit is exercised");

        // The final fit: training + validation rows, standardised over them, at the chosen λ (least squares at λ = 0).
        GramForm all = GramForm.of(data, SyntheticStore.range(0, ROWS));
        for (int j = 0; j < M; j++) {
            double[] w = new double[all.active().length];
            for (int c = 0; c < w.length; c++) {
                w[c] = a.weight()[all.active()[c]][j];
            }
            double violation = all.kktViolation(w, j, a.lam()[j]);
            assertTrue(violation <= 1e-4 * all.lambdaMax(j), "final fit of example " + j + ": KKT violated by " + violation);
            assertEquals(all.outputMean()[j], a.bias()[j], 1e-5 * Math.abs(all.outputMean()[j]));
        }
    }

    @Test
    void lassoWithOneZeroLambdaIsLeastSquares(@TempDir Path tmp) throws IOException {
        SyntheticStore data = sparseData();
        Path store = data.write(tmp.resolve("store"), "margins", Dtype.FLOAT16);
        FitConfig reference = new FitConfigReader().parse("""
                data: {num_train: 450, num_val: 150}
                cfg: {k: 1, eps: 1e-4, manual_max_lambda: 0}
                workbench: {solver: lasso}
                """, "test.yaml");
        assertEquals(Solver.LASSO, reference.solver());
        run(store, tmp.resolve("lasso"), reference);
        run(store, tmp.resolve("ols"), reference.toBuilder().optSolver(Solver.OLS, "test").build());
        Attributions lasso = Attributions.read(tmp.resolve("lasso"));
        Attributions ols = Attributions.read(tmp.resolve("ols"));
        // Two exact solvers of the same problem (the path's Gram-form λ = 0 step, and least squares' own plan):
        // equal up to float64 rounding and the float32 of weight.npy.
        for (int i = 0; i < P; i++) {
            assertArrayEquals(ols.weight()[i], lasso.weight()[i], 1e-6);
        }
        assertArrayEquals(ols.bias(), lasso.bias(), 1e-6);
        assertArrayEquals(new double[M], lasso.lam());
        for (int j = 0; j < M; j++) {
            // Validation error from the validation rows' Gram (the path) and from predictions (least squares).
            assertEquals(ols.valMse()[j], lasso.valMse()[j], 1e-6 * ols.valMse()[j]);
        }
    }

    @Test
    void ridgeChoosesLikeABruteForceSearchAndMatchesTheClosedForm(@TempDir Path tmp) throws IOException {
        SyntheticStore data = sparseData();
        Path store = data.write(tmp.resolve("store"), "margins", Dtype.FLOAT32);
        List<Double> grid = List.of(3.0, 1.0, 0.3, 0.1, 0.03, 0.01);
        FitConfig config = FitConfig.builder().optSolver(Solver.RIDGE, "test").optNumTrain(RowCount.of(TRAIN))
                .optNumVal(RowCount.of(ROWS - TRAIN)).optK(1).optLambdas(grid).optIncludeZeroLambda(false).build();
        run(store, tmp.resolve("out"), config);
        Attributions a = Attributions.read(tmp.resolve("out"));
        GramForm train = GramForm.of(data, SyntheticStore.range(0, TRAIN));
        GramForm all = GramForm.of(data, SyntheticStore.range(0, ROWS));
        int[] validation = SyntheticStore.range(TRAIN, ROWS);
        for (int j = 0; j < M; j++) {
            double best = Double.NaN;
            double bestMse = Double.POSITIVE_INFINITY;
            for (double lam : grid) { // largest first; ties go to the smaller λ
                double mse = train.mse(data, validation, ridge(train, j, lam), j, train.outputMean()[j]);
                if (mse <= bestMse) {
                    bestMse = mse;
                    best = lam;
                }
            }
            assertEquals(best, a.lam()[j], 1e-7, "chosen λ of example " + j);
            assertEquals(bestMse, a.valMse()[j], 1e-5 * bestMse);
            double[] w = ridge(all, j, best);
            for (int c = 0; c < w.length; c++) {
                assertEquals(w[c], a.weight()[all.active()[c]][j], 1e-5, "final ridge weight " + c + " of example " + j);
            }
        }
    }

    /** (G + λI)⁻¹ c_j. */
    private static double[] ridge(GramForm f, int j, double lambda) {
        int q = f.active().length;
        double[][] a = new double[q][q];
        for (int r = 0; r < q; r++) {
            a[r] = f.g()[r].clone();
            a[r][r] += lambda;
        }
        return DenseReference.solve(a, f.c()[j]);
    }
}
