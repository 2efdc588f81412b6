package org.coar.workbench.ablation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.JobCancelledException;
import org.coar.workbench.model.AblatedEvaluator;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.ModelFixtures;
import org.coar.workbench.model.OutputFunction;
import org.coar.workbench.model.TorchModel;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.store.RowMasks;
import org.coar.workbench.model.WorkerStatus;

class BuildServiceTest {
    private static final int EXAMPLES = 64;

    private static Path newStore(Path tmp, int rows, int maskWidth, int outputs) {
        Path dir = tmp.resolve("store");
        Store.create(dir, new SpecCodec().parse("{\"num_models\": " + rows + ", \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": ["
                + maskWidth + "]}, \"margins\": {\"dtype\": \"float16\", \"shape\": [" + outputs + "]}}}", "spec"));
        return dir;
    }

    private static RunConfig run(Path model) {
        return RunConfig.builder().optModel(model.toString()).optData(ModelFixtures.demoDataSpec(EXAMPLES)).optAlpha(0.1)
                .optSeed(3L).build();
    }

    private static BuildRequest request(Path store, RunConfig run, Long start, Long end) {
        return new BuildRequest(store, run, List.of("cpu"), 0, start, end, null, 32, false, Duration.ofHours(1));
    }

    @Test
    void snapshotsCarryTheUnablatedAccuracyTheModelItselfGives(@TempDir Path tmp) {
        Path store = newStore(tmp, 3, 240, EXAMPLES);
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(store, run(ModelFixtures.demoModel()));
        List<BuildProgress> events = new ArrayList<>();
        service.build(request(store, run, null, null), events::add, new Cancellation());
        // The model's own forward pass on the 64 images, no mask involved: the share whose largest logit is the label.
        EvalData data = ModelFixtures.demoData(EXAMPLES);
        int correct = 0;
        try (TorchModel model = TorchModel.load(ModelFixtures.demoModel(), Device.cpu());
             NDManager scratch = model.manager().newSubManager()) {
            long[] predicted = model.forward(scratch, scratch.create(data.inputs(), new Shape(data.shape()))).argMax(1).toLongArray();
            for (int i = 0; i < EXAMPLES; i++) {
                correct += predicted[i] == data.labels()[i] ? 1 : 0;
            }
        }
        assertEquals((double) correct / EXAMPLES, events.getLast().unablatedAccuracy(), 1e-12);
        assertEquals(EXAMPLES, events.getLast().latestOutputs().length);
        assertTrue(Double.isNaN(events.getFirst().unablatedAccuracy()), "unknown before the first worker measured it");
    }

    @Test
    void buildsEveryRowWithTheRowsMaskAndTheAblatedModelsMargins(@TempDir Path tmp) {
        Path store = newStore(tmp, 12, 240, EXAMPLES);
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(store, run(ModelFixtures.demoModel()));
        List<BuildProgress> events = new ArrayList<>();
        BuildResult result = service.build(request(store, run, null, null), events::add, new Cancellation());
        assertEquals(12, result.rowsBuilt());
        assertEquals(12, events.getLast().progress().done());
        assertTrue(events.stream().anyMatch(e -> e.progress().done() == 6), "progress is reported per row");

        EvalData data = ModelFixtures.demoData(EXAMPLES);
        try (Store opened = Store.open(store, false);
             TorchModel model = TorchModel.load(ModelFixtures.demoModel(), Device.cpu())) {
            Components components = Components.select(model.parameters(), List.of(), List.of());
            assertEquals(components, Components.read(store));
            try (AblatedEvaluator evaluator = new AblatedEvaluator(model, components, data, 64, OutputFunction.MARGIN)) {
                for (long row : new long[] {0, 7, 11}) {
                    assertTrue(opened.isCompleted(row));
                    boolean[] keep = RowMasks.keepMask(3, row, 240, 0.1);
                    float[] storedMask = opened.array("masks").readRow(row);
                    for (int i = 0; i < 240; i++) {
                        assertEquals(keep[i] ? 1f : 0f, storedMask[i]);
                    }
                    float[] expected = evaluator.evaluate(keep, () -> false).outputs();
                    float[] stored = opened.array("margins").readRow(row);
                    for (int i = 0; i < EXAMPLES; i++) {
                        assertEquals(Float.float16ToFloat(Float.floatToFloat16(expected[i])), stored[i], 1e-3 * Math.max(1, Math.abs(expected[i])));
                    }
                }
            }
        }
        RunConfig recorded = RunConfig.read(store);
        assertEquals(RunConfig.sha256(ModelFixtures.demoModel()), recorded.modelSha256());
        assertEquals("margins", recorded.outputArray());
        assertEquals(0.1, recorded.alpha());
    }

    @Test
    void resumingFromRunJsonAloneKeepsCompletedRowsAndFillsTheRest(@TempDir Path tmp) throws IOException {
        Path store = newStore(tmp, 10, 240, EXAMPLES);
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(store, run(ModelFixtures.demoModel()));
        service.build(request(store, run, 0L, 4L), p -> { }, new Cancellation());
        byte[] before = Files.readAllBytes(store.resolve("margins.npy"));

        RunConfig resumed = service.resolveRun(store, RunConfig.builder().build());
        BuildResult result = service.build(request(store, resumed, null, null), p -> { }, new Cancellation());
        assertEquals(6, result.rowsBuilt(), "only the pending rows are built");
        byte[] after = Files.readAllBytes(store.resolve("margins.npy"));
        long headerAndFourRows = 128 + 4L * EXAMPLES * 2;
        assertArrayEquals(Arrays.copyOf(before, (int) headerAndFourRows), Arrays.copyOf(after, (int) headerAndFourRows));
        try (Store opened = Store.open(store, false)) {
            assertEquals(10, opened.completedCount());
        }
    }

    @Test
    void conflictingSettingsOnResumeAreRefused(@TempDir Path tmp) {
        Path store = newStore(tmp, 4, 240, EXAMPLES);
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(store, run(ModelFixtures.demoModel()));
        service.build(request(store, run, 0L, 1L), p -> { }, new Cancellation());
        RunConfig otherAlpha = RunConfig.builder().optAlpha(0.2).build();
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> service.resolveRun(store, otherAlpha));
        assertTrue(e.getMessage().contains("--alpha recorded as 0.1, requested 0.2"), e.getMessage());
    }

