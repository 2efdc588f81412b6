package org.coar.workbench.ui.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.ui.common.CurrentThreadTaskExecutor;
import org.coar.workbench.ui.common.DialogService;
import org.coar.workbench.ui.common.FakeDialogs;
import org.coar.workbench.ui.common.JobReporter;
import org.coar.workbench.ui.common.ProjectState;
import org.junit.jupiter.api.Test;

/** The Spec panel's form and JSON text kept in step both ways, with the sizes they imply. */
class SpecViewModelFormTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final DialogService NO_DIALOGS = FakeDialogs.failingOnError();

    private final SpecViewModel viewModel = new SpecViewModel(new SpecCodec(),
            new CurrentThreadTaskExecutor(new JobReporter(NO_DIALOGS, "the log")), new ProjectState(), NO_DIALOGS);

    private JsonNode json() throws Exception {
        return JSON.readTree(viewModel.jsonProperty().get());
    }

    private List<List<String>> rows() {
        return viewModel.arrays().stream()
                .map(r -> List.of(r.nameProperty().get(), r.dtypeProperty().get(), r.shapeProperty().get())).toList();
    }

    @Test
    void typingInTheFormRewritesTheJson() throws Exception {
        viewModel.numModelsProperty().set("30");
        viewModel.arrays().getFirst().shapeProperty().set("240");
        viewModel.addArray();
        assertEquals(JSON.readTree("""
                {"num_models": 30, "schema": {"masks": {"dtype": "bool_", "shape": [240]},
                                              "margins": {"dtype": "float16", "shape": [0]},
                                              "output2": {"dtype": "float16", "shape": [1]}}}"""), json());
        assertEquals(List.of(), viewModel.problems());
    }

    @Test
    void editingTheJsonRefillsTheFormKeepingItsRows() {
        ArrayRow first = viewModel.arrays().getFirst();
        viewModel.jsonProperty().set("""
                {"num_models": 1000, "schema": {"masks": {"dtype": "bool_", "shape": [1024]},
                                                "test_margins": {"dtype": "float16", "shape": [512]},
                                                "images": {"dtype": "uint8", "shape": [3, 32]}}}""");
        assertEquals("1000", viewModel.numModelsProperty().get());
        assertEquals(List.of(List.of("masks", "bool_", "[1024]"), List.of("test_margins", "float16", "[512]"),
                List.of("images", "uint8", "[3, 32]")), rows());
        assertSame(first, viewModel.arrays().getFirst(), "the table's rows are updated, not replaced");

        viewModel.jsonProperty().set("{\"num_models\": 7, \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": [4]}}}");
        assertEquals(List.of(List.of("masks", "bool_", "[4]")), rows());
    }

    @Test
    void jsonBeingTypedLeavesTheFormAsItWasAndSaysWhereItBreaks() {
        viewModel.jsonProperty().set("{\"num_models\": 12,\n  \"schema\": ");
        assertEquals("2000", viewModel.numModelsProperty().get());
        assertEquals(List.of(List.of("masks", "bool_", "[0]"), List.of("margins", "float16", "[0]")), rows());
        assertEquals(2, viewModel.problems().getFirst().line());
        assertEquals("Fix the spec's problems (shown above spec.json) to see the store's size.", viewModel.sizeSummaryProperty().get());
    }

    @Test
    void eachArraysSizeIsItsNpyFileAndTheSummaryTheirSum() {
        viewModel.jsonProperty().set("""
                {"num_models": 1000, "schema": {"masks": {"dtype": "bool_", "shape": [1024]},
                                                "margins": {"dtype": "float16", "shape": [512]}}}""");
        // a 128-byte header, as numpy writes it, before 1000 rows of 1024 bytes each
        assertEquals(128 + 1000 * 1024, viewModel.bytesOf(viewModel.arrays().get(0)));
        assertEquals(128 + 1000 * 512 * 2, viewModel.bytesOf(viewModel.arrays().get(1)));
        // 2,048,256 bytes = 1.953 MiB, to three significant figures
        assertEquals("1,000 models, 1.95 MiB on disk when filled.", viewModel.sizeSummaryProperty().get());

        viewModel.arrays().get(1).shapeProperty().set("[512, x]");
        assertEquals(-1, viewModel.bytesOf(viewModel.arrays().get(0)), "no size while the spec is invalid");
        assertTrue(viewModel.problemFor("schema.margins").isPresent());
    }
}
