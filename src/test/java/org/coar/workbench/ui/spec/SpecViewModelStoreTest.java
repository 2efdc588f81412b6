package org.coar.workbench.ui.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.model.ComponentPreset;
import org.coar.workbench.model.OutputFunction;
import org.coar.workbench.model.ParameterInfo;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.spec.SpecProblem;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.store.Store;
import org.coar.workbench.testing.Fixtures;
import org.coar.workbench.ui.common.CurrentThreadTaskExecutor;
import org.coar.workbench.ui.common.DeferredTaskExecutor;
import org.coar.workbench.ui.common.FakeDialogs;
import org.coar.workbench.ui.common.JobReporter;
import org.coar.workbench.ui.common.ProjectState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the Spec panel shows of a spec file and of the project's store, and that it never keeps the previous store's. */
class SpecViewModelStoreTest {
    private static final Path MODEL = Fixtures.resource("org/coar/workbench/demo/fashion_cnn.pt");
    private static final Path IMAGES = Fixtures.resource("org/coar/workbench/demo/eval-images-idx3-ubyte.gz");
    private static final SpecCodec CODEC = new SpecCodec();

    @TempDir
    Path tmp;

    private final FakeDialogs dialogs = new FakeDialogs();
    private final ProjectState project = new ProjectState();
    private final SpecViewModel viewModel = new SpecViewModel(CODEC,
            new CurrentThreadTaskExecutor(new JobReporter(dialogs, "the log")), project, dialogs);

    private String shape(String array) {
        return viewModel.arrays().stream().filter(r -> r.nameProperty().get().equals(array)).findFirst()
                .map(r -> r.shapeProperty().get()).orElse("<none>");
    }

    private Path store(String name, String spec) {
        Path dir = tmp.resolve(name);
        Store.create(dir, CODEC.parse(spec, name));
        return dir;
    }

    private List<String> problems() {
        return viewModel.problems().stream().map(SpecProblem::toString).toList();
    }

