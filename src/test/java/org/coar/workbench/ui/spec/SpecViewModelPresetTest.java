package org.coar.workbench.ui.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.coar.workbench.model.ComponentPreset;
import org.coar.workbench.model.ParameterInfo;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.spec.SpecForm;
import org.coar.workbench.ui.common.CurrentThreadTaskExecutor;
import org.coar.workbench.ui.common.DialogService;
import org.coar.workbench.ui.common.FakeDialogs;
import org.coar.workbench.ui.common.JobReporter;
import org.coar.workbench.ui.common.ProjectState;
import org.junit.jupiter.api.Test;

/** The Spec panel's preset chooser and group checkboxes, kept consistent both ways, and what they tell the build. */
class SpecViewModelPresetTest {
    /** A ResNet-like model: two convs named conv*, a downsample conv, and the classifier head. */
    private static final List<ParameterInfo> RESNET_LIKE = List.of(
            new ParameterInfo("conv1.weight", new long[] {8, 3, 3, 3}),
            new ParameterInfo("layer1.0.conv1.weight", new long[] {16, 8, 3, 3}),
            new ParameterInfo("layer1.0.downsample.0.weight", new long[] {16, 8, 1, 1}),
            new ParameterInfo("fc.weight", new long[] {10, 16}));

    private static final DialogService NO_DIALOGS = FakeDialogs.failingOnError();

    private final ProjectState project = new ProjectState();
    private final SpecViewModel viewModel = new SpecViewModel(new SpecCodec(),
            new CurrentThreadTaskExecutor(new JobReporter(NO_DIALOGS, "the log")), project, NO_DIALOGS);

    private List<String> checked() {
        return viewModel.groups().stream().filter(g -> g.selectedProperty().get()).map(GroupChoice::name).toList();
    }

    private String maskShape() {
        return viewModel.arrays().stream().filter(r -> r.nameProperty().get().equals(SpecForm.MASKS)).findFirst().orElseThrow()
                .shapeProperty().get();
    }

    @Test
    void choosingAPresetChecksItsGroupsAndSetsTheMaskWidth() {
        viewModel.modelOpened(Path.of("resnet.pt"), RESNET_LIKE);
        assertEquals(List.of("conv1.weight", "layer1.0.conv1.weight", "layer1.0.downsample.0.weight"), checked());
        assertEquals("[40]", maskShape());
        assertEquals(ComponentPreset.DEFAULT, project.componentPresetProperty().get());

        viewModel.presetProperty().set(ComponentPreset.REFERENCE_RESNET);
        assertEquals(List.of("conv1.weight", "layer1.0.conv1.weight"), checked(), "no downsample conv, as the reference");
        assertEquals("[24]", maskShape());
        assertEquals(ComponentPreset.REFERENCE_RESNET, project.componentPresetProperty().get());
        assertEquals(List.of(), project.includedGroupsProperty().get());
        assertEquals("24 components in 2 groups (resnet.pt)", viewModel.componentSummaryProperty().get());
    }

    @Test
    void checkingGroupsByHandShowsThePresetTheyAmountToOrACustomSelection() {
        viewModel.modelOpened(Path.of("resnet.pt"), RESNET_LIKE);
        viewModel.groups().stream().filter(g -> g.name().contains("downsample")).findFirst().orElseThrow().selectedProperty().set(false);
        assertEquals(ComponentPreset.REFERENCE_RESNET, viewModel.presetProperty().get());
        assertEquals(ComponentPreset.REFERENCE_RESNET, project.componentPresetProperty().get());

        viewModel.groups().stream().filter(g -> g.name().equals("fc.weight")).findFirst().orElseThrow().selectedProperty().set(true);
        assertNull(viewModel.presetProperty().get(), "no preset takes the convs and the head");
        assertEquals(ComponentPreset.DEFAULT, project.componentPresetProperty().get());
        assertEquals(List.of("conv1.weight", "layer1.0.conv1.weight", "fc.weight"), project.includedGroupsProperty().get());
        assertEquals("[34]", maskShape());
    }

    @Test
    void aPresetChosenBeforeTheModelIsOpenedAppliesToIt() {
        viewModel.presetProperty().set(ComponentPreset.REFERENCE_RESNET);
        viewModel.modelOpened(Path.of("resnet.pt"), RESNET_LIKE);
        assertEquals(List.of("conv1.weight", "layer1.0.conv1.weight"), checked());
        assertEquals(ComponentPreset.REFERENCE_RESNET, project.componentPresetProperty().get());
    }
}
