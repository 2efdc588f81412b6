package org.coar.workbench.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every least-squares plan — primal and dual, one block and several, float64 and float32 (with
 * refinement), sparse and dense statistics, either mask side, either validation method — against
 * an independent float64 numpy solution (tools/fit_reference.py): predictions on fresh masks and
 * validation errors to 1e-4 relative.
 */
class FitPlansTest {
    private static final int FRESH = 40;

    private record Case(Path store, Path out, Path reference, boolean[][] fresh) {
    }

    private static Case prepare(Path tmp, long seed, int rows, int p, int m, double keep, int train, int val) throws Exception {
        SyntheticStore data = SyntheticStore.generate(seed, rows, p, m, keep, 0.3, p / 2, -1, -1);
        Path store = data.write(tmp.resolve("store"), "margins", Dtype.FLOAT16);
        Random random = new Random(seed + 1);
        boolean[][] fresh = new boolean[FRESH][p];
        Path freshFile = tmp.resolve("fresh.npy");
        NpyArray.create(freshFile, Dtype.BOOL, FRESH, p);
        try (NpyArray f = NpyArray.open(freshFile, true)) {
            for (int r = 0; r < FRESH; r++) {
                for (int i = 0; i < p; i++) {
                    fresh[r][i] = random.nextDouble() < keep;
                }
                f.writeRow(r, fresh[r]);
            }
        }
        Path reference = tmp.resolve("reference");
        Fixtures.Result r = Fixtures.python(Fixtures.tool("fit_reference.py").toString(), store.toString(), reference.toString(),
                "--num-train", String.valueOf(train), "--num-val", String.valueOf(val), "--masks", freshFile.toString());
        assertEquals(0, r.exitCode(), r.output());
        return new Case(store, tmp.resolve("out"), reference, fresh);
    }

    private static JsonNode fitAndCompare(Case c, FitConfig config, double validationTolerance) throws IOException {
        FitOlsTest.fit(c.store(), c.out(), config);
        Attributions a = Attributions.read(c.out());
        double[][] expected = matrix(c.reference().resolve("predictions.npy"));
        for (int j = 0; j < expected[0].length; j++) {
            double scale = 0;
            for (double[] row : expected) {
                scale = Math.max(scale, Math.abs(row[j]));
            }
            for (int r = 0; r < FRESH; r++) {
                assertEquals(expected[r][j], a.predict(c.fresh()[r], j), 1e-4 * scale, "prediction of fresh mask " + r + ", example " + j);
            }
        }
        double[] mse = vector(c.reference().resolve("val_mse.npy"));
        for (int j = 0; j < mse.length; j++) {
            if (Double.isNaN(mse[j])) {
                assertTrue(Double.isNaN(a.valMse()[j]));
            } else {
                assertEquals(mse[j], a.valMse()[j], validationTolerance * mse[j], "validation MSE of example " + j);
            }
        }
        return new ObjectMapper().readTree(c.out().resolve("report.json").toFile());
    }

    private static FitConfig split(int train, int val) {
        return FitConfig.builder().optNumTrain(RowCount.of(train)).optNumVal(RowCount.of(val)).build();
    }

    private static String plan(JsonNode report, String field) {
        return report.path("plan").path(field).asText();
    }

    @Test
    void primalInOneBlockWithProjectedValidation(@TempDir Path tmp) throws Exception {
        // 40 validation rows, 200 outputs: projecting the rows once is cheaper than solving every output's training weights.
        Case c = prepare(tmp, 1, 600, 60, 200, 0.9, 560, 40);
        JsonNode report = fitAndCompare(c, split(560, 40), 1e-4);
        assertEquals("primal", plan(report, "final_fit"));
        assertEquals("float64", plan(report, "precision"));
        assertEquals(1, report.path("plan").path("blocks").asInt());
        assertTrue(plan(report, "validation").contains("projected"), plan(report, "validation"));
        assertTrue(plan(report, "sparse_side").startsWith("ablated"));
    }

