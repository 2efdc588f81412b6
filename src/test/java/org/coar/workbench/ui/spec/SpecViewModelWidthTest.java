package org.coar.workbench.ui.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.coar.workbench.model.ParameterInfo;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.spec.SpecProblem;
import org.coar.workbench.testing.Fixtures;
import org.coar.workbench.ui.common.CurrentThreadTaskExecutor;
import org.coar.workbench.ui.common.DialogService;
import org.coar.workbench.ui.common.FakeDialogs;
import org.coar.workbench.ui.common.JobReporter;
import org.coar.workbench.ui.common.ProjectState;
import org.junit.jupiter.api.Test;

/** The Spec panel checks the mask and output widths against the model and the data chosen, and says what to set. */
class SpecViewModelWidthTest {
    /** Two convs (8 + 16 filters) and the head: the default preset takes the convs, 24 components. */
    private static final List<ParameterInfo> SMALL_CNN = List.of(
            new ParameterInfo("conv1.weight", new long[] {8, 1, 3, 3}),
            new ParameterInfo("conv2.weight", new long[] {16, 8, 3, 3}),
            new ParameterInfo("fc.weight", new long[] {10, 16}));
    /** The demo's 1,000 Fashion-MNIST images, 28 × 28. */
    private static final Path IMAGES = Fixtures.resource("org/coar/workbench/demo/eval-images-idx3-ubyte.gz");

    private static final DialogService NO_DIALOGS = FakeDialogs.failingOnError();

    private final SpecViewModel viewModel = new SpecViewModel(new SpecCodec(),
            new CurrentThreadTaskExecutor(new JobReporter(NO_DIALOGS, "the log")), new ProjectState(), NO_DIALOGS);

    private ArrayRow row(String name) {
        return viewModel.arrays().stream().filter(r -> r.nameProperty().get().equals(name)).findFirst().orElseThrow();
    }

    private List<String> problems() {
        return viewModel.problems().stream().map(SpecProblem::toString).toList();
    }

    @Test
    void aMaskWidthThatIsNotTheModelsComponentsIsAProblemOfThatFieldUntilCorrected() {
        viewModel.modelOpened(Path.of("cnn.pt"), SMALL_CNN);
        assertEquals("[24]", row("masks").shapeProperty().get());
        assertEquals(List.of(), problems(), "the mask is sized to the selection when the model opens");

        row("masks").shapeProperty().set("2400");
        assertEquals(List.of("schema.masks.shape: masks width 2,400 but the model has 24 components with the chosen groups "
                + "(preset default): set it to 24"), problems());
        assertTrue(viewModel.problemFor("schema.masks").isPresent(), "the table marks the masks row");

        row("masks").shapeProperty().set("[24]");
        assertEquals(List.of(), problems());
    }

    @Test
    void aSpecTypedAfterTheModelIsCheckedAgainstItAndAgainstTheGroupsCheckedByHand() {
        viewModel.modelOpened(Path.of("cnn.pt"), SMALL_CNN);
        viewModel.jsonProperty().set("{\"num_models\": 100, \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": [2400]}}}");
        assertEquals(List.of("schema.masks.shape: masks width 2,400 but the model has 24 components with the chosen groups "
                + "(preset default): set it to 24"), problems());

        viewModel.jsonProperty().set("{\"num_models\": 100, \"schema\": {\"margins\": {\"dtype\": \"float16\", \"shape\": [5]}}}");
        assertEquals(List.of("schema: no masks array, but the model has 24 components with the chosen groups (preset default): "
                + "add \"masks\": {\"dtype\": \"bool_\", \"shape\": [24]}"), problems());

        // Unchecking conv1 (8 filters) resizes the mask to 16 and the spec is right again.
        viewModel.jsonProperty().set("{\"num_models\": 100, \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": [24]}}}");
        viewModel.groups().getFirst().selectedProperty().set(false);
        assertEquals("[16]", row("masks").shapeProperty().get());
        assertEquals(List.of(), problems());
    }

    @Test
    void anOutputWidthThatIsNotTheDatasExamplesIsAProblemOfThatFieldUntilCorrected() {
        viewModel.dataLimitProperty().set("50");
        viewModel.chooseData(IMAGES);
        assertEquals("[50]", row("margins").shapeProperty().get());
        assertEquals(List.of(), problems());

        row("margins").shapeProperty().set("[500]");
        assertEquals(List.of("schema.margins.shape: margins width 500 but the evaluation data have 50 examples (Limit 50): "
                + "set it to 50, or change Limit / Skip"), problems());

        row("margins").shapeProperty().set("[50]");
        assertEquals(List.of(), problems());
    }

    @Test
    void theRecommendationShowsAsSoonAsTheModelOpensAndComparesItWithTheSpec() {
        assertEquals("", viewModel.recommendationProperty().get());
        viewModel.modelOpened(Path.of("cnn.pt"), SMALL_CNN);
        // 8 per component is 192 models, below the floor of 1,000; the starter spec's 2,000 are enough.
        assertEquals("Recommended: at least 1,000 models for 24 components (about 8 per component; more gives better "
                + "attributions — the paper used 50,000 for 2,304 components).", viewModel.recommendationProperty().get());

        viewModel.numModelsProperty().set("30");
        assertTrue(viewModel.recommendationProperty().get().endsWith(" This spec has 30."), viewModel.recommendationProperty().get());
    }
}
