package org.coar.workbench.ui.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.SimpleObjectProperty;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.attributions.ExampleBrowser;
import org.coar.workbench.edit.EditMode;
import org.coar.workbench.edit.EditRequest;
import org.coar.workbench.evaluation.EvalFixtures;
import org.coar.workbench.job.JobCancelledException;
import org.coar.workbench.ui.common.CurrentThreadTaskExecutor;
import org.coar.workbench.ui.common.DeferredTaskExecutor;
import org.coar.workbench.ui.common.FakeDialogs;
import org.coar.workbench.ui.common.FxThread;
import org.coar.workbench.ui.common.JobReporter;
import org.coar.workbench.ui.common.ProjectState;
import org.coar.workbench.ui.common.TaskExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edit half of the Evaluate & Edit panel on the linear fixture's attributions (16 components, 64 examples), with a fake edit. */
class EditViewModelTest {
    @TempDir
    static Path tmp;
    private static Path store;
    private static Path attributions;
    private static ExampleBrowser browser;

    private final FakeDialogs dialogs = new FakeDialogs();
    private final JobReporter reporter = new JobReporter(dialogs, "the log");
    private final ProjectState project = new ProjectState();
    private final List<EditRequest> requests = new ArrayList<>();

    @BeforeAll
    static void openAttributions() {
        FxThread.start();
        store = EvalFixtures.linearStore(tmp, 2);
        attributions = EvalFixtures.exactAttributions(tmp);
        browser = ExampleBrowser.open(store, attributions);
    }

    @AfterAll
    static void close() {
        browser.close();
    }

    private EditViewModel viewModel(TaskExecutor tasks, EditViewModel.Editor editor) {
        project.storeProperty().set(store);
        project.attributionsProperty().set(attributions);
        return FxThread.call(() -> new EditViewModel((request, progress, cancel) -> {
            requests.add(request);
            return editor.edit(request, progress, cancel);
        }, tasks, project, new SimpleObjectProperty<>(browser)));
    }

    @Test
    void theFormBecomesTheRequestAndARefusalIsADialog() {
        EditViewModel viewModel = viewModel(new CurrentThreadTaskExecutor(reporter), (request, progress, cancel) -> {
            throw new WorkbenchException("Target: every example of 0, 2 is already right; nothing to fix");
        });
        FxThread.run(() -> {
            viewModel.targetProperty().set("0, 2");
            viewModel.kProperty().set("3");
            viewModel.modeProperty().set(EditMode.TOPK);
            viewModel.sweepMaxProperty().set("");
            assertEquals("", viewModel.problemProperty().get());
            viewModel.run();
        });
        EditRequest request = requests.getFirst();
        assertEquals("0, 2", request.target());
        assertEquals("rest", request.reference());
        assertEquals(3, request.k());
        assertEquals(EditMode.TOPK, request.mode());
        assertEquals(null, request.sweepMax());
        assertEquals(attributions.resolve("edit/edited.pt"), request.save());
        assertEquals(attributions.resolve("edit"), request.outDir());
        assertEquals(List.of("Editing with 3 components failed: Target: every example of 0, 2 is already right; nothing to fix"),
                dialogs.errors);
        assertEquals("Failed.", viewModel.progress().stageProperty().get());
        assertFalse(viewModel.runningProperty().get());
    }

    @Test
    void cancelShowsThatNothingWasSavedWithoutADialog() {
        DeferredTaskExecutor tasks = new DeferredTaskExecutor(reporter);
        List<Boolean> cancelSeen = new ArrayList<>();
        EditViewModel viewModel = viewModel(tasks, (request, progress, cancel) -> {
            cancelSeen.add(cancel.isCancelled());
            throw new JobCancelledException();
        });
        FxThread.run(() -> {
            viewModel.targetProperty().set("5");
            viewModel.sweepMaxProperty().set("");
            viewModel.run();
            viewModel.cancel();
            tasks.run("Editing");
            assertEquals(EditViewModel.CANCELLED, viewModel.progress().stageProperty().get());
            assertEquals("Cancelled: Editing with 5 components", tasks.statusProperty().get());
        });
        assertEquals(List.of(true), cancelSeen);
        assertEquals(List.of(), dialogs.errors);
    }

    @Test
    void aTargetOutOfRangeIsNamedAsTypedAndRefusedAtRun() {
        EditViewModel viewModel = viewModel(new CurrentThreadTaskExecutor(reporter), (request, progress, cancel) -> {
            throw new AssertionError("must not run");
        });
        FxThread.run(() -> {
            viewModel.targetProperty().set("7, 64");
            assertEquals("Target: example 64 is out of range; the evaluation data has 64 examples (0..63)", viewModel.problemProperty().get());
            assertThrows(WorkbenchException.class, viewModel::run);
            viewModel.targetProperty().set("7");
            viewModel.kProperty().set("17");
            WorkbenchException k = assertThrows(WorkbenchException.class, viewModel::run);
            assertEquals("k: choose between 1 and 16 (the number of components), got 17", k.getMessage());
        });
        assertEquals(List.of(), requests);
        assertEquals(List.of(), dialogs.errors);
    }
}
