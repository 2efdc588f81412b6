package org.coar.workbench.ablation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.ModelFixtures;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.store.Store;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.store.RowMasks;

/**
 * A store's first build: what it records in run.json and components.json, when two start together,
 * and what is left when it fails (issue 14).
 */
class FirstBuildTest {
    /** 16 components (fc1 of the robustness models), 40 examples: batches of 16, 16 and 8 at --batch-size 16. */
    private static final int COMPONENTS = 16;
    private static final int EXAMPLES = 40;

    private static Path robustnessModel(String name) {
        return Fixtures.resource("robustness/" + name + ".pt");
    }

    private static Path newStore(Path dir, int rows, int maskWidth, int outputs) {
        Store.create(dir, new SpecCodec().parse("{\"num_models\": " + rows + ", \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": ["
                + maskWidth + "]}, \"margins\": {\"dtype\": \"float32\", \"shape\": [" + outputs + "]}}}", "spec"));
        return dir;
    }

    private static RunConfig run(Path model, double alpha, long seed, String modelOutput) {
        return RunConfig.builder().optModel(model.toString()).optData(ModelFixtures.demoDataSpec(EXAMPLES)).optAlpha(alpha)
                .optSeed(seed).optOutputElement(modelOutput).build();
    }

    private static BuildRequest request(Path store, RunConfig run, int batchSize) {
        return new BuildRequest(store, run, List.of("cpu"), 1, null, null, null, batchSize, false, Duration.ofHours(1));
    }

    private static BuildResult build(Path store, RunConfig requested, int batchSize) {
        BuildService service = new BuildService();
        return service.build(request(store, service.resolveRun(store, requested), batchSize), p -> { }, new Cancellation());
    }

    private static WorkbenchException buildFails(Path store, RunConfig requested, int batchSize) {
        return assertThrows(WorkbenchException.class, () -> build(store, requested, batchSize));
    }

    private static void assertNothingRecorded(Path store) throws Exception {
        assertFalse(RunConfig.exists(store), "run.json must not pin the failed settings");
        assertFalse(Components.exists(store), "components.json must not pin the failed selection");
        try (var entries = Files.list(store)) {
            assertTrue(entries.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file is left");
        }
        try (Store opened = Store.open(store, false)) {
            assertEquals(0, opened.completedCount());
        }
    }

    @Test
    void aSecondFirstBuildResolvedBeforeTheFirstRecordedIsHeldToWhatTheFirstRecorded(@TempDir Path tmp) throws Exception {
        Path store = newStore(tmp.resolve("store"), 4, COMPONENTS, EXAMPLES);
        BuildService service = new BuildService();
        // Both resolve their settings while the store has no run.json yet, as two processes started together do.
        RunConfig first = service.resolveRun(store, run(robustnessModel("logits"), 0.05, 0, null));
        RunConfig second = service.resolveRun(store, run(robustnessModel("logits"), 0.2, 1, null));
        assertEquals(4, service.build(request(store, first, 16), p -> { }, new Cancellation()).rowsBuilt());

        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> service.build(request(store, second, 16), p -> { }, new Cancellation()));
        assertTrue(e.getMessage().contains("--alpha recorded as 0.05, requested 0.2") && e.getMessage().contains("--seed recorded as 0, "
                + "requested 1"), e.getMessage());
        assertEquals(0.05, RunConfig.read(store).alpha(), "the first build's settings stay recorded");
        try (Store opened = Store.open(store, false)) {
            for (long row = 0; row < 4; row++) {
                boolean[] keep = RowMasks.keepMask(0, row, COMPONENTS, 0.05);
                float[] stored = opened.array("masks").readRow(row);
                for (int c = 0; c < COMPONENTS; c++) {
                    assertEquals(keep[c] ? 1f : 0f, stored[c], "row " + row + " holds the first build's mask");
                }
            }
        }
    }

    @Test
    void twoProcessesStartedTogetherWithDifferentAlphasLeaveExactlyOneBuilding(@TempDir Path tmp) throws Exception {
        Path store = newStore(tmp.resolve("store"), 8, COMPONENTS, EXAMPLES);
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (String alpha : List.of("0.05", "0.2")) {
            Path log = tmp.resolve("log-" + alpha + ".txt");
            logs.add(log);
            processes.add(new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true",
                    "-cp", System.getProperty("java.class.path"), "org.coar.workbench.cli.Main", "build", "--store", store.toString(),
                    "--model", robustnessModel("logits").toString(), "--data", ModelFixtures.demoDataSpec(null).path(),
                    "--limit", Integer.toString(EXAMPLES), "--alpha", alpha, "--devices", "cpu", "--cpu-workers", "1")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        List<Integer> codes = new ArrayList<>();
        StringBuilder output = new StringBuilder();
        for (int i = 0; i < processes.size(); i++) {
            assertTrue(processes.get(i).waitFor(240, TimeUnit.SECONDS), "build process timed out");
            codes.add(processes.get(i).exitValue());
            output.append(Files.readString(logs.get(i))).append("\n---\n");
        }
        assertEquals(List.of(0, 1), codes.stream().sorted().toList(), output.toString());
        double recorded = RunConfig.read(store).alpha();
        String loser = Files.readString(logs.get(codes.indexOf(1)));
        String expected = recorded == 0.05 ? "--alpha recorded as 0.05, requested 0.2" : "--alpha recorded as 0.2, requested 0.05";
        assertTrue(loser.contains(expected), output.toString());
        try (Store opened = Store.open(store, false)) {
            assertEquals(8, opened.completedCount());
            for (long row = 0; row < 8; row++) {
                boolean[] keep = RowMasks.keepMask(0, row, COMPONENTS, recorded);
                float[] stored = opened.array("masks").readRow(row);
                for (int c = 0; c < COMPONENTS; c++) {
                    assertEquals(keep[c] ? 1f : 0f, stored[c], "every row has the recorded alpha's mask");
                }
            }
        }
    }

    @Test
    void tupleOutputIsRefusedUntilTheLogitsAreNamedAndTheChoiceIsRecorded(@TempDir Path tmp) throws Exception {
        Path refused = newStore(tmp.resolve("refused"), 3, COMPONENTS, EXAMPLES);
        WorkbenchException e = buildFails(refused, run(robustnessModel("tuple_out"), 0.1, 3, null), 16);
        assertTrue(e.getMessage().contains("returns a tuple of 2 tensors ([0] (1, 16), [1] (1, 10))")
                && e.getMessage().contains("--model-output 1"), e.getMessage());
        assertNothingRecorded(refused);

        Path named = newStore(tmp.resolve("named"), 3, COMPONENTS, EXAMPLES);
        build(named, run(robustnessModel("tuple_out"), 0.1, 3, "1"), 16);
        assertEquals("1", RunConfig.read(named).outputElement());
        Path plain = newStore(tmp.resolve("plain"), 3, COMPONENTS, EXAMPLES);
        build(plain, run(robustnessModel("logits"), 0.1, 3, null), 16);
        // Same weights, logits returned alone: the margins must be those of the logits, not of the features.
        assertArrayEquals(Files.readAllBytes(plain.resolve("margins.npy")), Files.readAllBytes(named.resolve("margins.npy")));

        WorkbenchException again = assertThrows(WorkbenchException.class, () -> new BuildService().resolveRun(named,
                run(robustnessModel("tuple_out"), 0.1, 3, "0")));
        assertTrue(again.getMessage().contains("--model-output recorded as 1, requested 0"), again.getMessage());
    }

    @Test
    void dictOutputIsTakenByKeyOnly(@TempDir Path tmp) throws Exception {
        Path refused = newStore(tmp.resolve("refused"), 2, COMPONENTS, EXAMPLES);
        WorkbenchException e = buildFails(refused, run(robustnessModel("dict_out"), 0.1, 3, null), 16);
        assertTrue(e.getMessage().contains("returns a dict of 2 tensors") && e.getMessage().contains("'logits' (1, 10)")
                && e.getMessage().contains("--model-output logits"), e.getMessage());
        WorkbenchException byIndex = buildFails(refused, run(robustnessModel("dict_out"), 0.1, 3, "1"), 16);
        assertTrue(byIndex.getMessage().contains("whose order is not defined"), byIndex.getMessage());
        assertNothingRecorded(refused);

        Path named = newStore(tmp.resolve("named"), 2, COMPONENTS, EXAMPLES);
        build(named, run(robustnessModel("dict_out"), 0.1, 3, "logits"), 16);
        Path plain = newStore(tmp.resolve("plain"), 2, COMPONENTS, EXAMPLES);
        build(plain, run(robustnessModel("logits"), 0.1, 3, null), 16);
        assertArrayEquals(Files.readAllBytes(plain.resolve("margins.npy")), Files.readAllBytes(named.resolve("margins.npy")));
    }

    @Test
    void modelsThatReturnNoneOrTooFewRowsAreRefusedBeforeAnythingIsRecorded(@TempDir Path tmp) throws Exception {
        Path store = newStore(tmp.resolve("store"), 2, COMPONENTS, EXAMPLES);
        WorkbenchException none = buildFails(store, run(robustnessModel("none_out"), 0.1, 3, null), 16);
        assertTrue(none.getMessage().startsWith(robustnessModel("none_out") + ": the model's forward returned something that is "
                + "not a tensor (None"), none.getMessage());
        WorkbenchException fewer = buildFails(store, run(robustnessModel("fewer_rows"), 0.1, 3, null), 16);
        assertTrue(fewer.getMessage().contains("for a batch of 16 examples (examples 0..15) the model returned logits of shape "
                + "(1, 10), expected (16, 10)"), fewer.getMessage());
        assertNothingRecorded(store);
    }

    @Test
    void aModelThatFailsOnARealBatchShowsItsOwnErrorOnceAndRecordsNothing(@TempDir Path tmp) throws Exception {
        Path store = newStore(tmp.resolve("store"), 3, COMPONENTS, EXAMPLES);
        // One example passes; a batch of 13 does not (the model raises on odd batches).
        WorkbenchException e = buildFails(store, run(robustnessModel("odd_batch_fails"), 0.1, 3, null), 13);
        assertTrue(e.getMessage().contains("the model failed on a batch of 13 examples (examples 0..12")
                && e.getMessage().contains("odd batches are not supported"), e.getMessage());
        assertEquals(e.getMessage().indexOf("odd batches"), e.getMessage().lastIndexOf("odd batches"), "the model's message once");
        assertFalse(e.getMessage().contains("Traceback") || e.getMessage().contains("\n"), e.getMessage());
        assertNothingRecorded(store);

        // Not locked: the same store builds with the model that works.
        assertEquals(3, build(store, run(robustnessModel("logits"), 0.1, 3, null), 16).rowsBuilt());
    }

    @Test
    void aFirstBuildThatFailsInTheWorkersIsRolledBack(@TempDir Path tmp) throws Exception {
        Path store = newStore(tmp.resolve("store"), 3, COMPONENTS, EXAMPLES - 1);
        BuildService service = new BuildService();
        // 39 examples at --batch-size 16: batches 16, 16, 7. The probe (1 example, then 16) passes; the 7 fails in the workers.
        RunConfig run = service.resolveRun(store, RunConfig.builder().optModel(robustnessModel("odd_batch_fails").toString())
                .optData(ModelFixtures.demoDataSpec(EXAMPLES - 1)).optAlpha(0.1).optSeed(3L).build());
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> service.build(request(store, run, 16), p -> { },
                new Cancellation()));
        assertTrue(e.getMessage().contains("the model failed on a batch of 7 examples (examples 32..38"), e.getMessage());
        assertNothingRecorded(store);
    }

    @Test
    void outputArrayEqualToTheMaskArrayIsRefusedNamingTheArrays(@TempDir Path tmp) throws Exception {
        Path store = newStore(tmp.resolve("store"), 2, COMPONENTS, EXAMPLES);
        RunConfig masks = RunConfig.builder().optModel(robustnessModel("logits").toString())
                .optData(ModelFixtures.demoDataSpec(EXAMPLES)).optOutputArray("masks").optAlpha(0.1).optSeed(3L).build();
        WorkbenchException e = buildFails(store, masks, 16);
        assertEquals("--output-array masks: that array holds the keep-masks; name the array for the outputs (the store has "
                + "margins, masks)", e.getMessage());
        assertNothingRecorded(store);
    }

    @Test
    void aMissingModelOnTheFirstBuildIsNamedAsTheGivenFileNotAsARecordedOne(@TempDir Path tmp) {
        Path store = newStore(tmp.resolve("store"), 2, COMPONENTS, EXAMPLES);
        Path absent = tmp.resolve("absent.pt");
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> new BuildService().resolveRun(store, run(absent, 0.1, 3, null)));
        assertEquals(absent + ": no such model file (--model); give a TorchScript file saved with torch.jit.save", e.getMessage());
    }