    @Test
    void primalWithValidationFromTheTrainingWeights(@TempDir Path tmp) throws Exception {
        Case c = prepare(tmp, 2, 600, 60, 40, 0.9, 400, 200);
        JsonNode report = fitAndCompare(c, split(400, 200), 1e-4);
        assertTrue(plan(report, "validation").contains("weights"), plan(report, "validation"));
    }

    @Test
    void outputsInBlocksWhenTheBudgetIsSmall(@TempDir Path tmp) throws Exception {
        Case c = prepare(tmp, 3, 500, 50, 100, 0.9, 450, 50);
        FitPlan.Shape shape = new FitPlan.Shape(50, 100, 450, 50, Solver.OLS);
        long budget = FitPlanner.peakBytes(shape, Precision.DOUBLE, false, 32);
        FitConfig config = split(450, 50).toBuilder().optPlan(PlanOptions.AUTO.withMemory(budget)).build();
        JsonNode report = fitAndCompare(c, config, 1e-4);
        assertTrue(report.path("plan").path("blocks").asInt() >= 3, report.path("plan").toString());
        assertTrue(report.path("plan").path("peak_bytes").asLong() <= budget);
        // One block's outputs at a time (float, 500 rows) plus its validation predictions (double,
        // 50 rows), columns padded to tiles of 32, and beside the first block the sample of its
        // training outputs the dense/sparse timing copies: the first block's outputs must not outlive it.
        long width = (report.path("plan").path("block_width").asLong() + 31) / 32 * 32;
        long timingSample = Math.min(4L * DenseStatistics.ROWS, 450) * Math.min(128, width) * 4;
        long oneBlock = Math.max(500 * width * 4 + 50 * width * 8, 500 * width * 4 + timingSample);
        long tilesPeak = report.path("memory").path("output_tiles_peak_bytes").asLong();
        assertTrue(tilesPeak > 0 && tilesPeak <= oneBlock, tilesPeak + " bytes of output tiles at once; one block is " + oneBlock);
    }

    @Test
    void float32GramAndSolves(@TempDir Path tmp) throws Exception {
        Case c = prepare(tmp, 4, 800, 60, 30, 0.9, 700, 100);
        JsonNode report = fitAndCompare(c, split(700, 100).toBuilder().optPlan(new PlanOptions(null, "float32", "auto")).build(), 1e-3);
        assertEquals("float32", plan(report, "precision"));
    }

    @Test
    void float32IsNotRefinedWhereItsMeasuredErrorIsSmall(@TempDir Path tmp) throws Exception {
        // 118 rows for 100 components: a 1-norm condition estimate in the thousands bounds the float32 error by
        // about 2e-4, but the sampled refinement measures it near 5e-6, so no column is refined and 1e-4 holds.
        Case c = prepare(tmp, 5, 118, 100, 12, 0.85, 108, 10);
        JsonNode report = fitAndCompare(c, split(108, 10).toBuilder().optPlan(new PlanOptions(null, "float32", "auto")).build(), 1e-4);
        JsonNode details = report.path("solver").path("details");
        assertEquals(0, details.path("refinement_steps").asInt(), details.toString());
        double measured = details.path("float32_error_measured_on_64_columns").asDouble(Double.NaN);
        assertTrue(measured > 0 && measured < 1e-5, details.toString());
    }

    @Test
    void float32IsRefinedWhereItsMeasuredErrorIsLarge(@TempDir Path tmp) throws Exception {
        // 106 rows for 100 components (κ₂ in the thousands): the sample's correction is above 1e-5, so every
        // column is refined; 100 outputs, so the columns beyond the 64 sampled are refined by the second call.
        // 1e-3: the training fit (96 rows, the dual) is not refined, and its validation error is compared too.
        Case c = prepare(tmp, 7, 106, 100, 100, 0.85, 96, 10);
        JsonNode report = fitAndCompare(c, split(96, 10).toBuilder().optPlan(new PlanOptions(null, "float32", "auto")).build(), 1e-3);
        JsonNode details = report.path("solver").path("details");
        assertTrue(details.path("refinement_steps").asInt() >= 1, details.toString());
        assertTrue(details.path("float32_error_measured_on_64_columns").asDouble() > 1e-5, details.toString());
    }

