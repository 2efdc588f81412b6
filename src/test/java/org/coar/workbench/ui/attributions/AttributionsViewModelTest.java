package org.coar.workbench.ui.attributions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.coar.workbench.attributions.ExampleBrowser;
import org.coar.workbench.attributions.ExamplePageFixture;
import org.coar.workbench.evaluation.EvalFixtures;
import org.coar.workbench.ui.common.CurrentThreadTaskExecutor;
import org.coar.workbench.ui.common.FakeDialogs;
import org.coar.workbench.ui.common.FxThread;
import org.coar.workbench.ui.common.JobReporter;
import org.coar.workbench.ui.common.ProjectState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Examples page's view model on the hand-set attributions of {@link ExamplePageFixture}, jobs run at once. */
class AttributionsViewModelTest {
    private final FakeDialogs dialogs = new FakeDialogs();
    private final ProjectState project = new ProjectState();

    @BeforeAll
    static void toolkit() {
        FxThread.start();
    }

    /** A view model on a fresh fixture store in {@code tmp}, opened. */
    private AttributionsViewModel opened(Path tmp) {
        Path store = ExamplePageFixture.store(tmp);
        ExamplePageFixture.attributions(store);
        return FxThread.call(() -> {
            AttributionsViewModel viewModel = new AttributionsViewModel(new CurrentThreadTaskExecutor(new JobReporter(dialogs, "the log")), project);
            project.storeProperty().set(store);
            return viewModel;
        });
    }

    @Test
    void queriesCountTheirMatchesAndTheSelectionLeavesWithAFilteredOutExample(@TempDir Path tmp) {
        AttributionsViewModel viewModel = opened(tmp);
        FxThread.run(() -> {
            assertEquals("64 of 64 examples", viewModel.matchCountProperty().get());
            assertEquals(0, viewModel.selectedProperty().get().index(), "a freshly opened set shows its first example");
            viewModel.select(viewModel.examples().get(5));
            assertNotNull(viewModel.viewProperty().get());

            viewModel.r2BelowProperty().set("0.25"); // val_r2 = j / 64
            assertEquals("16 of 64 examples", viewModel.matchCountProperty().get());
            assertEquals(5, viewModel.selectedProperty().get().index(), "still listed, still shown");
            viewModel.searchProperty().set("1"); // 1, 10..15 among 0..15
            assertEquals("7 of 64 examples", viewModel.matchCountProperty().get());
            assertNull(viewModel.selectedProperty().get(), "example 5 is filtered out");
            assertNull(viewModel.viewProperty().get());
            assertEquals(List.of(), viewModel.ablated());

            viewModel.clearQuery();
            ExampleBrowser browser = viewModel.browserProperty().get();
            viewModel.componentNameProperty().set(browser.components().label(15));
            viewModel.componentValueProperty().set("15"); // 7.6 (1 + j mod 3) >= 15 unless j mod 3 = 0 (22 examples)
            assertEquals("42 of 64 examples", viewModel.matchCountProperty().get());
            viewModel.componentTestProperty().set(AttributionsViewModel.ComponentTest.AT_MOST);
            assertEquals("22 of 64 examples", viewModel.matchCountProperty().get());
            viewModel.componentValueProperty().set("x");
            assertTrue(viewModel.matchCountProperty().get().contains("\"x\" is not a score"), viewModel.matchCountProperty().get());
            assertEquals(0, viewModel.examples().size());

            viewModel.clearQuery();
            viewModel.searchProperty().set(browser.components().label(3)); // component 3 moves 54..63 most
            assertEquals("10 of 64 examples", viewModel.matchCountProperty().get());
            assertEquals(54, viewModel.examples().getFirst().index());
            viewModel.searchProperty().set("conv9 #1");
            assertTrue(viewModel.matchCountProperty().get().startsWith("Search: no example index or component named \"conv9 #1\""));
        });
    }

    @Test
    void anyLabelCanBeChosenAgainAfterALabel(@TempDir Path tmp) {
        AttributionsViewModel viewModel = opened(tmp);
        int[] labels = EvalFixtures.linearData().labels();
        FxThread.run(() -> {
            assertEquals(AttributionsViewModel.ClassChoice.ANY, viewModel.labels().getFirst());
            AttributionsViewModel.ClassChoice first = viewModel.labels().get(1);
            viewModel.labelProperty().set(first);
            long expected = Arrays.stream(labels).filter(l -> l == first.value()).count();
            assertEquals(expected + " of 64 examples", viewModel.matchCountProperty().get());
            viewModel.labelProperty().set(viewModel.labels().getFirst());
            assertEquals("64 of 64 examples", viewModel.matchCountProperty().get());
        });
    }

