package org.coar.workbench.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.npy.NpyArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FitConfigWriterTest {
    @Test
    void leastSquaresIsWrittenTheReferenceWayAndReadsBack() {
        FitConfig config = FitConfig.builder().optNumTrain(RowCount.of(45_000)).optNumVal(RowCount.of(5_000)).optSeed(3L).build();
        String yaml = new FitConfigWriter().toYaml(config);
        assertTrue(yaml.contains("num_train: 45000"), yaml);
        assertTrue(yaml.contains("k: 1"), yaml);
        assertTrue(yaml.contains("manual_max_lambda: 0"), yaml);
        FitConfig back = new FitConfigReader().parse(yaml, "exported.yaml");
        assertEquals(Solver.OLS, back.solver());
        assertEquals(RowCount.of(45_000), back.numTrain());
        assertEquals(RowCount.of(5_000), back.numVal());
        assertEquals(3L, back.seed());
        assertTrue(back.warnings().isEmpty(), back.warnings().toString());
    }

    @Test
    void lassoPathAndFractionsReadBack() {
        FitConfig config = FitConfig.builder().optSolver(Solver.LASSO, "test").optK(7).optEps(1e-3).build();
        FitConfig back = new FitConfigReader().parse(new FitConfigWriter().toYaml(config), "exported.yaml");
        assertEquals(Solver.LASSO, back.solver());
        assertEquals(7, back.k());
        assertEquals(1e-3, back.eps());
        assertEquals(RowCount.fractionOf(0.9), back.numTrain());
        assertNull(back.seed());
    }

    @Test
    void everyRowAndOneRowStayApartThroughTheYaml() {
        FitConfig config = FitConfig.builder().optNumTrain(RowCount.fractionOf(1.0)).optNumVal(RowCount.of(1)).build();
        String yaml = new FitConfigWriter().toYaml(config);
        assertTrue(yaml.contains("num_train: 1.0\n") && yaml.contains("num_val: 1\n"), yaml);
        FitConfig back = new FitConfigReader().parse(yaml, "exported.yaml");
        assertEquals(200, back.numTrain().resolve(200));
        assertEquals(1, back.numVal().resolve(200));
    }

    @Test
    void summaryBinsEveryExampleAndSeparatesZeroLambdas(@TempDir Path dir) throws IOException {
        double[] r2 = {0.1, 0.2, 0.9, 1.0, Double.NaN};
        double[] lam = {0, 0, 0.01, 0.1, 1};
        for (String name : List.of("val_r2", "lam")) {
            double[] values = name.equals("lam") ? lam : r2;
            NpyArray.create(dir.resolve(name + ".npy"), Dtype.FLOAT32, values.length);
            try (NpyArray array = NpyArray.open(dir.resolve(name + ".npy"), true)) {
                for (int i = 0; i < values.length; i++) {
                    array.set(i, values[i]);
                }
            }
        }
        AttributionsSummary summary = AttributionsSummary.read(dir, 3);
        // R² over [0.1, 1.0] in 3 bins of 0.3: {0.1, 0.2}, {}, {0.9, 1.0}; the NaN is left out.
        assertEquals(List.of(2L, 0L, 2L), java.util.Arrays.stream(summary.r2().counts()).boxed().toList());
        // log10 λ of the non-zero λ's: -2, -1, 0 in 3 bins over [-2, 0].
        assertEquals(List.of(1L, 1L, 1L), java.util.Arrays.stream(summary.lambda().counts()).boxed().toList());
        assertEquals(2, summary.zeroLambdas());
        assertEquals(5, summary.examples());
    }
}
