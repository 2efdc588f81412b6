package org.coar.workbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The spec form's JSON both ways and its array sizing, against JSON and forms written out by hand. */
class SpecFormTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode tree(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static SpecForm form(String numModels, SpecForm.Array... arrays) {
        return new SpecForm(numModels, List.of(arrays));
    }

    private static SpecForm.Array array(String name, String dtype, String shape) {
        return new SpecForm.Array(name, dtype, shape);
    }

    @Test
    void theStarterFormIsTwoThousandModelsWithEmptyMasksAndMargins() throws Exception {
        assertEquals(tree("""
                {"num_models": 2000, "schema": {"masks": {"dtype": "bool_", "shape": [0]},
                                                "margins": {"dtype": "float16", "shape": [0]}}}"""),
                tree(SpecForm.starter().toJson()));
    }

    @Test
    void writesIndentedJsonThatTheReferenceScriptsRead() {
        String expected = """
                {
                  "num_models" : 30,
                  "schema" : {
                    "masks" : {
                      "dtype" : "bool_",
                      "shape" : [ 240 ]
                    }
                  }
                }""";
        assertEquals(expected, form("30", array("masks", "bool_", "[240]")).toJson().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void acceptsEveryWayOfTypingAShapeAndTrimsNamesAndNumbers() throws Exception {
        SpecForm typed = form(" 100 ", array(" masks ", "bool_", "240"), array("images", "uint8", " [3, 32, 32] "),
                array("loss", "float32", "[]"), array("scalar", "float32", ""));
        assertEquals(tree("""
                {"num_models": 100, "schema": {"masks": {"dtype": "bool_", "shape": [240]},
                                               "images": {"dtype": "uint8", "shape": [3, 32, 32]},
                                               "loss": {"dtype": "float32", "shape": []},
                                               "scalar": {"dtype": "float32", "shape": []}}}"""),
                tree(typed.toJson()));
    }

    @Test
    void keepsWhatIsNotANumberAsTextForTheCodecToName() throws Exception {
        SpecForm typed = form("lots", array("masks", "bool_", "[3, x]"), array("margins", "float128", "[-1]"));
        String json = typed.toJson();
        assertEquals(tree("""
                {"num_models": "lots", "schema": {"masks": {"dtype": "bool_", "shape": "[3, x]"},
                                                  "margins": {"dtype": "float128", "shape": [-1]}}}"""),
                tree(json));
        assertEquals(List.of(
                new SpecProblem("num_models", "expected a positive integer, got \"lots\"", 0, 0),
                new SpecProblem("schema.masks.shape", "expected a list of non-negative integers, got \"[3, x]\"", 0, 0)),
                new SpecCodec().problems(json).subList(0, 2));
    }

    @Test
    void anEmptyFieldIsAnEmptyStringAndAMissingOneIsNull() throws Exception {
        assertEquals(tree("""
                {"num_models": "", "schema": {"": {"dtype": null, "shape": null}}}"""),
                tree(form(null, array(null, null, null)).toJson()));
    }

    @Test
    void readsJsonIntoTheFormWithShapesAsTyped() {
        Optional<SpecForm> read = SpecForm.fromJson("""
                {"num_models": 50000,
                 "schema": {"masks": {"dtype": "bool_", "shape": [2304]},
                            "images": {"dtype": "uint8", "shape": [3,32,32]},
                            "loss": {"dtype": "float32", "shape": []}}}""");
        assertEquals(Optional.of(form("50000", array("masks", "bool_", "[2304]"), array("images", "uint8", "[3, 32, 32]"),
                array("loss", "float32", "[]"))), read);
    }

    @Test
    void readsWhatTheCodecRejectsAsTextSoTheUserCanFixIt() {
        Optional<SpecForm> read = SpecForm.fromJson("""
                {"num_models": "lots", "schema": {"masks": {"shape": "[3, x]"}, "margins": {"dtype": 7}, "odd": [1]}}""");
        assertEquals(Optional.of(form("lots", array("masks", "", "[3, x]"), array("margins", "7", ""), array("odd", "", ""))), read);
        assertEquals(Optional.of(form("2.5")), SpecForm.fromJson("{\"num_models\": 2.5, \"schema\": {}}"));
        assertEquals(Optional.of(form("")), SpecForm.fromJson("{\"schema\": 3}"));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "{\"num_models\": 12,\n  \"schema\": ", "[1, 2]", "\"spec\"", "null"})
    void textThatIsNotAJsonObjectGivesNoForm(String text) {
        assertEquals(Optional.empty(), SpecForm.fromJson(text));
    }

    @Test
    void parsesShapesWithOrWithoutBrackets() {
        assertEquals(Optional.of(List.of(3L, 32L)), SpecForm.parseShape("[3, 32]"));
        assertEquals(Optional.of(List.of(3L, 32L)), SpecForm.parseShape(" 3,32 "));
        assertEquals(Optional.of(List.of()), SpecForm.parseShape("[ ]"));
        assertEquals(Optional.of(List.of(-1L)), SpecForm.parseShape("[-1]"));
        assertEquals(Optional.empty(), SpecForm.parseShape("[3,, 32]"));
        assertEquals(Optional.empty(), SpecForm.parseShape("(3, 32)"));
        assertEquals(Optional.empty(), SpecForm.parseShape(null));
    }

    @Test
    void theMasksGetOneEntryPerComponentAndKeepTheirDtype() {
        SpecForm typed = form("30", array("margins", "float16", "[50]"), array("masks", "uint8", "[7]"));
        assertEquals(form("30", array("margins", "float16", "[50]"), array("masks", "uint8", "[240]")), typed.withMaskWidth(240));
    }

    @Test
    void aFormWithoutMasksGetsThemAsBoolAtTheEnd() {
        assertEquals(form("30", array("margins", "float16", "[50]"), array("masks", "bool_", "[240]")),
                form("30", array("margins", "float16", "[50]")).withMaskWidth(240));
    }

    @Test
    void theFirstArrayBesidesTheMasksGetsOneOutputPerExample() {
        SpecForm typed = form("30", array("masks", "bool_", "[240]"), array("test_margins", "float32", "[1]"),
                array("logits", "float16", "[10]"));
        assertEquals(form("30", array("masks", "bool_", "[240]"), array("test_margins", "float32", "[10000]"),
                array("logits", "float16", "[10]")), typed.withOutputWidth(10_000));
    }

    @Test
    void aFormWithOnlyMasksGetsMarginsAsFloat16() {
        assertEquals(form("30", array("masks", "bool_", "[240]"), array("margins", "float16", "[50]")),
                form("30", array("masks", "bool_", "[240]")).withOutputWidth(50));
    }

    @Test
    void aNewArrayIsNamedByItsPosition() {
        assertEquals(form("30", array("masks", "bool_", "[240]"), array("margins", "float16", "[50]"), array("output2", "float16", "[1]")),
                form("30", array("masks", "bool_", "[240]"), array("margins", "float16", "[50]")).withNewArray());
    }
}