    @Test
    void aCancelledBuildEndsWithTheJobExceptionAndKeepsItsCompletedRowsForTheNextBuild(@TempDir Path tmp) {
        Path store = newStore(tmp, 12, 240, EXAMPLES);
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(store, run(ModelFixtures.demoModel()));
        Cancellation cancel = new Cancellation();
        List<BuildProgress> events = java.util.Collections.synchronizedList(new ArrayList<>());
        assertThrows(JobCancelledException.class, () -> service.build(request(store, run, null, null), p -> {
            events.add(p);
            if (p.progress().done() >= 3) {
                cancel.cancel();
            }
        }, cancel));
        long kept;
        try (Store opened = Store.open(store, false)) {
            kept = opened.completedCount();
            assertTrue(kept >= 3 && kept < 12, "cancelled after 3 rows: " + kept);
            assertEquals(events.getLast().progress().done(), kept, "every completed row was reported, and only those");
        }
        assertTrue(RunConfig.exists(store), "the settings stay recorded, so the next build resumes");
        assertTrue(events.getLast().workers().stream().allMatch(w -> w.state() == WorkerStatus.CANCELLED), events.getLast().toString());

        BuildResult resumed = service.build(request(store, service.resolveRun(store, run), null, null), p -> { }, new Cancellation());
        assertEquals(12 - kept, resumed.rowsBuilt(), "the rows completed before the cancel are not built again");
        assertEquals(12, resumed.rowsCompletedInPlan());
    }

