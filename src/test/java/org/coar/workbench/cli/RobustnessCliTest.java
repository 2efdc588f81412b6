package org.coar.workbench.cli;

import static org.coar.workbench.cli.CoarRun.coar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.coar.workbench.ablation.BuildProgress;
import org.coar.workbench.job.Progress;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.npy.NpyHeader;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.coar.workbench.model.WorkerStatus;

/** What the probe of issue 14 saw as stack traces: each is one line naming the file, field and fix, exit 1. */
class RobustnessCliTest {
    private static final String DATA = Fixtures.resource("org/coar/workbench/demo/eval-images-idx3-ubyte.gz").toString();

    private static void assertOneLineFailure(CoarRun run, String expected) {
        assertEquals(1, run.exitCode(), run.err());
        assertFalse(run.err().contains("unexpected failure") || run.err().contains("\tat "), run.err());
        assertEquals(1, run.err().strip().lines().count(), "one line: " + run.err());
        assertTrue(run.err().contains(expected), run.err());
    }

    private static Path initSmallStore(Path tmp, int components, int examples) throws Exception {
        Path spec = Files.writeString(tmp.resolve("spec.json"), "{\"num_models\": 4, \"schema\": {\"masks\": {\"dtype\": \"bool_\", "
                + "\"shape\": [" + components + "]}, \"margins\": {\"dtype\": \"float32\", \"shape\": [" + examples + "]}}}");
        Path store = tmp.resolve("store");
        assertEquals(0, coar("init", "--spec", spec.toString(), "--store", store.toString()).exitCode());
        return store;
    }

