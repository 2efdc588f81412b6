package org.coar.workbench.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store numpy wrote in the reference layout, fitted with the reference config, against numpy's lstsq (tools/make_fit_fixtures.py). */
class FitNumpyInteropTest {

    @Test
    void numpyStoreFitsAndPredictsLikeNumpyLstsqAndNumpyReadsTheOutput(@TempDir Path tmp) throws Exception {
        Path store = Fixtures.resource("fit/numpy_store");
        FitConfig config = new FitConfigReader().read(Fixtures.resource("fit/regression_config.yaml"));
        assertEquals(Solver.OLS, config.solver(), "k: 1, manual_max_lambda: 0 means least squares");
        assertTrue(config.warnings().isEmpty(), config.warnings().toString());
        Path out = tmp.resolve("attributions");
        FitResult result = new FitService().fit(new FitRequest(store, out, config), p -> { }, new Cancellation());
        assertEquals(150, result.trainRows());
        assertEquals(50, result.validationRows());

        JsonNode expected = new ObjectMapper().readTree(Fixtures.resource("fit/numpy_expected.json").toFile());
        Attributions a = Attributions.read(out);
        JsonNode active = expected.get("active");
        double scale = 0;
        for (JsonNode row : expected.get("weight")) {
            for (JsonNode v : row) {
                scale = Math.max(scale, Math.abs(v.asDouble()));
            }
        }
        for (int c = 0; c < active.size(); c++) {
            int i = active.get(c).asInt();
            assertEquals(expected.get("mask_mean").get(i).asDouble(), a.maskMean()[i], 1e-6);
            assertEquals(expected.get("mask_std").get(i).asDouble(), a.maskStd()[i], 1e-6);
            for (int j = 0; j < 6; j++) {
                assertEquals(expected.get("weight").get(c).get(j).asDouble(), a.weight()[i][j], 1e-4 * scale);
            }
        }
        boolean[][] masks = readMasks(store);
        JsonNode probes = expected.get("probe_rows");
        for (int r = 0; r < probes.size(); r++) {
            for (int j = 0; j < 6; j++) {
                double want = expected.get("probe_predictions").get(r).get(j).asDouble();
                assertEquals(want, a.predict(masks[probes.get(r).asInt()], j), 1e-4 * Math.max(1, Math.abs(want)),
                        "probe row " + probes.get(r) + ", example " + j);
            }
        }

        // numpy opens every output and, with DESIGN.md's formula, predicts what its own lstsq predicts.
        Fixtures.Result check = Fixtures.python("-c", """
                import json, sys, numpy as np
                out, store, expected = sys.argv[1:4]
                e = json.load(open(expected))
                w = np.load(out + '/weight.npy'); b = np.load(out + '/bias.npy'); lam = np.load(out + '/lam.npy')
                mean = np.load(out + '/mask_mean.npy'); std = np.load(out + '/mask_std.npy')
                raw = np.load(out + '/raw_weight.npy')
                assert w.dtype == np.float32 and w.shape == (24, 6), (w.dtype, w.shape)
                assert b.shape == (6,) and lam.shape == (6,) and mean.shape == (24,) and std.shape == (24,) and raw.shape == (24, 6)
                assert np.all(lam == 0) and np.all(np.isfinite(w)) and np.all(np.isfinite(raw))
                x = np.load(store + '/masks.npy')[e['probe_rows']].astype(np.float64)
                pred = ((x - mean) / std) @ w + b
                err = np.abs(pred - np.array(e['probe_predictions'])).max()
                assert err < 1e-3, err
                print('ok', err)
                """, out.toString(), store.toString(), Fixtures.resource("fit/numpy_expected.json").toString());
        assertEquals(0, check.exitCode(), check.output());
    }

    private static boolean[][] readMasks(Path store) throws IOException {
        try (NpyArray masks = NpyArray.open(store.resolve("masks.npy"), false)) {
            boolean[][] x = new boolean[(int) masks.rows()][];
            for (int r = 0; r < x.length; r++) {
                float[] row = masks.readRow(r);
                x[r] = new boolean[row.length];
                for (int i = 0; i < row.length; i++) {
                    x[r][i] = row[i] != 0;
                }
            }
            return x;
        }
    }
}
