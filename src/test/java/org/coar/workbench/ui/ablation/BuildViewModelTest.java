package org.coar.workbench.ui.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.coar.workbench.ablation.BuildProgress;
import org.coar.workbench.ablation.BuildService;
import org.coar.workbench.job.Progress;
import org.coar.workbench.model.WorkerStatus;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.store.Store;
import org.coar.workbench.testing.Fixtures;
import org.coar.workbench.ui.common.DeferredTaskExecutor;
import org.coar.workbench.ui.common.FakeDialogs;
import org.coar.workbench.ui.common.FxThread;
import org.coar.workbench.ui.common.JobReporter;
import org.coar.workbench.ui.common.ProjectState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Build panel's state around a store: what it reads, where (off the FX thread), and its commands' refusals. */
class BuildViewModelTest {
    @TempDir
    Path tmp;

    private final FakeDialogs dialogs = new FakeDialogs();
    private final DeferredTaskExecutor tasks = new DeferredTaskExecutor(new JobReporter(dialogs, "the log"));
    private final ProjectState project = new ProjectState();
    private BuildViewModel viewModel;

    @BeforeAll
    static void toolkit() {
        FxThread.start();
    }

    @BeforeEach
    void create() {
        viewModel = FxThread.call(() -> new BuildViewModel(new BuildService(), tasks, project, dialogs));
    }

    /** A 6-row store (spec_small) with a run.json written by hand, as a first build records it. */
    private Path recordedStore(String name) throws IOException {
        Path store = tmp.resolve(name);
        Store.create(store, new SpecCodec().read(Fixtures.resource("store/spec_small.json")));
        Files.writeString(store.resolve("run.json"), """
                {"model": "/models/fashion_cnn.pt", "data": {"path": "/data/eval-images-idx3-ubyte.gz"}, "output": "margin",
                 "alpha": 0.1, "seed": 7}
                """);
        return store;
    }

    @Test
    void openingAStoreReadsItsRunJsonOffTheFxThreadAndThenShowsTheRecordedSettings() throws IOException {
        Path store = recordedStore("recorded");
        FxThread.run(() -> {
            project.storeProperty().set(store);
            // Nothing is read on the FX thread: the panel still shows the defaults while the read is pending.
            assertEquals("0.05", viewModel.alphaProperty().get());
            assertFalse(viewModel.settingsRecordedProperty().get());
            assertTrue(tasks.pendingTitles().contains(BuildViewModel.READING_STORE + "recorded"), tasks.pendingTitles().toString());

            assertEquals(1, tasks.run(BuildViewModel.READING_STORE));
            assertEquals("0.1", viewModel.alphaProperty().get());
            assertEquals("7", viewModel.seedProperty().get());
            assertTrue(viewModel.settingsRecordedProperty().get());
            assertEquals("Settings recorded in run.json: model fashion_cnn.pt, data eval-images-idx3-ubyte.gz, output margin, α 0.1, seed 7.",
                    viewModel.runSummaryProperty().get());
            assertEquals(store + " — 0 / 6 rows completed (0.0%)", viewModel.storeSummaryProperty().get());
            assertEquals("0 / 6 rows", viewModel.rowsTextProperty().get());
        });
        assertEquals(List.of(), dialogs.errors);
    }

    @Test
    void aReadThatEndsAfterTheUserOpenedAnotherStoreIsDropped() throws IOException {
        Path recorded = recordedStore("recorded");
        Path fresh = tmp.resolve("fresh");
        Store.create(fresh, new SpecCodec().read(Fixtures.resource("store/spec_small.json")));
        FxThread.run(() -> {
            project.storeProperty().set(recorded);
            project.storeProperty().set(fresh);
            assertEquals(2, tasks.run(BuildViewModel.READING_STORE));
            assertFalse(viewModel.settingsRecordedProperty().get(), "the first store's run.json is not shown for the second");
            assertEquals("First build: uses the model, data and component groups chosen in the Spec panel.", viewModel.runSummaryProperty().get());
            assertEquals(fresh + " — 0 / 6 rows completed (0.0%)", viewModel.storeSummaryProperty().get());
        });
    }

    @Test
    void aFolderThatIsNoStoreSaysSoInTheSummaryWithoutADialog() {
        Path empty = tmp.resolve("not-a-store");
        FxThread.run(() -> {
            Files.createDirectories(empty);
            project.storeProperty().set(empty);
            tasks.run(BuildViewModel.READING_STORE);
            assertTrue(viewModel.storeSummaryProperty().get().startsWith(empty + " — "), viewModel.storeSummaryProperty().get());
        });
        assertEquals(List.of(), dialogs.errors);
    }

    @Test
    void startWithoutAStoreIsRefusedWithWhatToDo() {
        FxThread.run(viewModel::startBuild);
        assertEquals(List.of("Cannot start the build: No store is open: initialise one in the Spec panel or open one with Ctrl+O"),
                dialogs.errors);
        assertFalse(viewModel.runningProperty().get());
        assertFalse(tasks.pendingTitles().stream().anyMatch(t -> t.startsWith("Building")));
    }

    @Test
    void startBeforeTheStoresSettingsAreReadIsRefusedRatherThanIgnoringThem() throws IOException {
        Path store = recordedStore("pending");
        FxThread.run(() -> {
            project.storeProperty().set(store);
            viewModel.startBuild();
        });
        assertEquals(List.of("Cannot start the build: Still reading " + store + ": start the build again once its settings are shown"),
                dialogs.errors);
        assertFalse(viewModel.runningProperty().get());
    }