    @Test
    void denseStatisticsGiveTheSameFit(@TempDir Path tmp) throws Exception {
        Case c = prepare(tmp, 6, 500, 40, 50, 0.9, 450, 50);
        JsonNode report = fitAndCompare(c, split(450, 50).toBuilder().optPlan(new PlanOptions(null, "auto", "dense")).build(), 1e-4);
        assertTrue(report.path("solver").path("details").path("statistics").asText().startsWith("dense"));
    }

    @Test
    void dualWhenRowsAreFewerThanComponents(@TempDir Path tmp) throws Exception {
        Case c = prepare(tmp, 7, 100, 150, 20, 0.9, 80, 20);
        JsonNode report = fitAndCompare(c, split(80, 20), 1e-4);
        assertEquals("dual", plan(report, "training_fit"));
        assertEquals("dual", plan(report, "final_fit"));
        assertTrue(plan(report, "validation").contains("kernel"));
    }

    @Test
    void dualTrainingFitAndPrimalFinalFit(@TempDir Path tmp) throws Exception {
        Case c = prepare(tmp, 8, 200, 100, 20, 0.9, 90, 60);
        JsonNode report = fitAndCompare(c, split(90, 60), 1e-4);
        assertEquals("dual", plan(report, "training_fit"));
        assertEquals("primal", plan(report, "final_fit"));
    }

    @Test
    void keptSideWhenMostComponentsAreAblated(@TempDir Path tmp) throws Exception {
        Case c = prepare(tmp, 9, 500, 40, 30, 0.25, 450, 50);
        JsonNode report = fitAndCompare(c, split(450, 50), 1e-4);
        assertTrue(plan(report, "sparse_side").startsWith("kept"), plan(report, "sparse_side"));
    }

    @Test
    void aBudgetTooSmallForAnyPlanIsRefusedBeforeAnythingIsAllocated(@TempDir Path tmp) throws Exception {
        SyntheticStore data = SyntheticStore.generate(10, 300, 40, 10, 0.9, 0.3, 20, -1, -1);
        Path store = data.write(tmp.resolve("store"), "margins", Dtype.FLOAT32);
        AtomicInteger allocations = new AtomicInteger();
        FitService service = new FitService(() -> new CountingLinearAlgebra(allocations));
        FitConfig config = split(250, 50).toBuilder().optPlan(PlanOptions.AUTO.withMemory(4096L)).build();
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> service.fit(new FitRequest(store, tmp.resolve("out"), config), p -> { }, new Cancellation()));
        assertTrue(e.getMessage().startsWith("no fit plan fits in 4.00 KiB (--memory / workbench.memory): 40 components × 10 outputs, "
                + "250 + 50 rows need at least "), e.getMessage());
        assertTrue(e.getMessage().contains("Ways out: fewer outputs per run do not help"), e.getMessage());
        assertEquals(0, allocations.get(), "refused before any matrix was allocated");
        assertFalse(Files.exists(tmp.resolve("out")));
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().contains(".partial-")), "no staging directory left behind");
        }
    }

    private static double[][] matrix(Path file) throws IOException {
        try (NpyArray a = NpyArray.open(file, false)) {
            int rows = (int) a.rows();
            int cols = (int) a.rowLength();
            double[][] m = new double[rows][cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    m[r][c] = a.get((long) r * cols + c);
                }
            }
            return m;
        }
    }

    private static double[] vector(Path file) throws IOException {
        try (NpyArray a = NpyArray.open(file, false)) {
            double[] v = new double[(int) a.rows()];
            for (int i = 0; i < v.length; i++) {
                v[i] = a.get(i);
            }
            return v;
        }
    }
}
