package org.coar.workbench.ui.attributions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.coar.workbench.attributions.AttributionMatrix;
import org.coar.workbench.attributions.ExampleBrowser;
import org.coar.workbench.ui.common.DeferredTaskExecutor;
import org.coar.workbench.ui.common.FakeDialogs;
import org.coar.workbench.ui.common.FxThread;
import org.coar.workbench.ui.common.JobReporter;
import org.coar.workbench.ui.common.ProjectState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The heatmap: block means at the image's size, zoom about the pointer, a click through to example and component. */
class LayerHeatmapViewModelTest {
    @TempDir
    Path tmp;

    private final DeferredTaskExecutor tasks = new DeferredTaskExecutor(new JobReporter(new FakeDialogs(), "the log"));
    private final ProjectState project = new ProjectState();
    private final ObjectProperty<ExampleBrowser> browser = new SimpleObjectProperty<>();
    private LayerHeatmapViewModel viewModel;

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
            viewModel = new LayerHeatmapViewModel(tasks, project, browser);
            project.storeProperty().set(paths[0]);
            project.attributionsProperty().set(paths[1]);
            browser.set(opened);
            tasks.run("Opening the heatmap");
        });
    }

    private AttributionMatrix.Blocks drawn() {
        tasks.run("Drawing the heatmap");
        return viewModel.renderedProperty().get().blocks();
    }

    @Test
    void theImageHoldsOneBlockPerPixelAtMostEachTheMeanOfItsCells() throws Exception {
        openFixture();
        FxThread.run(() -> {
            viewModel.resize(PagesFixture.M, PagesFixture.P);
            AttributionMatrix.Blocks cells = drawn();
            assertEquals(PagesFixture.M, cells.columns());
            assertEquals(PagesFixture.P, cells.rows());
            assertEquals(5f, cells.at(7, 33));
            assertEquals(PagesFixture.raw(200, 3), cells.at(3, 200), 1e-6);

            viewModel.resize(10, 120); // 2 × 2 cells a pixel: examples 6, 7 × components 32, 33 in one block
            AttributionMatrix.Blocks halved = drawn();
            assertEquals(10, halved.columns());
            assertEquals(120, halved.rows());
            assertEquals((5 - 0.616 - 0.704 - 0.609) / 4, halved.at(3, 16), 1e-5);
            int[] argb = viewModel.renderedProperty().get().argb();
            assertEquals(ScoreColours.argb(halved.at(3, 16), halved.scale()), argb[16 * 10 + 3]);
        });
    }

    @Test
    void onlyTheLatestDrawingIsShown() throws Exception {
        openFixture();
        FxThread.run(() -> {
            viewModel.resize(20, 240);
            viewModel.resize(10, 120);
            assertEquals(2, tasks.run("Drawing the heatmap"));
            assertEquals(10, viewModel.renderedProperty().get().blocks().columns(), "the first drawing was superseded and stopped");
        });
    }

    @Test
    void zoomKeepsThePointUnderThePointerAndPanningStaysInside() throws Exception {
        openFixture();
        FxThread.run(() -> {
            viewModel.resize(20, 240);
            viewModel.zoomIn(0.5, 0.5);
            assertEquals(new AttributionMatrix.Window(5, 15, 60, 180), viewModel.windowProperty().get());
            viewModel.zoomIn(0.0, 1.0);
            assertEquals(new AttributionMatrix.Window(5, 10, 120, 180), viewModel.windowProperty().get());
            viewModel.pan(-10, 0); // far left: stops at example 0
            assertEquals(new AttributionMatrix.Window(0, 5, 120, 180), viewModel.windowProperty().get());
            AttributionMatrix.Blocks zoomed = drawn();
            assertEquals(5, zoomed.columns(), "fewer examples than pixels: one block per example");
            assertEquals(PagesFixture.raw(150, 2), zoomed.at(2, 30), 1e-6);
            viewModel.zoomOut(0.5, 0.5);
            viewModel.zoomOut(0.5, 0.5);
            viewModel.zoomOut(0.5, 0.5);
            assertEquals(new AttributionMatrix.Window(0, 20, 0, 240), viewModel.windowProperty().get());
            viewModel.zoomIn(0.5, 0.5);
            viewModel.resetZoom();
            assertEquals(new AttributionMatrix.Window(0, 20, 0, 240), viewModel.windowProperty().get());
        });
        // 5 cells halved would be 3, but no fewer than 4: centred on 2.5, from round(2.5 - 2) = 1
        assertArrayEquals(new int[] {1, 5}, LayerHeatmapViewModel.scaled(0, 5, 20, 0.5, 0.5));
    }

    @Test
    void aClickSelectsTheCellUnderItAndFocusesItsExampleAndComponent() throws Exception {
        openFixture();
        FxThread.run(() -> {
            viewModel.resize(20, 240);
            drawn();
            viewModel.select(7.5 / 20, 33.5 / 240);
            assertEquals(new LayerHeatmapViewModel.Cell(7, 33, "conv2 #1", 5f), viewModel.selectedProperty().get());
            viewModel.showComponent();
            assertEquals(33, project.focusedComponentProperty().get());
            viewModel.showExample();
            assertEquals(7, project.focusedExampleProperty().get());

            project.attributionsProperty().set(tmp.resolve("elsewhere"));
            assertNull(viewModel.renderedProperty().get(), "other attributions clear the heatmap at once");
            assertNull(viewModel.selectedProperty().get());
            assertEquals(LayerHeatmapViewModel.NONE_OPEN, viewModel.statusProperty().get());
        });
    }
}
