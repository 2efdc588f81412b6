package org.coar.workbench.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.junit.jupiter.api.Test;

class FitConfigReaderTest {
    private final FitConfigReader reader = new FitConfigReader();

    @Test
    void referenceCoarConfigMeansLeastSquaresAndItsSagaKeysAreAcceptedSilently() {
        // MadryLab/modelcomponents coar/estimate/cifar_resnet/regression_config.yaml, as published.
        FitConfig c = reader.parse("""
                data:
                  data_path: ~
                  num_train: 45000
                  num_val: 5000
                cfg:
                  out_dir: ~
                  num_workers: 8
                  k: 1
                  batch_size: 2500
                  lr: 1e-3
                  eps: 1e-4
                  true_random: true
                  manual_max_lambda: 0
                early_stopping:
                  check_every: 3
                  eps: 1e-10
                """, "cifar.yaml");
        assertEquals(RowCount.of(45000), c.numTrain());
        assertEquals(RowCount.of(5000), c.numVal());
        assertNull(c.seed());
        assertEquals(Solver.OLS, c.solver());
        assertEquals(1e-4, c.eps());
        assertEquals(0.0, c.manualMaxLambda());
        assertTrue(c.warnings().isEmpty(), c.warnings().toString());
        assertEquals("0.001", c.unusedReferenceKeys().get("cfg.lr"));
        assertNull(c.outDir());
    }

    @Test
    void datamodelsConfigWithAPathMeansLassoAndKeepsSeedAndSlice() {
        // MadryLab/datamodels examples/cifar10/regression_config.yaml (comments dropped).
        FitConfig c = reader.parse("""
                data:
                    data_path: 'OUT_DIR/data.beton'
                    num_train: 90
                    num_val: 10
                    seed: 0
                    target_start_ind: 0
                    target_end_ind: -1
                cfg:
                    k: 10
                    batch_size: 10
                    lr: 1e-4
                    eps: 1e-2
                    out_dir: OUT_DIR
                    num_workers: 8
                early_stopping:
                    check_every: 3
                    eps: 5e-1
                """, "dm.yaml");
        assertEquals(Solver.LASSO, c.solver());
        assertTrue(c.solverReason().contains("cfg.k = 10"), c.solverReason());
        assertEquals(0L, c.seed());
        assertEquals(-1, c.targetEnd());
        assertEquals(10, c.k());
        assertEquals(0.01, c.eps());
        assertEquals("OUT_DIR", c.outDir());
    }

    @Test
    void workbenchKeysFractionsAndUnknownKeysAsWarnings() {
        FitConfig c = reader.parse("""
                data: {num_train: 0.8, num_val: 0.2, target_start_ind: 5, target_end_ind: 9}
                cfg: {k: 20, use_bias: 0, colour: blue}
                extras: {a: 1}
                workbench: {solver: ridge, lambdas: [0.1, 1e-2, 0], output_array: test_margins, exclude_non_finite: true}
                """, "mine.yaml");
        assertEquals(RowCount.fractionOf(0.8), c.numTrain());
        assertEquals(80, c.numTrain().resolve(100));
        assertEquals(Solver.RIDGE, c.solver());
        assertEquals(List.of(0.1, 0.01, 0.0), c.lambdas());
        assertEquals("test_margins", c.outputArray());
        assertTrue(c.excludeNonFinite());
        assertEquals(false, c.useBias());
        assertEquals(5, c.targetStart());
        assertEquals(List.of("mine.yaml: unknown key 'cfg.colour' ignored",
                "mine.yaml: unknown section 'extras' ignored (known: data, cfg, early_stopping, workbench)"), c.warnings());
    }

    @Test
    void rowCountsFollowTheOneRuleHowTheyAreWritten() {
        FitConfig whole = reader.parse("data: {num_train: 45000.0, num_val: 1}", "counts.yaml");
        assertEquals(RowCount.of(45_000), whole.numTrain(), "45000.0 is a count, as a tool writing floats may give it");
        assertEquals(RowCount.of(1), whole.numVal(), "1 is one row");
        FitConfig fractions = reader.parse("data: {num_train: 1.0, num_val: '0.25'}", "fractions.yaml");
        assertEquals(1000, fractions.numTrain().resolve(1000), "1.0 is every completed row");
        assertEquals(RowCount.fractionOf(0.25), fractions.numVal());

        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> reader.parse("data: {num_train: 1.5, num_val: [1]}", "half.yaml"));
        assertEquals("half.yaml: data.num_train: expected a row count (a whole number, e.g. 45000) or a fraction of the completed "
                + "rows between 0 and 1 (e.g. 0.9 for 90 %), found \"1.5\"; data.num_val: expected a row count (a whole number, "
                + "e.g. 45000) or a fraction of the completed rows between 0 and 1 (e.g. 0.9 for 90 %), found a list", e.getMessage());
    }

    @Test
    void wrongTypesAreErrorsNamingEveryKey() {
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> reader.parse("""
                data: {num_train: lots, seed: 1.5}
                cfg: {k: ten, eps: 2, manual_max_lambda: -3}
                workbench: {solver: sgd, lambdas: [0.1, x]}
                """, "bad.yaml"));
        String m = e.getMessage();
        for (String expected : List.of("bad.yaml: ", "data.num_train: expected a row count", "found \"lots\"",
                "data.seed: expected an integer, found 1.5", "cfg.k: expected an integer, found \"ten\"",
                "cfg.eps: must be in", "cfg.manual_max_lambda: must be in", "workbench.solver: must be ols, lasso or ridge, found \"sgd\"",
                "workbench.lambdas[1]: expected a number ≥ 0, found \"x\"")) {
            assertTrue(m.contains(expected), "missing <" + expected + "> in: " + m);
        }
        assertThrows(WorkbenchException.class, () -> reader.parse("data: [1, 2", "broken.yaml"));
    }
}
