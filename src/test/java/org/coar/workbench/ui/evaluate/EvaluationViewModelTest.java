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
import org.coar.workbench.evaluation.EvaluationResult;
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
        EvaluationViewModel viewModel = viewModel(tasks, (request, progress, cancel) ->
                new EvaluationResult(request.outDir(), List.of("COAR"), List.of(), null, 7, 6, 0, report, List.of()));
        FxThread.run(() -> {
            assertEquals(attributions.resolve("eval").toString(), viewModel.outDirProperty().get());
            viewModel.alphasProperty().set("0.05, 0.1");
            viewModel.runsProperty().set("6");
            viewModel.weightNormProperty().set(false);
            viewModel.run();
            assertEquals(List.of(0.05, 0.1), requests.getFirst().alphas());
            assertEquals(6, requests.getFirst().runs());
            assertEquals(attributions.resolve("eval"), requests.getFirst().outDir());
            assertEquals("6 fresh ablated models per α (seed 7). Cells: mean (median) correlation over examples between actual and "
                    + "predicted outputs. Report: " + report, viewModel.resultTextProperty().get());
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
}
