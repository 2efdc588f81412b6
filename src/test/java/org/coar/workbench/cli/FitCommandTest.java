package org.coar.workbench.cli;

import static org.coar.workbench.cli.CoarRun.coar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FitCommandTest {
    @Test
    void fitsTheNumpyStoreWithTheReferenceConfig(@TempDir Path tmp) {
        Path out = tmp.resolve("attributions");
        CoarRun run = coar("fit", "--store", Fixtures.resource("fit/numpy_store").toString(), "--config",
                Fixtures.resource("fit/regression_config.yaml").toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("fit: solver ols (the config asks for λ = 0 (cfg.k = 1, cfg.manual_max_lambda = 0))"), run.err());
        assertTrue(run.err().contains("reading rows") && run.err().contains("done"), run.err());
        assertTrue(run.out().contains("Wrote " + out), run.out());
        assertTrue(run.out().contains("solver ols; 6 examples x 24 components (1 constant, weight 0)"), run.out());
        assertTrue(run.out().contains("rows: 150 train, 50 validation, final fit on 200"), run.out());
        for (String file : new String[] {"weight.npy", "bias.npy", "lam.npy", "raw_weight.npy", "mask_mean.npy", "mask_std.npy", "report.json"}) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
    }

    @Test
    void failuresExitOneAndUsageErrorsTwo(@TempDir Path tmp) {
        CoarRun overAsked = coar("fit", "--store", Fixtures.resource("fit/numpy_store").toString(), "--out", tmp.resolve("o").toString(),
                "--num-train", "500", "--num-val", "10");
        assertEquals(1, overAsked.exitCode());
        assertTrue(overAsked.err().contains("only 218 of 240 rows are completed"), overAsked.err());
        CoarRun badSolver = coar("fit", "--store", Fixtures.resource("fit/numpy_store").toString(), "--solver", "saga");
        assertEquals(1, badSolver.exitCode());
        assertTrue(badSolver.err().contains("--solver: must be ols, lasso or ridge"), badSolver.err());
        assertEquals(2, coar("fit").exitCode(), "--store is required");
        CoarRun help = coar("fit", "--help");
        assertTrue(help.out().contains("--store=DIR") && help.out().contains("--config") && help.out().contains("--exclude-non-finite"), help.out());
    }

    @Test
    void numTrainAndNumValReadCountsAndFractionsByHowTheyAreWritten() {
        String store = Fixtures.resource("fit/numpy_store").toString();
        // 218 of the store's 240 rows are completed.
        CoarRun counts = coar("fit", "--store", store, "--plan", "--device", "cpu", "--num-train", "150.0", "--num-val", "0.2");
        assertEquals(0, counts.exitCode(), counts.err());
        assertTrue(counts.out().contains("150 training + 43 validation rows"), counts.out());
        CoarRun all = coar("fit", "--store", store, "--plan", "--device", "cpu", "--num-train", "1.0", "--num-val", "0");
        assertEquals(0, all.exitCode(), all.err());
        assertTrue(all.out().contains("218 training + 0 validation rows"), all.out());
        CoarRun one = coar("fit", "--store", store, "--plan", "--device", "cpu", "--num-train", "1", "--num-val", "0");
        assertEquals(0, one.exitCode(), one.err());
        assertTrue(one.out().contains("1 training + 0 validation rows"), one.out());

        CoarRun half = coar("fit", "--store", store, "--plan", "--device", "cpu", "--num-train", "1.5");
        assertEquals(1, half.exitCode());
        assertTrue(half.err().contains("--num-train: expected a row count (a whole number, e.g. 45000) or a fraction of the "
                + "completed rows between 0 and 1 (e.g. 0.9 for 90 %), found \"1.5\""), half.err());
    }

    @Test
    void aGpuThatCannotBeUsedIsRefusedSayingWhereItLookedAndAutoFallsBackToTheCpu(@TempDir Path tmp) throws Exception {
        Path noLibraries = Files.createDirectories(tmp.resolve("no-cuda-here"));
        CoarRun gpu = coar("fit", "--store", Fixtures.resource("fit/numpy_store").toString(), "--out", tmp.resolve("gpu").toString(),
                "--device", "cuda:0", "--cuda-libs", noLibraries.toString());
        assertEquals(1, gpu.exitCode(), gpu.err());
        assertTrue(gpu.err().contains("--device cuda:0: no CUDA libraries were found (CUDA runtime, cuBLAS, cuSOLVER)"), gpu.err());
        assertTrue(gpu.err().contains(noLibraries.toString()) && gpu.err().contains("pip install nvidia-cuda-runtime nvidia-cublas")
                && gpu.err().contains("--device cpu"), gpu.err());
        assertTrue(!Files.exists(tmp.resolve("gpu")), "nothing written");

        Path out = tmp.resolve("auto");
        CoarRun auto = coar("fit", "--store", Fixtures.resource("fit/numpy_store").toString(), "--out", out.toString(),
                "--device", "auto", "--cuda-libs", noLibraries.toString());
        assertEquals(0, auto.exitCode(), auto.err());
        assertTrue(auto.err().contains("fit: device CPU (ND4J) (auto: no usable GPU, no CUDA libraries were found)"), auto.err());
        JsonNode device = new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("device");
        assertEquals("cpu", device.get("device").asText(), device.toString());
        assertTrue(device.get("linear_algebra").asText().startsWith("ND4J"), device.toString());
        assertTrue(device.get("memory_total_bytes").asLong() > 0, device.toString());

        CoarRun bad = coar("fit", "--store", Fixtures.resource("fit/numpy_store").toString(), "--device", "tpu");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("--device: expected cpu, cuda:N (e.g. cuda:0) or auto, found \"tpu\""), bad.err());
    }
}