    @Test
    void anInvalidSpecFileOpensInTheEditorWithItsProblemsToBeFixedThere() throws IOException {
        Path file = tmp.resolve("spec.json");
        String text = "{\"num_models\": 0, \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": [240]}}}";
        Files.writeString(file, text);
        viewModel.openSpec(file);
        assertEquals(text, viewModel.jsonProperty().get(), "the file's text, as written");
        assertEquals(List.of("num_models: must be at least 1, got 0"), problems());
        assertEquals("0", viewModel.numModelsProperty().get());
        assertEquals("[240]", shape("masks"));
        assertTrue(viewModel.sourceProperty().get().startsWith("The spec file " + file + "; fix the problems"),
                viewModel.sourceProperty().get());

        viewModel.numModelsProperty().set("30");
        assertEquals(List.of(), problems());
    }

    @Test
    void aSpecFileThatIsNotJsonOpensInTheEditorAndTheFormShowsNothingOfAnEarlierSpec() throws IOException {
        Path file = tmp.resolve("broken.json");
        String text = "{\"num_models\": 12,\n  \"schema\": ";
        Files.writeString(file, text);
        viewModel.openSpec(file);
        assertEquals(text, viewModel.jsonProperty().get());
        assertEquals(1, viewModel.problems().size());
        assertEquals(2, viewModel.problems().getFirst().line());
        assertEquals("", viewModel.numModelsProperty().get());
        assertEquals(List.of(), viewModel.arrays());

        WorkbenchException missing = assertThrows(WorkbenchException.class, () -> viewModel.openSpec(tmp.resolve("missing.json")));
        assertTrue(missing.getMessage().contains("missing.json"), missing.getMessage());
    }

    @Test
    void eachStoreShowsItsOwnSpecAndRunAndNothingOfThePreviousOne() {
        // A store whose run.json records the reference ResNet preset (the demo's 3 convs: 160), 50 images and the loss.
        Path recorded = store("recorded", """
                {"num_models": 30, "schema": {"masks": {"dtype": "bool_", "shape": [160]}, "margins": {"dtype": "float16", "shape": [50]}}}""");
        RunConfig.builder().optModel(MODEL.toString()).optData(DataSpec.builder().setPath(IMAGES.toString()).optLimit(50).build())
                .optOutput("loss").optComponents("reference-resnet").build().write(recorded);
        project.storeProperty().set(recorded);
        assertEquals("30", viewModel.numModelsProperty().get());
        assertEquals(ComponentPreset.REFERENCE_RESNET, viewModel.presetProperty().get());
        assertEquals("[160]", shape("masks"));
        assertEquals(MODEL, project.modelProperty().get());
        assertEquals(50, project.dataProperty().get().limit());
        assertEquals("50", viewModel.dataSettings().limitProperty().get());
        assertEquals(OutputFunction.LOSS, project.outputFunctionProperty().get());
        assertEquals(List.of(), problems());

        // A store without run.json: its spec, and no model or data of the store before.
        Path bare = store("bare", """
                {"num_models": 7, "schema": {"masks": {"dtype": "bool_", "shape": [5]}, "out": {"dtype": "float32", "shape": [3]}}}""");
        project.storeProperty().set(bare);
        assertEquals("7", viewModel.numModelsProperty().get());
        assertEquals("[5]", shape("masks"));
        assertEquals(List.of(), viewModel.groups());
        assertEquals("No model opened.", viewModel.componentSummaryProperty().get());
        assertEquals("", viewModel.recommendationProperty().get());
        assertNull(project.modelProperty().get());
        assertNull(project.dataProperty().get());
        assertEquals("No evaluation data chosen.", viewModel.dataSummaryProperty().get());
        assertEquals("", viewModel.dataSettings().limitProperty().get());
        assertEquals(OutputFunction.MARGIN, project.outputFunctionProperty().get());
        assertEquals(List.of(), problems());

        // A directory that is no store: the failure is reported, and the panel shows a new spec, not the last store's.
        Path notAStore = tmp.resolve("empty");
        project.storeProperty().set(notAStore);
        assertEquals(1, dialogs.errors.size(), dialogs.errors.toString());
        assertEquals("2000", viewModel.numModelsProperty().get());
        assertEquals(List.of("masks", "margins"), viewModel.arrays().stream().map(r -> r.nameProperty().get()).toList());
        assertEquals("Could not open the store " + notAStore + "; showing a new spec.", viewModel.sourceProperty().get());
    }

    @Test
    void theModelAndDataChosenForANewStoreStayWhenItHasNoRunYetAndItsWidthsAreChecked() {
        viewModel.modelOpened(Path.of("cnn.pt"), List.of(new ParameterInfo("conv1.weight", new long[] {8, 1, 3, 3}),
                new ParameterInfo("fc.weight", new long[] {10, 8})));
        viewModel.dataLimitProperty().set("3");
        viewModel.chooseData(IMAGES);
        project.storeProperty().set(store("small", """
                {"num_models": 7, "schema": {"masks": {"dtype": "bool_", "shape": [5]}, "margins": {"dtype": "float16", "shape": [3]}}}"""));
        assertEquals(Path.of("cnn.pt"), project.modelProperty().get(), "what its first build will record");
        assertEquals(3, project.dataProperty().get().limit());
        assertEquals(List.of("schema.masks.shape: masks width 5 but the model has 8 components with the chosen groups "
                + "(preset default): set it to 8"), problems());
    }

    @Test
    void aStoreReadAfterTheNextWasChosenIsNotShown() {
        DeferredTaskExecutor tasks = new DeferredTaskExecutor(new JobReporter(dialogs, "the log"));
        SpecViewModel deferred = new SpecViewModel(CODEC, tasks, project, dialogs);
        Path first = store("first", "{\"num_models\": 11, \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": [1]}}}");
        Path second = store("second", "{\"num_models\": 22, \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": [2]}}}");
        project.storeProperty().set(first);
        project.storeProperty().set(second);
        tasks.run("Reading store second");
        tasks.run("Reading store first");
        assertEquals("22", deferred.numModelsProperty().get());
    }
}
