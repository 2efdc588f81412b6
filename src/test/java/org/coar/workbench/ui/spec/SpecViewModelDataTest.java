package org.coar.workbench.ui.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.model.OutputFunction;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.testing.Fixtures;
import org.coar.workbench.ui.common.CurrentThreadTaskExecutor;
import org.coar.workbench.ui.common.FakeDialogs;
import org.coar.workbench.ui.common.JobReporter;
import org.coar.workbench.ui.common.ProjectState;
import org.junit.jupiter.api.Test;

/** The Spec panel's data settings (Limit, Skip, preprocessing) and output function are what the build gets. */
class SpecViewModelDataTest {
    /** The demo's 1,000 Fashion-MNIST images, 1 × 28 × 28. */
    private static final Path IMAGES = Fixtures.resource("org/coar/workbench/demo/eval-images-idx3-ubyte.gz");

    private final FakeDialogs dialogs = new FakeDialogs();
    private final ProjectState project = new ProjectState();
    private final SpecViewModel viewModel = new SpecViewModel(new SpecCodec(),
            new CurrentThreadTaskExecutor(new JobReporter(dialogs, "the log")), project, dialogs);
    private final DataSettings settings = viewModel.dataSettings();

    private String outputShape() {
        return viewModel.arrays().stream().filter(r -> r.nameProperty().get().equals("margins")).findFirst().orElseThrow()
                .shapeProperty().get();
    }

    @Test
    void changingLimitOrSkipRereadsTheChosenDataAndResizesTheOutputs() {
        viewModel.chooseData(IMAGES);
        assertEquals("[1000]", outputShape());

        settings.limitProperty().set("50");
        assertEquals("[50]", outputShape(), "without choosing the data again");
        assertEquals(50, project.dataProperty().get().limit());

        // every 3rd of 1,000 images: indices 0, 3, ..., 999, i.e. ceil(1000 / 3) = 334
        settings.limitProperty().set("");
        settings.skipProperty().set("3");
        assertEquals("[334]", outputShape());
        assertEquals(3, project.dataProperty().get().skip());
        assertTrue(viewModel.dataSummaryProperty().get().startsWith("334 examples of shape [1, 28, 28]"),
                viewModel.dataSummaryProperty().get());
        assertEquals("", viewModel.dataProblemProperty().get());
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
    }

    @Test
    void aSettingThatIsNotAValueSaysWhichAndLeavesTheBuildWithoutData() {
        viewModel.chooseData(IMAGES);
        settings.limitProperty().set("fifty");
        assertEquals("Limit: expected a whole number, got 'fifty'; leave it empty for the default", viewModel.dataProblemProperty().get());
        assertNull(project.dataProperty().get(), "the build gets no data whose settings are not what the panel shows");
        assertTrue(viewModel.problems().isEmpty(), "no output width is required of data not read");

        settings.limitProperty().set("20");
        assertEquals("", viewModel.dataProblemProperty().get());
        assertEquals("[20]", outputShape());

        settings.meanProperty().set("0.5");
        assertEquals("Std: empty, but Mean is given; normalisation computes (x - mean) / std per channel, so fill in both (e.g. Mean "
                + "0.4914, 0.4822, 0.4465 and Std 0.2470, 0.2435, 0.2616) or neither", viewModel.dataProblemProperty().get());
        settings.stdProperty().set("0.25, 0.25");
        assertEquals("Std: 2 values but Mean has 1; give one value per channel to each", viewModel.dataProblemProperty().get());
        assertTrue(dialogs.errors.isEmpty(), "settings being typed get no dialog: " + dialogs.errors);
    }

    @Test
    void thePreprocessingAndOutputFunctionChosenAreWhatTheBuildRecords() {
        viewModel.chooseData(IMAGES);
        settings.limitProperty().set("10");
        settings.resizeProperty().set("32");
        settings.cropProperty().set("24");
        settings.meanProperty().set("0.2860");
        settings.stdProperty().set("0.3530");
        viewModel.outputFunctionProperty().set(OutputFunction.LOSS);

        DataSpec data = project.dataProperty().get();
        assertEquals(IMAGES.toString(), data.path());
        assertEquals(10, data.limit());
        assertEquals(32, data.resize());
        assertEquals(24, data.crop());
        assertArrayEquals(new float[] {0.2860f}, data.mean());
        assertArrayEquals(new float[] {0.3530f}, data.std());
        // 28 × 28 resized to 32 × 32, then the centre 24 × 24
        assertTrue(viewModel.dataSummaryProperty().get().startsWith("10 examples of shape [1, 24, 24]"),
                viewModel.dataSummaryProperty().get());
        assertEquals(OutputFunction.LOSS, project.outputFunctionProperty().get());
    }

    @Test
    void dataChosenWithSettingsShowThem() {
        viewModel.chooseData(DataSpec.builder().setPath(IMAGES.toString()).optLimit(40).optSkip(2).build());
        assertEquals("40", settings.limitProperty().get());
        assertEquals("2", settings.skipProperty().get());
        assertEquals("", settings.resizeProperty().get());
        assertEquals("[40]", outputShape());
    }
}
