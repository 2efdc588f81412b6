package org.coar.workbench.ui.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.evaluation.EvaluationRequest;
import org.coar.workbench.job.JobCancelledException;
import org.coar.workbench.ui.common.CurrentThreadTaskExecutor;
import org.coar.workbench.ui.common.DeferredTaskExecutor;
import org.coar.workbench.ui.common.FakeDialogs;
import org.coar.workbench.ui.common.FxThread;
import org.coar.workbench.ui.common.JobReporter;
import org.coar.workbench.ui.common.ProjectState;
import org.coar.workbench.ui.common.TaskExecutor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation half of the Evaluate & Edit panel against a fake evaluation: what it asks for and how each ending shows. */
class EvaluationViewModelTest {
    private static final String LOG = "/home/u/.local/state/coar-workbench/workbench.log";

    @TempDir
    Path tmp;

    private final FakeDialogs dialogs = new FakeDialogs();
    private final JobReporter reporter = new JobReporter(dialogs, LOG);
    private final ProjectState project = new ProjectState();
    private final List<EvaluationRequest> requests = new ArrayList<>();
    private Path attributions;

    @BeforeAll
    static void toolkit() {
        FxThread.start();
    }

    @BeforeEach
    void openAttributions() throws Exception {
        Path store = Files.createDirectories(tmp.resolve("store"));
        attributions = Files.createDirectories(store.resolve("attributions"));
        project.storeProperty().set(store);
        project.attributionsProperty().set(attributions);
    }

    private EvaluationViewModel viewModel(TaskExecutor tasks, EvaluationViewModel.Evaluator evaluator) {
        return FxThread.call(() -> new EvaluationViewModel((request, progress, cancel) -> {
            requests.add(request);
            return evaluator.evaluate(request, progress, cancel);
        }, tasks, project));
    }