    @Test
    void aModuleWithoutParametersIsNotCalledFrozen() {
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> org.coar.workbench.model.TorchModel.load(robustnessModel("no_params"), ai.djl.Device.cpu()));
        assertEquals(robustnessModel("no_params") + ": the model has no parameters and no folded weights: a module of parameter-free "
                + "operations only, so no component can be ablated. Give the model whose layers hold the weights", e.getMessage());
    }

    @Test
    void impossibleWorkerSettingsAreRefusedBeforeAnyModelIsLoaded(@TempDir Path tmp) {
        RunConfig run = run(robustnessModel("logits"), 0.1, 3, null);
        Path store = tmp.resolve("store");
        assertEquals("--batch-size must be at least 1 (or auto), got -1", assertThrows(WorkbenchException.class,
                () -> new BuildRequest(store, run, List.of("cpu"), 1, null, null, null, -1, false, Duration.ofHours(1))).getMessage());
        assertEquals("--cpu-workers must be 0 (one per core) or more, got -1", assertThrows(WorkbenchException.class,
                () -> new BuildRequest(store, run, List.of("cpu"), -1, null, null, null, 16, false, Duration.ofHours(1))).getMessage());
        assertEquals("--claim-timeout must be more than 0 minutes, got -5", assertThrows(WorkbenchException.class,
                () -> new BuildRequest(store, run, List.of("cpu"), 1, null, null, null, 16, false, Duration.ofMinutes(-5))).getMessage());
    }

    @Test
    void aBadPartitionOnTheFirstBuildRecordsNothing(@TempDir Path tmp) throws Exception {
        Path store = newStore(tmp.resolve("store"), 4, COMPONENTS, EXAMPLES);
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(store, run(robustnessModel("logits"), 0.1, 3, null));
        assertThrows(WorkbenchException.class, () -> service.build(new BuildRequest(store, run, List.of("cpu"), 1, null, null, "5/2", 16,
                false, Duration.ofHours(1)), p -> { }, new Cancellation()));
        assertNothingRecorded(store);
    }

    @Test
    void nanOutputsAreReportedInTheProgressAsSoonAsARowHasThem(@TempDir Path tmp) throws Exception {
        Path store = newStore(tmp.resolve("store"), 3, 240, 8);
        // The demo CNN on images scaled by 1e38: the logits overflow to Inf and the margins become NaN.
        DataSpec huge = DataSpec.builder().setPath(ModelFixtures.demoDataSpec(8).path()).optFormat("idx").optLimit(8)
                .optMean(new float[] {0f}).optStd(new float[] {1e-38f}).build();
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(store, RunConfig.builder().optModel(ModelFixtures.demoModel().toString())
                .optData(huge).optAlpha(0.1).optSeed(3L).build());
        List<BuildProgress> events = new ArrayList<>();
        service.build(request(store, run, 8), events::add, new Cancellation());
        BuildProgress afterFirstRow = events.stream().filter(p -> p.progress().done() == 1).findFirst().orElseThrow();
        assertEquals(1, afterFirstRow.rowsWithNonFiniteOutputs(), afterFirstRow.toString());
        assertEquals("3 row(s) with NaN/Inf outputs (first: row 0); 'coar fit' refuses them unless given --exclude-non-finite",
                events.getLast().nonFiniteWarning());
    }
}