    private static CoarRun build(Path store, String model, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("build", "--store", store.toString(), "--model",
                Fixtures.resource("robustness/" + model + ".pt").toString(), "--data", DATA, "--limit", "20", "--devices", "cpu"));
        args.addAll(List.of(more));
        if (!args.contains("--cpu-workers")) {
            args.addAll(List.of("--cpu-workers", "1"));
        }
        return coar(args.toArray(String[]::new));
    }

    @Test
    void modelsWithOddOutputsAndBadArraysFailWithOneLine(@TempDir Path tmp) throws Exception {
        Path store = initSmallStore(tmp, 16, 20);
        assertOneLineFailure(build(store, "tuple_out"), "--model-output 1");
        assertOneLineFailure(build(store, "none_out"), "the model's forward returned something that is not a tensor (None");
        assertOneLineFailure(build(store, "fewer_rows"), "the model returned logits of shape (1, 10), expected (20, 10)");
        assertOneLineFailure(build(store, "odd_batch_fails", "--batch-size", "7"), "odd batches are not supported");
        assertOneLineFailure(build(store, "logits", "--output-array", "masks"), "--output-array masks: that array holds the keep-masks");
        assertOneLineFailure(build(store, "logits", "--cpu-workers", "-1"), "--cpu-workers must be 0 (one per core) or more, got -1");
        assertOneLineFailure(build(store, "logits", "--claim-timeout", "-5"), "--claim-timeout must be more than 0 minutes, got -5");
        assertFalse(Files.exists(store.resolve("run.json")), "no failed first build recorded its settings");

        CoarRun named = build(store, "tuple_out", "--model-output", "1");
        assertEquals(0, named.exitCode(), named.err());
        assertTrue(Files.readString(store.resolve("run.json")).contains("\"output_element\" : \"1\""));
    }

    @Test
    void specsAndArraysTooLargeForAnyDiskAreOneLineErrorsAndLeaveNothing(@TempDir Path tmp) throws Exception {
        Path spec = Files.writeString(tmp.resolve("spec.json"), "{\"num_models\": 9000000000000000000, \"schema\": {\"masks\": "
                + "{\"dtype\": \"bool_\", \"shape\": [2304]}}}");
        CoarRun init = coar("init", "--spec", spec.toString(), "--store", tmp.resolve("store").toString());
        assertEquals(1, init.exitCode(), init.err());
        assertTrue(init.err().contains("schema.masks.shape: num_models 9000000000000000000 × shape [2304] × 1 bytes exceeds 2^63 bytes"),
                init.err());
        assertFalse(init.err().contains("unexpected failure"), init.err());
        assertFalse(Files.exists(tmp.resolve("store")));

        Path store = Files.createDirectories(tmp.resolve("corrupt"));
        Files.write(store.resolve("masks.npy"), new NpyHeader(Dtype.FLOAT64, new long[] {1L << 40, 1L << 40}, 128, 1).encode());
        Files.write(store.resolve("_completed.npy"), java.util.Arrays.copyOf(new NpyHeader(Dtype.BOOL, new long[] {4}, 128, 1).encode(), 132));
        assertOneLineFailure(coar("info", store.toString()), store.resolve("masks.npy") + ": the header declares shape "
                + "(1099511627776, 1099511627776) of <f8, more than 2^63 bytes");
    }

    @Test
    void initOnAFileSaysSoAndAStoreBeyondTheFreeDiskIsWarnedAbout(@TempDir Path tmp) throws Exception {
        Path spec = Files.writeString(tmp.resolve("spec.json"), "{\"num_models\": 1000000000000, \"schema\": {\"masks\": "
                + "{\"dtype\": \"bool_\", \"shape\": [2304]}}}");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertOneLineFailure(coar("init", "--spec", spec.toString(), "--store", file.toString()), file + ": is a file, not a directory");
        CoarRun big = coar("init", "--spec", spec.toString(), "--store", tmp.resolve("big").toString());
        if (big.exitCode() == 0) { // a filesystem that holds a sparse 2 PB file (ext4 refuses it: File too large)
            assertTrue(big.err().contains("warning: " + tmp.resolve("big") + ": the store takes 2.0 PiB when filled, but its disk has"),
                    big.err());
        } else {
            assertTrue(big.err().contains("Files created so far were removed"), big.err());
            assertFalse(Files.exists(tmp.resolve("big")));
        }
    }

    @Test
    void theProgressLineShowsNanOutputsAtOnce() {
        BuildProgress clean = new BuildProgress(new Progress(BuildProgress.STAGE, 1, 10, "rows"), 1, null, List.of(new BuildProgress.WorkerState("cpu", WorkerStatus.RUNNING, 1)), 0.5, 0.9,
                null, Double.NaN, 0, -1);
        BuildProgress nan = new BuildProgress(new Progress(BuildProgress.STAGE, 2, 10, "rows"), 1, null, List.of(new BuildProgress.WorkerState("cpu", WorkerStatus.RUNNING, 2)), Double.NaN,
                0.9, null, Double.NaN, 1, 1);
        assertFalse(ProgressBar.render(clean).contains("NaN/Inf"), ProgressBar.render(clean));
        assertTrue(ProgressBar.render(nan).contains("WARNING: 1 row(s) with NaN/Inf outputs (first: row 1)"), ProgressBar.render(nan));
        java.io.StringWriter text = new java.io.StringWriter();
        ProgressBar bar = new ProgressBar(new java.io.PrintWriter(text), false);
        bar.update(clean);
        bar.update(nan); // within the plain-output interval, but new NaN rows are printed at once
        assertEquals(2, text.toString().lines().count(), text.toString());
    }

    @Test
    void infoShowsAKilledBuilderOfThisHostAsDead(@TempDir Path tmp) throws Exception {
        Path store = initSmallStore(tmp, 4, 3);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String host = java.net.InetAddress.getLocalHost().getHostName();
        String now = Instant.now().toString();
        Files.createDirectories(store.resolve("tasks"));
        Files.writeString(store.resolve("tasks").resolve(host + "-" + gone.pid() + ".json"), "{\"host\": \"" + host + "\", \"pid\": "
                + gone.pid() + ", \"start\": 0, \"end\": 4, \"rows_built\": 1, \"rows_per_second\": 1.0, \"state\": \"running\", "
                + "\"started\": \"" + now + "\", \"updated\": \"" + now + "\"}");
        CoarRun info = coar("info", store.toString());
        assertEquals(0, info.exitCode(), info.err());
        assertTrue(info.out().contains("DEAD"), info.out());
        assertTrue(info.out().contains("whose process is gone"), info.out());
    }
}