    @Test
    void theWhatIfSubtractsTheTickedScoresAndSendsTheSetToEdit(@TempDir Path tmp) {
        AttributionsViewModel viewModel = opened(tmp);
        FxThread.run(() -> {
            viewModel.select(viewModel.examples().get(5));
            // example 5: scores 3 (c - 7.4); all kept 2 + 3 * 1.6 = 6.8
            assertEquals(6.8, viewModel.whatIfOutputProperty().get(), 1e-4);
            List<ExampleBrowser.Contribution> listed = viewModel.viewProperty().get().positive();
            viewModel.setAblated(listed.stream().filter(c -> c.component() == 15).findFirst().orElseThrow(), true);
            viewModel.setAblated(listed.stream().filter(c -> c.component() == 12).findFirst().orElseThrow(), true);
            // 6.8 - 3 * 7.6 - 3 * 4.6 = -29.8
            assertEquals(-29.8, viewModel.whatIfOutputProperty().get(), 1e-4);
            assertTrue(viewModel.whatIfProperty().get().contains("from 6.800 to -29.800 (-36.600)"), viewModel.whatIfProperty().get());
            viewModel.sendToEdit();
            assertEquals(List.of(12, 15), project.componentsToAblateProperty().get());
            viewModel.select(viewModel.examples().get(6));
            assertEquals(List.of(), viewModel.ablated(), "ticks belong to the example they were made on");
        });
    }

    @Test
    void aFocusedExampleIsShownEvenWhenTheQueryHidIt(@TempDir Path tmp) {
        AttributionsViewModel viewModel = opened(tmp);
        FxThread.run(() -> {
            viewModel.searchProperty().set("1");
            project.focusedExampleProperty().set(42);
            assertEquals("", viewModel.searchProperty().get(), "the query that hid it is cleared");
            assertEquals(42, viewModel.selectedProperty().get().index());
            assertEquals(42, viewModel.viewProperty().get().example().index());
            viewModel.showComponentPage(viewModel.viewProperty().get().positive().getFirst());
            assertEquals(15, project.focusedComponentProperty().get());
        });
    }

    @Test
    void withoutTheModelThePageOpensAndSaysWhatIsMissing(@TempDir Path tmp) throws IOException {
        Path store = ExamplePageFixture.store(tmp);
        ExamplePageFixture.attributions(store);
        Files.delete(tmp.resolve("model/linear.pt"));
        AttributionsViewModel viewModel = FxThread.call(() -> {
            AttributionsViewModel made = new AttributionsViewModel(new CurrentThreadTaskExecutor(new JobReporter(dialogs, "the log")), project);
            project.storeProperty().set(store);
            return made;
        });
        FxThread.run(() -> {
            assertEquals("64 of 64 examples", viewModel.matchCountProperty().get());
            String status = viewModel.statusProperty().get();
            assertTrue(status.contains("Without the model (" + tmp.resolve("model/linear.pt") + " is missing): predictions and clean "
                    + "outputs are unavailable."), status);
            assertEquals(List.of(AttributionsViewModel.ClassChoice.ANY), viewModel.predictions());
            viewModel.select(viewModel.examples().get(5));
            assertEquals(6.8, viewModel.whatIfOutputProperty().get(), 1e-4);
        });
    }

    @Test
    void anotherStoreOrAFailedOpeningEmptiesThePage(@TempDir Path tmp) throws IOException {
        AttributionsViewModel viewModel = opened(tmp);
        Path empty = Files.createDirectories(tmp.resolve("other"));
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve("weight.npy"), "not numpy");
        FxThread.run(() -> {
            project.storeProperty().set(empty);
            assertNull(viewModel.browserProperty().get());
            assertEquals(List.of(), viewModel.examples());
            assertNull(viewModel.viewProperty().get());
            assertEquals("", viewModel.matchCountProperty().get());
            assertTrue(viewModel.statusProperty().get().startsWith("No attributions open"), viewModel.statusProperty().get());
            assertNull(project.attributionsProperty().get(), "the old store's attributions are not this store's");

            project.attributionsProperty().set(broken);
            assertNull(viewModel.browserProperty().get());
            assertEquals(List.of(), viewModel.examples());
            assertTrue(viewModel.statusProperty().get().startsWith("Could not open " + broken + ": "), viewModel.statusProperty().get());
            assertFalse(dialogs.errors.isEmpty(), "the failure reaches a dialog too");
        });
    }
}