    @Test
    void theFormBecomesTheRequestAndTheResultIsDescribed() {
        Path report = attributions.resolve("eval/report.json");
        CurrentThreadTaskExecutor tasks = new CurrentThreadTaskExecutor(reporter);
        EvaluationViewModel viewModel = viewModel(tasks, (request, progress, cancel) -> {
            try {
                copyHandMade(request.outDir()); // what the service writes: the hand-made evaluation of 4 runs, seed 5
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return org.coar.workbench.evaluation.EvaluationFiles.read(request.outDir());
        });
        FxThread.run(() -> {
            assertEquals(attributions.resolve("eval").toString(), viewModel.outDirProperty().get());
            viewModel.alphasProperty().set("0.05, 0.1");
            viewModel.runsProperty().set("6");
            viewModel.weightNormProperty().set(false);
            viewModel.run();
            assertEquals(List.of(0.05, 0.1), requests.getFirst().alphas());
            assertEquals(6, requests.getFirst().runs());
            assertEquals(attributions.resolve("eval"), requests.getFirst().outDir());
            assertEquals("4 fresh ablated models per α (seed 5). Cells: mean (median) correlation over examples between actual and "
                    + "predicted outputs. Report: " + report, viewModel.resultTextProperty().get());
            assertEquals(5, viewModel.correlationsProperty().get().examples(), "the charts' arrays are read after the run");
            assertEquals(2, viewModel.exampleRunsProperty().get().example());
            assertEquals("Finished.", viewModel.progress().stageProperty().get());
            assertEquals(1.0, viewModel.progress().fractionProperty().get());
            assertFalse(viewModel.runningProperty().get());
        });
        assertEquals(List.of(), dialogs.errors);
    }

    @Test
    void aRefusalIsADialogWithTheServicesMessage() {
        EvaluationViewModel viewModel = viewModel(new CurrentThreadTaskExecutor(reporter), (request, progress, cancel) -> {
            throw new WorkbenchException("store: 3 completed rows, too few to validate on");
        });
        FxThread.run(viewModel::run);
        assertEquals(List.of("Evaluating attributions failed: store: 3 completed rows, too few to validate on"), dialogs.errors);
        assertEquals("Failed.", viewModel.progress().stageProperty().get());
        assertFalse(viewModel.runningProperty().get());
    }

    @Test
    void anUnexpectedFailureNamesTheLogFile() {
        EvaluationViewModel viewModel = viewModel(new CurrentThreadTaskExecutor(reporter), (request, progress, cancel) -> {
            throw new ArrayIndexOutOfBoundsException("Index 64 out of bounds for length 64");
        });
        FxThread.run(viewModel::run);
        assertEquals(List.of("Evaluating attributions failed: Unexpected failure (java.lang.ArrayIndexOutOfBoundsException: Index 64 "
                + "out of bounds for length 64). Please report it; the details are in " + LOG + "."), dialogs.errors);
    }

    @Test
    void cancelStopsTheRunningEvaluationAndShowsCancelledWithoutADialog() {
        DeferredTaskExecutor tasks = new DeferredTaskExecutor(reporter);
        List<Boolean> cancelSeen = new ArrayList<>();
        EvaluationViewModel viewModel = viewModel(tasks, (request, progress, cancel) -> {
            cancelSeen.add(cancel.isCancelled());
            throw new JobCancelledException();
        });
        FxThread.run(() -> {
            viewModel.run();
            assertTrue(viewModel.runningProperty().get());
            viewModel.cancel();
            tasks.run("Evaluating");
            assertEquals(List.of(true), cancelSeen, "the service was asked to stop");
            assertEquals(EvaluationViewModel.CANCELLED, viewModel.progress().stageProperty().get());
            assertEquals("Cancelled: Evaluating attributions", tasks.statusProperty().get());
            assertFalse(viewModel.runningProperty().get());
        });
        assertEquals(List.of(), dialogs.errors);
    }

    @Test
    void aBadFieldIsRefusedBeforeAnythingRuns() {
        EvaluationViewModel viewModel = viewModel(new CurrentThreadTaskExecutor(reporter), (request, progress, cancel) -> {
            throw new AssertionError("must not run");
        });
        WorkbenchException refused = FxThread.call(() -> {
            viewModel.runsProperty().set("many");
            try {
                viewModel.run();
                return null;
            } catch (WorkbenchException e) {
                return e;
            }
        });
        assertEquals("Runs per α: expected a whole number, got 'many'", refused.getMessage());
        assertFalse(viewModel.runningProperty().get());
        assertEquals(List.of(), requests);
    }

    /** Copies the hand-made evaluation (without its generator script) to {@code dir}. */
    static void copyHandMade(Path dir) throws java.io.IOException {
        Files.createDirectories(dir);
        try (var files = Files.list(EvaluationChartsTest.HAND_MADE)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".npy") || f.toString().endsWith(".json")).toList()) {
                Files.copy(f, dir.resolve(f.getFileName().toString()));
            }
        }
    }

    @Test
    void anEvaluationOnDiskIsShownWithItsCorrelationsAndTheExampleTheUserPicks() throws Exception {
        copyHandMade(attributions.resolve("eval"));
        EvaluationViewModel viewModel = viewModel(new CurrentThreadTaskExecutor(reporter), (request, progress, cancel) -> {
            throw new AssertionError("must not run");
        });
        FxThread.run(() -> {
            assertEquals(List.of("COAR", "leave-one-out", "weight norm"), viewModel.resultProperty().get().methods());
            assertEquals(5, viewModel.correlationsProperty().get().examples());
            assertEquals(2, viewModel.exampleProperty().get(), "first the example the evaluation picked");
            assertEquals(2, viewModel.exampleRunsProperty().get().example());
            assertEquals(List.of(1.0, 2.0, 3.0, 4.0), java.util.Arrays.stream(viewModel.exampleRunsProperty().get().actual()[0]).boxed().toList());
            viewModel.exampleProperty().set(0);
            assertEquals(0, viewModel.exampleRunsProperty().get().example());
            assertEquals(List.of(0.75, 1.25, 1.25, 1.75), java.util.Arrays.stream(
                    viewModel.exampleRunsProperty().get().predicted().get("COAR")[0]).boxed().toList());
            assertTrue(viewModel.exampleTextProperty().get().startsWith("Example 0 over the 4 fresh ablated models per α"),
                    viewModel.exampleTextProperty().get());
        });
        assertEquals(List.of(), dialogs.errors);
    }

    @Test
    void anOlderReportWithoutPredictionsSaysToRunTheEvaluationAgainForTheScatter() throws Exception {
        Path eval = Files.createDirectories(attributions.resolve("eval"));
        try (var files = Files.list(org.coar.workbench.testing.Fixtures.resource("formats/v1/evaluation"))) {
            for (Path f : files.toList()) {
                Files.copy(f, eval.resolve(f.getFileName().toString()));
            }
        }
        EvaluationViewModel viewModel = viewModel(new CurrentThreadTaskExecutor(reporter), (request, progress, cancel) -> null);
        FxThread.run(() -> {
            assertEquals(64, viewModel.correlationsProperty().get().examples());
            assertEquals(3, viewModel.exampleRunsProperty().get().example());
            assertEquals(4, viewModel.exampleRunsProperty().get().actual()[0].length, "the actual outputs are there");
            assertTrue(viewModel.exampleRunsProperty().get().predicted().isEmpty());
            assertTrue(viewModel.exampleTextProperty().get().contains("run it again"), viewModel.exampleTextProperty().get());
        });
        assertEquals(List.of(), dialogs.errors);
    }

    @Test
    void anotherStoreClearsThePreviousEvaluationAndShowsItsOwn() throws Exception {
        copyHandMade(attributions.resolve("eval"));
        EvaluationViewModel viewModel = viewModel(new CurrentThreadTaskExecutor(reporter), (request, progress, cancel) -> null);
        Path other = Files.createDirectories(tmp.resolve("other"));
        FxThread.run(() -> {
            assertTrue(viewModel.resultProperty().get() != null);
            // A store without attributions: the previous store's attributions stay in the project, but not on the tab.
            project.storeProperty().set(other);
            assertEquals(null, viewModel.resultProperty().get());
            assertEquals(null, viewModel.correlationsProperty().get());
            assertEquals(null, viewModel.exampleRunsProperty().get());
            assertEquals("", viewModel.outDirProperty().get());
            assertTrue(viewModel.resultTextProperty().get().startsWith("No attributions of this store open"));
        });
        Path otherAttributions = Files.createDirectories(other.resolve("attributions"));
        FxThread.run(() -> {
            project.attributionsProperty().set(otherAttributions);
            assertEquals(otherAttributions.resolve("eval").toString(), viewModel.outDirProperty().get());
            assertEquals(null, viewModel.resultProperty().get(), "the other attributions have no evaluation yet");
            assertTrue(viewModel.resultTextProperty().get().startsWith("No evaluation of these attributions yet"));
            // Back to the first store, whose attributions come back with it (as the Attributions panel opens them).
            project.storeProperty().set(attributions.getParent());
            project.attributionsProperty().set(attributions);
            assertEquals(5, viewModel.correlationsProperty().get().examples());
        });
    }

    @Test
    void aReadThatFinishesAfterTheStoreChangedIsDropped() throws Exception {
        copyHandMade(attributions.resolve("eval"));
        DeferredTaskExecutor tasks = new DeferredTaskExecutor(reporter);
        EvaluationViewModel viewModel = viewModel(tasks, (request, progress, cancel) -> null);
        FxThread.run(() -> {
            project.storeProperty().set(tmp.resolve("other"));
            tasks.run("Reading the evaluation");
            assertEquals(null, viewModel.resultProperty().get());
        });
    }
}
