package org.coar.workbench.ui.regression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Collectors;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** The report the panel shows, read from the version-1 attributions kept as a fixture (formats/v1). */
class FitReportTest {

    @Test
    void aVersionOneFitReadsAsItsSettingsFiguresAndHistograms() {
        FitReport report = FitReport.read(Fixtures.resource("formats/v1/attributions"));
        Map<String, String> shown = report.settings().stream().collect(Collectors.toMap(FitReport.Setting::name, FitReport.Setting::value));
        // As report.json records them: created 2026-12-02T02:36:59Z; 30 + 10 rows; 16 components, all varying; 64 examples.
        assertEquals("2026-12-02 02:36 UTC by workbench 0.1.0-SNAPSHOT", shown.get("Made"));
        assertEquals("ols — the default", shown.get("Solver"));
        assertEquals("30 training + 10 validation (ordered, as the reference); final fit on 40", shown.get("Rows"));
        assertEquals("16 components (16 vary in the rows) × 64 examples", shown.get("Size"));
        assertEquals("median 0.992, mean 0.982, from 0.865 to 1.000 over 64 examples", shown.get("Validation R²"));
        // timings_seconds: total 3.0496, reading 0.1140, solving 0.9469, writing 0.7753.
        assertEquals("3.0 s on cpu (reading 0.1 s, solving 0.9 s, writing 0.8 s)", shown.get("Time"));
        assertTrue(shown.get("Memory").startsWith("peak "), shown.get("Memory"));
        assertNull(shown.get("Warnings"), "the report has none");

        // val_r2.npy from 0.8652 to 0.9998: 0.1346 over 20 bins is 0.0067, rounded to 0.01; edges 0.86 … 1.00.
        // Counted bin by bin from the float32 values (Python's struct, no numpy).
        assertEquals(0.86, report.r2().low(), 1e-12);
        assertEquals(0.01, report.r2().width(), 1e-12);
        assertArrayEquals(new long[] {1, 0, 1, 0, 0, 0, 1, 1, 4, 2, 4, 0, 17, 33}, report.r2().counts());
        assertNull(report.logLambda());
        assertEquals(64, report.zeroLambdas());
        assertEquals("λ = 0 for all 64 examples: exact least squares.", report.lambdaNote());
    }
}