    @Test
    void aCancelThatComesOnceEveryRowIsCompletedLetsTheBuildFinish(@TempDir Path tmp) {
        Path store = newStore(tmp, 2, 240, EXAMPLES);
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(store, run(ModelFixtures.demoModel()));
        Cancellation cancel = new Cancellation();
        BuildResult result = service.build(request(store, run, null, null), p -> {
            if (p.progress().done() == 2) {
                cancel.cancel();
            }
        }, cancel);
        assertEquals(2, result.rowsCompletedInPlan());
    }

    @Test
    void storeThatDoesNotFitTheModelOrDataIsRefusedBeforeAnyRow(@TempDir Path tmp) throws IOException {
        Path wrongMasks = newStore(tmp.resolve("a"), 5, 2304, EXAMPLES);
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(wrongMasks, run(ModelFixtures.demoModel()));
        WorkbenchException masks = assertThrows(WorkbenchException.class,
                () -> service.build(request(wrongMasks, run, null, null), p -> { }, new Cancellation()));
        assertTrue(masks.getMessage().contains("each row holds 2304 mask entries, but --components default selects 240 components "
                + "of this model (4 groups). No preset selects 2304 components of this model (default 240, reference-resnet 160, "
                + "reference-vit 90, reference-gpt2 none)"), masks.getMessage());
        assertTrue(masks.getMessage().contains("No row was written"));

        Path wrongOutputs = newStore(tmp.resolve("b"), 5, 240, 10_000);
        RunConfig run2 = service.resolveRun(wrongOutputs, run(ModelFixtures.demoModel()));
        WorkbenchException outputs = assertThrows(WorkbenchException.class,
                () -> service.build(request(wrongOutputs, run2, null, null), p -> { }, new Cancellation()));
        assertTrue(outputs.getMessage().contains("each row holds 10000 outputs, but the evaluation data has 64 examples"), outputs.getMessage());
        try (Store opened = Store.open(wrongOutputs, false)) {
            assertEquals(0, opened.completedCount());
        }
    }

    @Test
    void aSpecMadeForAPresetIsRefusedNamingThePresetWhichThenBuildsAndIsRecorded(@TempDir Path tmp) {
        // the demo CNN's three convs (160 filters) are what reference-resnet takes; the default adds fc1
        Path store = newStore(tmp, 3, 160, EXAMPLES);
        BuildService service = new BuildService();
        RunConfig byDefault = service.resolveRun(store, run(ModelFixtures.demoModel()));
        WorkbenchException refused = assertThrows(WorkbenchException.class,
                () -> service.build(request(store, byDefault, null, null), p -> { }, new Cancellation()));
        assertTrue(refused.getMessage().contains("each row holds 160 mask entries, but --components default selects 240 components"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("--components reference-resnet selects 160 (the reference's ResNet setups"),
                refused.getMessage());
        assertFalse(RunConfig.exists(store), "a refused first build records nothing");

        RunConfig preset = service.resolveRun(store,
                run(ModelFixtures.demoModel()).toBuilder().optComponents("reference-resnet").build());
        BuildResult result = service.build(request(store, preset, null, null), p -> { }, new Cancellation());
        assertEquals(3, result.rowsBuilt());
        assertEquals("reference-resnet", RunConfig.read(store).components());
        assertEquals(List.of("conv1.weight", "conv2.weight", "conv3.weight"),
                Components.read(store).groups().stream().map(org.coar.workbench.model.ComponentGroup::name).toList());
        WorkbenchException other = assertThrows(WorkbenchException.class,
                () -> service.resolveRun(store, run(ModelFixtures.demoModel()).toBuilder().optComponents("default").build()));
        assertTrue(other.getMessage().contains("--components recorded as reference-resnet, requested default"), other.getMessage());
        assertEquals("reference-resnet", service.resolveRun(store, run(ModelFixtures.demoModel())).components(),
                "without --components a resume keeps the recorded preset");
    }

    @Test
    void aRunJsonWrittenBeforePresetsExistedReadsAsTheDefaultPreset(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve(RunConfig.FILE), "{\"model\": \"/m.pt\", \"output\": \"margin\", \"alpha\": 0.05, \"seed\": 0, "
                + "\"include\": [], \"exclude\": []}");
        RunConfig old = RunConfig.read(tmp);
        assertEquals(null, old.components());
        assertEquals(org.coar.workbench.model.ComponentPreset.DEFAULT, old.componentPreset());
    }

