package org.coar.workbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecCodecTest {
    private final SpecCodec codec = new SpecCodec();

    @Test
    void readsTheReferenceTestSpec() {
        StoreSpec spec = codec.read(Fixtures.resource("store/spec_test.json"));
        assertEquals(100, spec.numModels());
        assertEquals(List.of("masks", "test_margins"), List.copyOf(spec.schema().keySet()));
        assertEquals(new ArraySpec(Dtype.BOOL, List.of(2304L)), spec.schema().get("masks"));
        assertEquals(new ArraySpec(Dtype.FLOAT16, List.of(10000L)), spec.schema().get("test_margins"));
    }

    @Test
    void readsTheImageNetViTSpecAndSizesIt() {
        StoreSpec spec = codec.parse("""
                {"num_models": 200000, "schema": {"masks": {"dtype": "bool_", "shape": [82944]},
                 "val_margins": {"dtype": "float16", "shape": [10000]}}}""", "vit.json");
        assertEquals(200_000L * 82_944 + 200_000L * 10_000 * 2 + 200_000, spec.dataBytes());
    }

    @ParameterizedTest
    @CsvSource({"bool_,BOOL", "bool,BOOL", "uint8,UINT8", "int8,INT8", "int16,INT16", "int32,INT32", "int64,INT64",
        "float16,FLOAT16", "float32,FLOAT32", "float64,FLOAT64", "f2,FLOAT16", "<f4,FLOAT32", "|b1,BOOL", "double,FLOAT64"})
    void acceptsNumpySpellingsOfEveryDtype(String spelling, Dtype expected) {
        StoreSpec spec = codec.parse("{\"num_models\": 1, \"schema\": {\"a\": {\"dtype\": \"" + spelling + "\", \"shape\": [2]}}}", "s");
        assertEquals(expected, spec.schema().get("a").dtype());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            invalid JSON                  | {"num_models": 3, "schema": {}           | line 1, column 31: invalid JSON
            missing num_models            | {"schema": {"a": {"dtype": "bool_", "shape": []}}} | num_models: missing
            missing schema                | {"num_models": 3}                         | schema: missing
            zero num_models               | {"num_models": 0, "schema": {"a": {"dtype": "bool_", "shape": []}}} | num_models: must be at least 1, got 0
            negative num_models           | {"num_models": -5, "schema": {"a": {"dtype": "bool_", "shape": []}}} | num_models: must be at least 1, got -5
            fractional num_models         | {"num_models": 2.5, "schema": {"a": {"dtype": "bool_", "shape": []}}} | num_models: expected a positive integer, got 2.5
            shape not a list              | {"num_models": 3, "schema": {"a": {"dtype": "bool_", "shape": 5}}} | schema.a.shape: expected a list of non-negative integers, got 5
            negative dimension            | {"num_models": 3, "schema": {"a": {"dtype": "bool_", "shape": [4, -1]}}} | schema.a.shape: expected a list of non-negative integers, got [4,-1]
            string dimension              | {"num_models": 3, "schema": {"a": {"dtype": "bool_", "shape": ["4"]}}} | schema.a.shape: expected a list of non-negative integers
            unknown dtype                 | {"num_models": 3, "schema": {"a": {"dtype": "float128", "shape": [1]}}} | schema.a.dtype: unknown dtype "float128"; expected one of bool_, uint8
            object dtype                  | {"num_models": 3, "schema": {"a": {"dtype": "object", "shape": [1]}}} | schema.a.dtype: unknown dtype "object"
            reserved name                 | {"num_models": 3, "schema": {"_completed": {"dtype": "bool_", "shape": [1]}}} | schema._completed: the name _completed is reserved
            path in name                  | {"num_models": 3, "schema": {"../evil": {"dtype": "bool_", "shape": [1]}}} | schema.../evil: not a safe file name
            space in name                 | {"num_models": 3, "schema": {"my masks": {"dtype": "bool_", "shape": [1]}}} | schema.my masks: not a safe file name
            missing dtype                 | {"num_models": 3, "schema": {"a": {"shape": [1]}}} | schema.a.dtype: missing
            duplicate key                 | {"num_models": 3, "num_models": 4, "schema": {}} | invalid JSON: Duplicate field 'num_models'
            """)
    void refusesBadSpecsNamingTheFieldAndTheFix(String name, String json, String expected) {
        SpecException e = assertThrows(SpecException.class, () -> codec.parse(json, "spec.json"));
        assertTrue(e.getMessage().startsWith("spec.json: invalid spec:"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> name + " -> " + e.getMessage());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        List<SpecProblem> problems = codec.problems("""
                {"num_models": 0, "schema": {"a": {"dtype": "nope", "shape": [1]}, "b": {"dtype": "bool_", "shape": "x"}}}""");
        assertEquals(List.of("num_models", "schema.a.dtype", "schema.b.shape"), problems.stream().map(SpecProblem::field).toList());
    }

    @Test
    void missingSpecFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.json");
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> codec.read(missing));
        assertEquals(missing + ": no such spec file", e.getMessage());
    }

    @Test
    void writtenSpecIsAcceptedByTheReferenceInitializeStoreLogic(@TempDir Path dir) throws IOException, InterruptedException {
        StoreSpec spec = new StoreSpec(4, Map.of("masks", new ArraySpec(Dtype.BOOL, List.of(5L))));
        Path file = dir.resolve("spec.json");
        codec.write(new StoreSpec(4, new java.util.LinkedHashMap<>(Map.of(
                "masks", new ArraySpec(Dtype.BOOL, List.of(5L)),
                "margins", new ArraySpec(Dtype.FLOAT16, List.of(3L, 2L))))), file);
        assertEquals(spec.numModels(), codec.read(file).numModels());
        // The reference does getattr(np, dtype) and open_memmap for each schema entry.
        Fixtures.Result result = Fixtures.python("-c", """
                import json, sys, numpy as np
                from pathlib import Path
                spec = json.load(open(sys.argv[1]))
                out = Path(sys.argv[2])
                for key, meta in spec['schema'].items():
                    mm = np.lib.format.open_memmap(out / f'{key}.npy', mode='w+', dtype=getattr(np, meta['dtype']),
                                                   shape=(spec['num_models'], *meta['shape']))
                    print(key, mm.dtype, mm.shape)
                """, file.toString(), dir.toString());
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("margins float16 (4, 3, 2)"), result.output());
        assertTrue(result.output().contains("masks bool (4, 5)"), result.output());
        assertTrue(Files.readString(file).contains("\"dtype\" : \"bool_\""));
    }
}
