package org.coar.workbench.ui.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.SimpleObjectProperty;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.attributions.ExampleBrowser;
import org.coar.workbench.edit.EditMode;
import org.coar.workbench.edit.EditRequest;
import org.coar.workbench.edit.EditResult;
import org.coar.workbench.testing.Fixtures;
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
        return viewModel(tasks, editor, attributions);
    }

    /** A view model on the shared browser whose attributions (and so default output folder) are {@code attributionsDir}. */
    private EditViewModel viewModel(TaskExecutor tasks, EditViewModel.Editor editor, Path attributionsDir) {
        project.storeProperty().set(store);
        project.attributionsProperty().set(attributionsDir);
        return FxThread.call(() -> new EditViewModel((request, progress, cancel) -> {
            requests.add(request);
            return editor.edit(request, progress, cancel);
        }, (storeDir, model, out, progress, cancel) -> {
            throw new AssertionError("no evaluation expected");
        }, tasks, project, new SimpleObjectProperty<>(browser), dialogs));
    }

    /** Attributions whose edit folder holds the version-1 edit report fixture (target 0, topk, k = 2, a sweep of k = 1..3). */
    private static Path attributionsWithAnEarlierEdit(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name).resolve("edit"));
        for (String file : List.of("report.json", "sweep.csv")) {
            Files.copy(Fixtures.resource("formats/v1/edit").resolve(file), dir.resolve(file));
        }
        return dir.getParent();
    }

    private static EditViewModel.Editor returning(EditResult result) {
        return (request, progress, cancel) -> result;
    }

    /** An edit result with the given per-example margins (the rest hand-made too). */
    private static EditResult resultWithMargins(float[] before, float[] after) {
        EditResult.SubsetMetrics none = new EditResult.SubsetMetrics(1, 0, 0);
        EditResult.Metrics metrics = new EditResult.Metrics(none, none, none);
        return new EditResult(new int[] {1}, new int[] {0, 2, 3, 4}, EditMode.BOTTOMK,
                List.of(new EditResult.AblatedComponent(3, "a #3", -4.5)), metrics, metrics, List.of(), null, Double.NaN,
                tmp.resolve("r/report.json"), List.of(), before, after);
    }

    @Test
    void theEditSavedInTheOutputFolderIsShownWhenAttributionsOpenWithItsSettingsInTheForm() throws IOException {
        Path withEdit = attributionsWithAnEarlierEdit("shown");
        EditViewModel viewModel = viewModel(new CurrentThreadTaskExecutor(reporter), returning(null), withEdit);
        FxThread.run(() -> {
            assertEquals(withEdit.resolve("edit").toString(), viewModel.outDirProperty().get());
            // the numbers of formats/v1/edit/report.json
            assertEquals(List.of(new EditViewModel.SubsetRow("target", 1, 0.0, 0.0, -15.37224006652832, -16.276161193847656),
                    new EditViewModel.SubsetRow("reference", 63, 1.0, 0.9682539682539683, 6.52083530880156, 6.413616204072559),
                    new EditViewModel.SubsetRow("all examples", 64, 0.984375, 0.953125, 6.178756006062031, 6.059088432230055)),
                    viewModel.comparison());
            assertEquals(List.of(new EditResult.AblatedComponent(9, "a #9", 7.988893497813669),
                    new EditResult.AblatedComponent(4, "a #4", 3.592833183099219)), viewModel.ablated());
            assertEquals(List.of(1, 2, 3), viewModel.resultProperty().get().sweep().stream().map(EditResult.SweepRow::k).toList());
            assertEquals(0.714286, viewModel.resultProperty().get().sweep().get(2).metrics().reference().accuracy(), 1e-9);
            assertEquals("0", viewModel.targetProperty().get());
            assertEquals("rest", viewModel.referenceProperty().get());
            assertEquals("2", viewModel.kProperty().get());
            assertEquals(EditMode.TOPK, viewModel.modeProperty().get());
            assertEquals("3", viewModel.sweepMaxProperty().get());
            assertTrue(viewModel.flips().isEmpty());
            assertTrue(viewModel.flipsTextProperty().get().contains("without per-example margins"), viewModel.flipsTextProperty().get());
            assertTrue(viewModel.resultTextProperty().get().startsWith("The edit saved in " + withEdit.resolve("edit")),
                    viewModel.resultTextProperty().get());
        });
    }

    @Test
    void clickingASweepPointTakesItsKWithTheSweepsRanking() throws IOException {
        Path withEdit = attributionsWithAnEarlierEdit("sweep-click");
        EditViewModel viewModel = viewModel(new CurrentThreadTaskExecutor(reporter), returning(null), withEdit);
        FxThread.run(() -> {
            viewModel.modeProperty().set(EditMode.BOTTOMK);
            viewModel.takeSweepK(3);
            assertEquals("3", viewModel.kProperty().get());
            assertEquals(EditMode.TOPK, viewModel.modeProperty().get(), "the sweep ranked with topk");
            viewModel.takeSweepK(0);
            assertEquals("3", viewModel.kProperty().get(), "k = 0 is the unedited model, not an edit");
        });
    }

    @Test
    void anEarlierEditIsNeverReplacedSilently() throws IOException {
        Path withEdit = attributionsWithAnEarlierEdit("overwrite");
        EditViewModel viewModel = viewModel(new CurrentThreadTaskExecutor(reporter), returning(resultWithMargins(new float[0],
                new float[0])), withEdit);
        FxThread.run(() -> {
            viewModel.sweepMaxProperty().set("");
            dialogs.choices.add(-1);
            viewModel.run();
            assertEquals(List.of(), requests, "closing the question runs nothing");
            assertEquals(1, dialogs.questions.size());
            assertTrue(dialogs.questions.getFirst().startsWith("Replace the earlier edit?: An earlier edit is saved in "
                    + withEdit.resolve("edit")), dialogs.questions.getFirst());

            dialogs.choices.add(1);
            viewModel.run();
            assertEquals(withEdit.resolve("edit-2"), requests.getLast().outDir(), "a fresh folder beside the earlier edit");
            assertEquals(withEdit.resolve("edit-2/edited.pt"), requests.getLast().save(), "the edited model goes with it");
            assertEquals(withEdit.resolve("edit-2").toString(), viewModel.outDirProperty().get());

            viewModel.outDirProperty().set(withEdit.resolve("edit").toString());
            dialogs.choices.add(0);
            viewModel.run();
            assertEquals(withEdit.resolve("edit"), requests.getLast().outDir(), "replaced, as asked");
            assertEquals(3, dialogs.questions.size());
        });
    }

    @Test
    void aChosenOutputFolderWithoutAnEditRunsWithoutAQuestion() {
        EditViewModel viewModel = viewModel(new CurrentThreadTaskExecutor(reporter), returning(resultWithMargins(new float[0],
                new float[0])));
        FxThread.run(() -> {
            viewModel.targetProperty().set("4");
            viewModel.sweepMaxProperty().set("");
            viewModel.outDirProperty().set(tmp.resolve("mine").toString());
            viewModel.run();
        });
        assertEquals(tmp.resolve("mine"), requests.getLast().outDir());
        assertEquals(tmp.resolve("mine/edited.pt"), requests.getLast().save());
        assertEquals(List.of(), dialogs.questions);
    }

    @Test
    void theFlippedListHoldsTheExamplesWhoseMarginChangedSign() {
        // by hand: 0 right -> wrong, 1 wrong -> right, 2 and 3 keep their side, 4 right -> wrong (0 is not > 0)
        float[] before = {1.5f, -0.5f, 2.0f, -1.0f, 0.3f};
        float[] after = {-0.2f, 0.7f, 1.0f, -2.0f, 0.0f};
        EditViewModel viewModel = viewModel(new CurrentThreadTaskExecutor(reporter), returning(resultWithMargins(before, after)));
        FxThread.run(() -> {
            viewModel.targetProperty().set("1");
            viewModel.sweepMaxProperty().set("");
            viewModel.outDirProperty().set(tmp.resolve("flips").toString());
            viewModel.run();
            int[] labels = browser.examples().stream().mapToInt(ExampleBrowser.ExampleRow::label).toArray();
            assertEquals(List.of(new EditViewModel.FlipRow(0, labels[0], 1.5f, -0.2f, false),
                    new EditViewModel.FlipRow(1, labels[1], -0.5f, 0.7f, true),
                    new EditViewModel.FlipRow(4, labels[4], 0.3f, 0.0f, false)), viewModel.flips());
            assertEquals("right → wrong", viewModel.flips().getFirst().change());
            assertEquals("3 flipped: 1 wrong → right, 2 right → wrong (right means margin > 0).", viewModel.flipsTextProperty().get());
        });
    }

    @Test
    void aSetSentByAnotherPanelIsEditedExactlyAndCanBeLeft() {
        EditViewModel viewModel = viewModel(new CurrentThreadTaskExecutor(reporter), returning(resultWithMargins(new float[0],
                new float[0])));
        FxThread.run(() -> {
            viewModel.outDirProperty().set(tmp.resolve("explicit").toString());
            project.componentsToAblateProperty().set(List.of(12, 3, 7));
            assertEquals(List.of(12, 3, 7), viewModel.explicitComponentsProperty().get());
            assertTrue(viewModel.explicitTextProperty().get().startsWith("Ablating exactly 3 components: b #2, a #3, a #7."),
                    viewModel.explicitTextProperty().get());
            assertEquals("", viewModel.problemProperty().get(), "no target needed");
            viewModel.run();
            EditRequest request = requests.getLast();
            assertEquals(EditMode.EXPLICIT, request.mode());
            assertEquals(List.of(12, 3, 7), request.components());
            assertEquals(3, request.k());
            assertEquals(null, request.sweepMax());
            assertEquals("", request.target());

            project.componentsToAblateProperty().set(List.of(3, 40));
            WorkbenchException range = assertThrows(WorkbenchException.class, viewModel::run);
            assertEquals("Components to ablate: component 40 is out of range; these attributions have 16 components (0..15)",
                    range.getMessage());

            viewModel.clearExplicitSet();
            assertEquals(List.of(), viewModel.explicitComponentsProperty().get());
            assertEquals(List.of(), project.componentsToAblateProperty().get());
            assertTrue(viewModel.problemProperty().get().startsWith("Choose target examples"), "the ranking needs a target again");
        });
    }

    @Test
    void anotherStoreClearsTheEditAndTheSetOfTheOneBefore() {
        EditViewModel viewModel = viewModel(new CurrentThreadTaskExecutor(reporter), returning(resultWithMargins(new float[] {1f},
                new float[] {-1f})));
        FxThread.run(() -> {
            viewModel.targetProperty().set("0");
            viewModel.sweepMaxProperty().set("");
            viewModel.outDirProperty().set(tmp.resolve("cleared").toString());
            viewModel.run();
            project.componentsToAblateProperty().set(List.of(1));
            assertEquals(3, viewModel.comparison().size());
            project.storeProperty().set(tmp.resolve("another-store"));
            assertEquals(null, viewModel.resultProperty().get());
            assertEquals(List.of(), viewModel.comparison());
            assertEquals(List.of(), viewModel.ablated());
            assertEquals(List.of(), viewModel.flips());
            assertEquals(List.of(), viewModel.explicitComponentsProperty().get());
        });
    }

    @Test
    void rowsLinkToTheirPages() {
        EditViewModel viewModel = viewModel(new CurrentThreadTaskExecutor(reporter), returning(null));
        List<Integer> shownExamples = new ArrayList<>();
        FxThread.run(() -> {
            project.focusedExampleProperty().addListener((obs, old, now) -> {
                if (now != null) {
                    shownExamples.add(now);
                }
            });
            viewModel.showComponent(5);
            assertEquals(5, project.focusedComponentProperty().get());
            viewModel.showExample(9);
            viewModel.showExample(9);
        });
        assertEquals(List.of(9, 9), shownExamples, "asking twice for the same page shows it twice");
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
