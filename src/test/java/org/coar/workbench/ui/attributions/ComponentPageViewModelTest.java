package org.coar.workbench.ui.attributions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.coar.workbench.attributions.ComponentProfiles;
import org.coar.workbench.attributions.ExampleBrowser;
import org.coar.workbench.ui.common.CurrentThreadTaskExecutor;
import org.coar.workbench.ui.common.FakeDialogs;
import org.coar.workbench.ui.common.FxThread;
import org.coar.workbench.ui.common.JobReporter;
import org.coar.workbench.ui.common.ProjectState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Component page follows the focused component, has its own chooser, and clears when the store changes. */
class ComponentPageViewModelTest {
    @TempDir
    Path tmp;

    private final FakeDialogs dialogs = new FakeDialogs();
    private final ProjectState project = new ProjectState();
    private final ObjectProperty<ExampleBrowser> browser = new SimpleObjectProperty<>();
    private ComponentPageViewModel viewModel;

    @BeforeAll
    static void toolkit() {
        FxThread.start();
    }

    @AfterEach
    void close() {
        if (browser.get() != null) {
            browser.get().close();
        }
    }

    private void openFixture() throws Exception {
        Path[] paths = PagesFixture.storeAndAttributions(tmp);
        ExampleBrowser opened = ExampleBrowser.open(paths[0], paths[1]);
        FxThread.run(() -> {
            viewModel = new ComponentPageViewModel(new CurrentThreadTaskExecutor(new JobReporter(dialogs, "the log")), project, browser);
            project.storeProperty().set(paths[0]);
            project.attributionsProperty().set(paths[1]);
            assertNull(viewModel.profileProperty().get(), "nothing before the browser opens");
            browser.set(opened);
        });
    }

    @Test
    void theFocusedComponentsExamplesComeStrongestFirstWithTheirImages() throws Exception {
        openFixture();
        FxThread.run(() -> {
            assertEquals(0, viewModel.profileProperty().get().component(), "the first component until one is focused");
            project.focusedComponentProperty().set(33);
            ComponentProfiles.Profile profile = viewModel.profileProperty().get();
            assertEquals(33, profile.component());
            assertEquals("conv2 #1", profile.name());
            assertEquals("conv2 #1", viewModel.queryProperty().get(), "the chooser names what is shown");
            assertEquals(PagesFixture.M, profile.histogram().total());
            // scores -0.087 (j + 1) except +5 for example 7: only example 7 is raised; the last examples are lowered most
            assertEquals(List.of(7), viewModel.raising().stream().map(ComponentPageViewModel.MovedExample::example).toList());
            assertEquals(5f, viewModel.raising().getFirst().score());
            assertEquals(List.of(19, 18, 17, 16, 15, 14, 13, 12),
                    viewModel.lowering().stream().map(ComponentPageViewModel.MovedExample::example).toList());
            assertEquals((float) (-87 * 20 / 1000.0), viewModel.lowering().getFirst().score(), 1e-6);
            ComponentPageViewModel.MovedExample seven = viewModel.raising().getFirst();
            assertArrayEquals(new long[] {1, 28, 28}, seven.imageShape());
            assertEquals(28 * 28, seven.image().length);
            assertEquals(viewModel.browser().examples().get(7).label(), seven.label());
            assertNotNull(profile.weights().mosaic(), "conv2 #1 is a conv filter: its weights are drawn");
        });
    }

    @Test
    void theChooserTakesAnIndexOrANameAndSaysWhatItCannotFind() throws Exception {
        openFixture();
        FxThread.run(() -> {
            viewModel.queryProperty().set("fc1 #0");
            viewModel.choose();
            assertEquals(160, viewModel.profileProperty().get().component(), "fc1 starts after 32 + 64 + 64 conv filters");
            assertEquals("", viewModel.queryProblemProperty().get());
            viewModel.next();
            assertEquals(161, viewModel.profileProperty().get().component());
            viewModel.previous();
            viewModel.previous();
            assertEquals(159, viewModel.profileProperty().get().component());

            viewModel.queryProperty().set("fc9 #0");
            viewModel.choose();
            assertEquals("No component \"fc9 #0\": type an index from 0 to 239, or a name such as conv1 #0.",
                    viewModel.queryProblemProperty().get());
            assertEquals(159, viewModel.profileProperty().get().component(), "what was shown stays");
            viewModel.queryProperty().set("12");
            viewModel.choose();
            assertEquals(12, viewModel.profileProperty().get().component());
        });
    }

    @Test
    void clickingAnExampleFocusesItEvenWhenItWasFocusedBefore() throws Exception {
        openFixture();
        FxThread.run(() -> {
            List<Integer> focused = new java.util.ArrayList<>();
            project.focusedExampleProperty().addListener((obs, old, now) -> {
                if (now != null) {
                    focused.add(now);
                }
            });
            viewModel.focusExample(7);
            viewModel.focusExample(7);
            assertEquals(List.of(7, 7), focused);
        });
    }

    @Test
    void anotherStoreClearsThePageAtOnce() throws Exception {
        openFixture();
        FxThread.run(() -> {
            project.focusedComponentProperty().set(33);
            assertTrue(!viewModel.raising().isEmpty());
            project.storeProperty().set(tmp.resolve("another"));
            assertNull(viewModel.profileProperty().get());
            assertTrue(viewModel.raising().isEmpty() && viewModel.lowering().isEmpty());
            assertEquals(ComponentPageViewModel.NONE_OPEN, viewModel.statusProperty().get());
            assertNull(viewModel.openedProperty().get());
            project.focusedComponentProperty().set(12); // nothing open: nothing to show, no failure
            assertNull(viewModel.profileProperty().get());
        });
    }

    @Test
    void histogramTicksAreWholeCounts() {
        assertEquals(List.of(1, 1, 1, 2, 5, 10, 20, 200),
                IntStream.of(0, 3, 5, 7, 21, 50, 90, 1000).mapToObj(ComponentPageController::wholeTickUnit).toList());
    }
}
