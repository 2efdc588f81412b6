package org.coar.workbench.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

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
}