    @Test
    void dataTheModelRejectsOnTheFirstBuildRecordsNothingSoTheStoreCanBeBuiltWithTheRightSettings(@TempDir Path tmp) {
        Path store = newStore(tmp, 4, 240, EXAMPLES);
        BuildService service = new BuildService();
        DataSpec cropped = DataSpec.builder().setPath(ModelFixtures.demoDataSpec(EXAMPLES).path()).optFormat("idx")
                .optLimit(EXAMPLES).optResize(20).optCrop(16).build();
        RunConfig wrong = service.resolveRun(store, RunConfig.builder().optModel(ModelFixtures.demoModel().toString())
                .optData(cropped).optAlpha(0.1).optSeed(3L).build());
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> service.build(request(store, wrong, null, null), p -> { }, new Cancellation()));
        assertTrue(e.getMessage().contains("the model does not accept the evaluation data of shape (1, 1, 16, 16)"), e.getMessage());
        assertFalse(RunConfig.exists(store), "run.json must not pin settings the model rejects");
        assertFalse(Components.exists(store));

        RunConfig right = service.resolveRun(store, run(ModelFixtures.demoModel()));
        assertEquals(4, service.build(request(store, right, null, null), p -> { }, new Cancellation()).rowsBuilt());
    }

    @Test
    void unknownOrAbsentDevicesAreRefusedListingWhatIsAvailable(@TempDir Path tmp) {
        Path store = newStore(tmp, 2, 240, EXAMPLES);
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(store, run(ModelFixtures.demoModel()));
        for (String device : List.of("cuda:7", "tpu")) {
            BuildRequest request = new BuildRequest(store, run, List.of(device), 0, null, null, null, 32, false, Duration.ofHours(1));
            WorkbenchException e = assertThrows(WorkbenchException.class, () -> service.build(request, p -> { }, new Cancellation()));
            assertTrue(e.getMessage().startsWith("--devices: "), e.getMessage());
            assertTrue(e.getMessage().contains(device.equals("tpu") ? "unknown device 'tpu'" : "available: cpu"), e.getMessage());
        }
    }

    @Test
    void twoProcessesOnOverlappingRangesNeverBuildTheSameRow(@TempDir Path tmp) throws Exception {
        Path store = newStore(tmp, 16, 240, EXAMPLES);
        new BuildService().resolveRun(store, run(ModelFixtures.demoModel())).write(store);
        String javaBinary = ProcessHandle.current().info().command().orElseThrow();
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (String[] range : new String[][] {{"0", "12"}, {"4", "16"}}) {
            Path log = tmp.resolve("log-" + range[0] + ".txt");
            logs.add(log);
            processes.add(new ProcessBuilder(javaBinary, "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true",
                    "-cp", System.getProperty("java.class.path"), "org.coar.workbench.cli.Main", "build", "--store", store.toString(),
                    "--devices", "cpu", "--batch-size", "32", "--start", range[0], "--end", range[1])
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        long builtTotal = 0;
        for (int i = 0; i < processes.size(); i++) {
            assertTrue(processes.get(i).waitFor(240, TimeUnit.SECONDS), "build process timed out");
            String log = Files.readString(logs.get(i));
            assertEquals(0, processes.get(i).exitValue(), log);
            Matcher m = Pattern.compile("Built (\\d+) rows").matcher(log);
            assertTrue(m.find(), log);
            builtTotal += Long.parseLong(m.group(1));
        }
        assertEquals(16, builtTotal, "every row built exactly once across the two processes");
        try (Store opened = Store.open(store, false)) {
            assertEquals(16, opened.completedCount());
        }
        try (var claims = Files.list(store.resolve(RowClaims.DIR))) {
            assertEquals(0, claims.count(), "claims are released");
        }
    }

    @Test
    void pausingHoldsWorkersBetweenRowsAndResumingFinishesTheBuild(@TempDir Path tmp) throws Exception {
        Path store = newStore(tmp, 12, 240, EXAMPLES);
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(store, run(ModelFixtures.demoModel()));
        Cancellation control = new Cancellation();
        List<BuildProgress> events = java.util.Collections.synchronizedList(new ArrayList<>());
        control.pause();
        Thread builder = Thread.ofPlatform().start(() -> service.build(request(store, run, null, null), events::add, control));
        Thread.sleep(1500);
        assertTrue(events.stream().allMatch(e -> e.progress().done() == 0), "no row is built while paused");
        assertTrue(events.getLast().workers().stream().allMatch(w -> w.state() == WorkerStatus.PAUSED), events.getLast().toString());
        control.resume();
        builder.join(120_000);
        assertEquals(12, events.getLast().progress().done());
    }

    @Test
    void aWorkerThatRunsOutOfMemoryFailsTheBuildNamingTheFixAndLeavesItsRowPending(@TempDir Path tmp) throws IOException {
        Path store = newStore(tmp, 12, 240, EXAMPLES);
        BuildService failingAtRow3 = new BuildService((evaluator, row, keep, stop) -> {
            if (row == 3) {
                throw new OutOfMemoryError("Java heap space");
            }
            return evaluator.evaluate(keep, stop);
        });
        RunConfig run = failingAtRow3.resolveRun(store, run(ModelFixtures.demoModel()));
        List<BuildProgress> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        BuildRequest oneWorker = new BuildRequest(store, run, List.of("cpu"), 1, null, null, null, 32, false, Duration.ofHours(1));
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> failingAtRow3.build(oneWorker, events::add, new Cancellation()));
        assertTrue(e.getMessage().startsWith("the worker on cpu ran out of memory (Java heap space) at batch size 32; lower --batch-size"),
                e.getMessage());
        try (Store opened = Store.open(store, false)) {
            for (long row = 0; row < 12; row++) {
                assertEquals(row < 3, opened.isCompleted(row), "row " + row + ": rows before the failure stay, none after it is built");
            }
        }
        try (var claims = Files.list(store.resolve(RowClaims.DIR))) {
            assertEquals(0, claims.count(), "the failed row's claim is released");
        }
        assertEquals(WorkerStatus.FAILED, events.getLast().workers().getFirst().state());
        assertTrue(RunConfig.exists(store), "rows were completed with these settings, so they stay recorded");

        // The next build takes up the failed row and what the failure left.
        BuildResult resumed = new BuildService().build(oneWorker, p -> { }, new Cancellation());
        assertEquals(9, resumed.rowsBuilt());
    }

    @Test
    void aFailingWorkerStopsTheOtherWorkersOfTheBuild(@TempDir Path tmp) {
        Path store = newStore(tmp, 40, 240, EXAMPLES);
        BuildService failingAtRow3 = new BuildService((evaluator, row, keep, stop) -> {
            if (row == 3) {
                throw new OutOfMemoryError("Java heap space");
            }
            return evaluator.evaluate(keep, stop);
        });
        RunConfig run = failingAtRow3.resolveRun(store, run(ModelFixtures.demoModel()));
        BuildRequest twoWorkers = new BuildRequest(store, run, List.of("cpu"), 2, null, null, null, 32, false, Duration.ofHours(1));
        assertThrows(WorkbenchException.class, () -> failingAtRow3.build(twoWorkers, p -> { }, new Cancellation()));
        try (Store opened = Store.open(store, false)) {
            assertFalse(opened.isCompleted(3));
            assertTrue(opened.completedCount() < 10, opened.completedCount() + " rows: the other worker went on after the failure");
        }
    }
}