    /** {@link #recordedStore} with every row written. */
    private Path completeStore(String name) throws IOException {
        Path store = recordedStore(name);
        try (Store opened = Store.open(store, true)) {
            for (long row = 0; row < opened.numModels(); row++) {
                opened.writeRow(row, Map.of("masks", new boolean[7], "margins", new float[3]));
            }
        }
        return store;
    }

    @Test
    void aCompleteStoreHasNothingToStartAndStartSaysSoWithoutBuilding() throws IOException {
        Path complete = completeStore("complete");
        FxThread.run(() -> {
            project.storeProperty().set(complete);
            tasks.run(BuildViewModel.READING_STORE);
            assertTrue(viewModel.storeCompleteProperty().get());
            assertEquals(complete + " — 6 / 6 rows completed (100.0%): complete, nothing left to build",
                    viewModel.storeSummaryProperty().get());
            viewModel.startBuild();
        });
        assertEquals(List.of("Cannot start the build: " + complete + ": every row is built, so there is nothing to build. Fit it in "
                + "the Regression panel, or make a new store (Spec panel) for more rows"), dialogs.errors);
        assertFalse(viewModel.runningProperty().get());
        assertFalse(tasks.pendingTitles().stream().anyMatch(t -> t.startsWith("Building")), tasks.pendingTitles().toString());

        Path partial = recordedStore("partial");
        FxThread.run(() -> {
            project.storeProperty().set(partial);
            assertFalse(viewModel.storeCompleteProperty().get(), "not complete while the next store is read");
            tasks.run(BuildViewModel.READING_STORE);
            assertFalse(viewModel.storeCompleteProperty().get());
        });
    }

    @Test
    void anotherStoreClearsEverythingThePreviousOneShowed() throws IOException {
        Path first = completeStore("first");
        Path fresh = tmp.resolve("fresh");
        Store.create(fresh, new SpecCodec().read(Fixtures.resource("store/spec_small.json")));
        FxThread.run(() -> {
            project.storeProperty().set(first);
            tasks.run(BuildViewModel.READING_STORE);
            // What a build of the first store left: a range, workers, the charts' history.
            viewModel.startProperty().set("2");
            viewModel.endProperty().set("5");
            viewModel.partitionProperty().set("0/2");
            BuildFigures figures = viewModel.figures();
            BuildProgress snapshot = new BuildProgress(new Progress(BuildProgress.STAGE, 4, 6, "rows"), 2, null,
                    List.of(new BuildProgress.WorkerState("cpu", WorkerStatus.FINISHED, 4)), 1.5, 0.9, new float[] {1, 2, 3}, 0.95, 0, -1);
            figures.workers().setAll(snapshot.workers());
            figures.chart().show(snapshot);
            assertEquals(1, figures.chart().accuracy().size());
            assertEquals("0.1", viewModel.alphaProperty().get());

            project.storeProperty().set(fresh);
            // At once, before the new store is read: nothing of the first store stays.
            assertEquals("", viewModel.startProperty().get());
            assertEquals("", viewModel.endProperty().get());
            assertEquals("", viewModel.partitionProperty().get());
            assertEquals(List.of(), figures.workers());
            assertEquals(List.of(), figures.chart().accuracy());
            assertTrue(Double.isNaN(figures.chart().unablatedAccuracyProperty().get()));
            assertEquals(null, figures.chart().histogramProperty().get());
            assertEquals(0, figures.progressProperty().get());
            assertEquals("", figures.rowsTextProperty().get());
            assertEquals(List.of(), viewModel.tasksFillingStore());
            assertEquals("0.05", viewModel.alphaProperty().get(), "the first store's α is not the new one's");
            assertEquals("0", viewModel.seedProperty().get());
            assertFalse(viewModel.settingsRecordedProperty().get());
            assertFalse(viewModel.storeCompleteProperty().get());
            assertEquals("Reading " + fresh + " …", viewModel.storeSummaryProperty().get());

            tasks.run(BuildViewModel.READING_STORE);
            assertEquals("0 / 6 rows", figures.rowsTextProperty().get());
            assertEquals(fresh + " — 0 / 6 rows completed (0.0%)", viewModel.storeSummaryProperty().get());
        });
    }

    @Test
    void aStoreThatFailsToOpenLeavesAnEmptyPanelThatSaysSo() throws IOException {
        Path first = recordedStore("good");
        Path broken = recordedStore("broken");
        Files.writeString(broken.resolve("run.json"), "{ not json");
        FxThread.run(() -> {
            project.storeProperty().set(first);
            tasks.run(BuildViewModel.READING_STORE);
            viewModel.startProperty().set("3");
            project.storeProperty().set(broken);
            tasks.run(BuildViewModel.READING_STORE);
            assertTrue(viewModel.storeSummaryProperty().get().startsWith(broken + " — could not be opened: "),
                    viewModel.storeSummaryProperty().get());
            assertEquals("", viewModel.runSummaryProperty().get());
            assertEquals("", viewModel.startProperty().get());
            assertEquals("0.05", viewModel.alphaProperty().get());
            assertFalse(viewModel.settingsRecordedProperty().get());
            assertEquals("", viewModel.rowsTextProperty().get());
        });
        assertEquals(1, dialogs.errors.size(), "the dialog says what is wrong with run.json: " + dialogs.errors);
    }

    @Test
    void openStoreTakesTheChosenDirectoryAndAClosedChooserChangesNothing() throws IOException {
        Path store = recordedStore("chosen");
        dialogs.answers.add(store);
        FxThread.run(viewModel::openStore);
        assertEquals(store, project.storeProperty().get());
        FxThread.run(viewModel::openStore);
        assertEquals(store, project.storeProperty().get());
    }
}
