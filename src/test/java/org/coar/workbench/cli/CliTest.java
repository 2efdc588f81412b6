package org.coar.workbench.cli;

import static org.coar.workbench.cli.CoarRun.coar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.coar.workbench.job.JobCancelledException;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @Test
    void initThenInfoOnTheReferenceTestSpec(@TempDir Path tmp) {
        Path store = tmp.resolve("store");
        CoarRun init = coar("init", "--spec", Fixtures.resource("store/spec_test.json").toString(), "--store", store.toString());
        assertEquals(0, init.exitCode(), init.err());
        assertTrue(Files.exists(store.resolve("test_margins.npy")));
        CoarRun info = coar("info", store.toString());
        assertEquals(0, info.exitCode(), info.err());
        assertTrue(info.out().contains("masks                bool_    (100, 2304)"), info.out());
        assertTrue(info.out().contains("test_margins         float16  (100, 10000)"), info.out());
        assertTrue(info.out().contains("Rows completed: 0 / 100"), info.out());
        assertTrue(info.out().contains("Rows: 0-99 pending"), info.out());
    }

    @Test
    void exitCodesAreZeroOneTwo(@TempDir Path tmp) {
        assertEquals(0, coar("--version").exitCode());
        assertTrue(coar("--version").out().contains("COAR Workbench"));
        assertEquals(2, coar("init", "--store", tmp.toString()).exitCode(), "missing required option is a usage error");
        assertEquals(2, coar("frobnicate").exitCode());
        CoarRun failure = coar("info", tmp.resolve("absent").toString());
        assertEquals(1, failure.exitCode());
        assertEquals("error: " + tmp.resolve("absent") + ": no such store directory", failure.err().strip());
    }

    @Test
    void aCancelledJobExitsWith130AndOneLineSayingWhatStays() {
        StringWriter text = new StringWriter();
        JobCancelledException cancelled = assertThrows(JobCancelledException.class,
                () -> Interruptible.run(new PrintWriter(text), "nothing is written", cancel -> {
                    cancel.cancel(); // as Ctrl-C does
                    cancel.throwIfCancelled();
                    return "finished";
                }));
        assertEquals("", text.toString(), "nothing is printed while the job ends");
        assertEquals(130, Main.exitCodeOf(cancelled, new PrintWriter(text, true)));
        assertEquals("coar: cancelled; nothing is written", text.toString().strip());
        assertFalse(text.toString().contains("unexpected failure"));
    }

    @Test
    void badSpecFailsWithTheFieldNamedAndCreatesNothing(@TempDir Path tmp) throws Exception {
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"num_models\": 10, \"schema\": {\"masks\": {\"dtype\": \"float128\", \"shape\": [4]}}}");
        CoarRun run = coar("init", "--spec", spec.toString(), "--store", tmp.resolve("store").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("schema.masks.dtype: unknown dtype \"float128\""), run.err());
        assertTrue(Files.notExists(tmp.resolve("store")));
    }

    @Test
    void componentsListsTheDemoModelsGroupsWithoutTheHeadAndHonoursExclude() {
        String model = Fixtures.resource("org/coar/workbench/demo/fashion_cnn.pt").toString();
        CoarRun all = coar("components", model);
        assertEquals(0, all.exitCode(), all.err());
        // The demo CNN as PyTorch defines it (tools/train_demo_model.py): conv 32, 64, 64 filters, fc1 80 neurons, fc2 the 10-way head.
        assertTrue(all.out().matches("(?s).*yes conv1\\.weight +\\[32, 1, 3, 3\\] +32\\n.*"), all.out());
        assertTrue(all.out().matches("(?s).*no  fc2\\.weight +\\[10, 80\\] +10  \\(classifier head.*"), all.out());
        assertTrue(all.out().contains("Components: 240 in 4 groups. In the spec: \"masks\": {\"dtype\": \"bool_\", \"shape\": [240]}"), all.out());
        assertTrue(all.out().contains("Recommended: at least 2,000 models"), all.out());
        CoarRun without = coar("components", model, "--exclude", "conv1*");
        assertTrue(without.out().contains("Components: 208 in 3 groups"), without.out());
        CoarRun none = coar("components", model, "--include", "nothing*");
        assertEquals(1, none.exitCode());
        assertTrue(none.err().contains("no component groups selected"), none.err());
    }

    @Test
    void componentsSelectsByPresetAndListsEveryPresetsCount() {
        String model = Fixtures.resource("org/coar/workbench/demo/fashion_cnn.pt").toString();
        CoarRun resnet = coar("components", model, "--components", "reference-resnet");
        assertEquals(0, resnet.exitCode(), resnet.err());
        // the reference's ResNet rule takes the three convs (32 + 64 + 64) and no linear layer
        assertTrue(resnet.out().contains("Components: 160 in 3 groups."), resnet.out());
        assertTrue(resnet.out().matches("(?s).*no  fc1\\.weight .*"), resnet.out());
        assertTrue(resnet.out().matches("(?s).*\\n  default +240  .*\\n  reference-resnet +160  .*\\n  reference-vit +90  .*"
                + "\\n  reference-gpt2 +none  .*"), resnet.out());
        assertTrue(resnet.out().contains("Give the same --components/--include/--exclude to 'coar build'"), resnet.out());
        CoarRun unknown = coar("components", model, "--components", "resnet50");
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("--components resnet50: not a component preset; use one of default, reference-resnet"),
                unknown.err());
    }

    @Test
    void everyOptionHasHelpText() {
        CoarRun help = coar("init", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("--spec=SPEC.json") && help.out().contains("--store=DIR"), help.out());
    }

    @Test
    void buildRefusesBadModelsAndMissingSettingsWithExitCodeOne(@TempDir Path tmp) {
        Path store = tmp.resolve("store");
        assertEquals(0, coar("init", "--spec", Fixtures.resource("store/spec_small.json").toString(), "--store", store.toString()).exitCode());
        CoarRun noSettings = coar("build", "--store", store.toString());
        assertEquals(1, noSettings.exitCode());
        assertTrue(noSettings.err().contains("no run.json yet, so the first build needs --model and --data"), noSettings.err());

        String data = Fixtures.resource("org/coar/workbench/demo/eval-images-idx3-ubyte.gz").toString();
        CoarRun pickle = coar("build", "--store", store.toString(), "--model", Fixtures.resource("ablation/not_torchscript.pt").toString(),
                "--data", data, "--limit", "3");
        assertEquals(1, pickle.exitCode());
        assertTrue(pickle.err().contains("not a TorchScript model"), pickle.err());

        CoarRun device = coar("build", "--store", store.toString(), "--model", Fixtures.resource("org/coar/workbench/demo/fashion_cnn.pt").toString(),
                "--data", data, "--limit", "3", "--devices", "cuda:3");
        assertEquals(1, device.exitCode());
        assertTrue(device.err().contains("--devices: cuda:3 is not available here; available: cpu"), device.err());
    }
}
