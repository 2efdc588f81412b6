package org.coar.workbench.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.spec.StoreSpec;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {

    private static StoreSpec smallSpec() {
        return new SpecCodec().read(Fixtures.resource("store/spec_small.json"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    @Test
    void opensAStoreNumpyInitialisedAndReadsItsRows(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        copyTree(Fixtures.resource("store/numpy_store"), dir);
        try (Store store = Store.open(dir, true)) {
            assertEquals(6, store.numModels());
            assertEquals(List.of("margins", "masks"), store.arrayNames());
            assertEquals(smallSpec().schema(), new java.util.TreeMap<>(store.spec().schema()).descendingMap().entrySet().stream()
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.LinkedHashMap::new)));
            assertEquals(2, store.completedCount());
            assertArrayEquals(new float[] {1, 0, 1, 1, 0, 0, 1}, store.array("masks").readRow(1));
            assertArrayEquals(new float[] {-7f, 0.0009765625f, 65504f}, store.array("margins").readRow(4));
            assertEquals("[0 pending, 1 done, 2-3 pending, 4 done, 5 pending]", store.rowRanges().toString());

            store.writeRow(0, Map.of("masks", new boolean[] {true, true, true, true, true, true, false},
                    "margins", new float[] {0.1f, 0.2f, -0.3f}));
            assertEquals("[0-1 done, 2-3 pending, 4 done, 5 pending]", store.rowRanges().toString());
            // float16 rounding, as numpy's astype(float16) would round these
            assertArrayEquals(new float[] {Float.float16ToFloat(Float.floatToFloat16(0.1f)),
                Float.float16ToFloat(Float.floatToFloat16(0.2f)), Float.float16ToFloat(Float.floatToFloat16(-0.3f))},
                    store.array("margins").readRow(0));
        }
    }

    @Test
    void storeMadeByTheWorkbenchOpensInNumpyWithTheWrittenValues(@TempDir Path tmp) throws IOException, InterruptedException {
        Path dir = tmp.resolve("store");
        Store.create(dir, smallSpec());
        try (Store store = Store.open(dir, true)) {
            store.writeRow(2, Map.of("masks", new boolean[] {false, true, false, true, false, true, false},
                    "margins", new double[] {-1.5, 2.0, 1024.0}));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode expect = json.createObjectNode();
        ObjectNode masks = expect.putObject("masks");
        masks.put("dtype", "bool");
        masks.putArray("shape").add(6).add(7);
        ArrayNode maskRow = masks.putObject("rows").putArray("2");
        for (boolean b : new boolean[] {false, true, false, true, false, true, false}) {
            maskRow.add(b);
        }
        ObjectNode margins = expect.putObject("margins");
        margins.put("dtype", "float16");
        margins.putArray("shape").add(6).add(3);
        margins.putObject("rows").putArray("2").add(-1.5).add(2.0).add(1024.0);
        ObjectNode completed = expect.putObject("_completed");
        completed.put("dtype", "bool");
        completed.putArray("shape").add(6);
        ObjectNode completedRows = completed.putObject("rows");
        for (int row = 0; row < 6; row++) {
            completedRows.putArray(Integer.toString(row)).add(row == 2);
        }
        Path expectFile = tmp.resolve("expect.json");
        json.writeValue(expectFile.toFile(), expect);

        Fixtures.Result result = Fixtures.python(Fixtures.tool("check_store_with_numpy.py").toString(),
                dir.toString(), "--expect-json", expectFile.toString());
        assertEquals(0, result.exitCode(), result.output());
    }

    @Test
    void initialisedFilesAreByteIdenticalToTheNumpyInitialisedStore(@TempDir Path tmp) throws IOException {
        // The numpy store has two rows filled; compare headers and lengths, which init writes.
        Path ours = tmp.resolve("ours");
        Store.create(ours, smallSpec());
        for (String file : List.of("masks.npy", "margins.npy", "_completed.npy")) {
            byte[] theirs = Files.readAllBytes(Fixtures.resource("store/numpy_store/" + file));
            byte[] mine = Files.readAllBytes(ours.resolve(file));
            assertEquals(theirs.length, mine.length, file);
            int headerLength;
            try (NpyArray array = NpyArray.open(ours.resolve(file), false)) {
                headerLength = (int) array.header().dataOffset();
            }
            assertArrayEquals(java.util.Arrays.copyOf(theirs, headerLength), java.util.Arrays.copyOf(mine, headerLength), file);
        }
    }

    @Test
    void initRefusesADirectoryThatHoldsAStoreAndChangesNothing(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        copyTree(Fixtures.resource("store/numpy_store"), dir);
        byte[] before = Files.readAllBytes(dir.resolve("masks.npy"));
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Store.create(dir, smallSpec()));
        assertTrue(e.getMessage().contains("already holds masks.npy, margins.npy, _completed.npy; nothing was changed"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("masks.npy")));
    }

    @Test
    void halfInitialisedStoreIsReportedWithWhatIsMissing(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        Store.create(dir, smallSpec());
        Files.delete(dir.resolve(Store.COMPLETED_FILE));
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Store.open(dir, false));
        assertTrue(e.getMessage().contains("half-initialised store: _completed.npy is missing (present: margins.npy, masks.npy)"), e.getMessage());
    }

    @Test
    void arrayWithTheWrongNumberOfRowsIsNamed(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("store");
        Store.create(dir, smallSpec());
        Files.delete(dir.resolve("margins.npy"));
        NpyArray.create(dir.resolve("margins.npy"), org.coar.workbench.npy.Dtype.FLOAT16, 5, 3);
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Store.open(dir, false));
        assertTrue(e.getMessage().contains("margins.npy: has 5 rows but _completed.npy has 6"), e.getMessage());
    }

    @Test
    void writeRowNeedsEveryArrayAndLeavesTheRowPendingOtherwise(@TempDir Path tmp) {
        Path dir = tmp.resolve("store");
        Store.create(dir, smallSpec());
        try (Store store = Store.open(dir, true)) {
            WorkbenchException e = assertThrows(WorkbenchException.class,
                    () -> store.writeRow(3, Map.of("masks", new boolean[7])));
            assertTrue(e.getMessage().contains("missing: [margins]"), e.getMessage());
            assertFalse(store.isCompleted(3));
            assertThrows(IllegalArgumentException.class,
                    () -> store.writeRow(3, Map.of("masks", new boolean[7], "margins", new float[2])));
            assertFalse(store.isCompleted(3), "a row whose data failed to write must not be marked completed");
        }
    }

    @Test
    void aRowThatCannotReachTheDiskIsAWorkbenchFailureAndStaysPending(@TempDir Path tmp) throws IOException {
        // A full disk faults on the first write to an unbacked page of the sparse map; a file cut
        // short after mapping faults the same way, without needing a full filesystem in the test.
        Path dir = tmp.resolve("store");
        Store.create(dir, new SpecCodec().parse("{\"num_models\": 6, \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": [7]}, "
                + "\"margins\": {\"dtype\": \"float32\", \"shape\": [4096]}}}", "spec")); // rows span whole pages
        try (Store store = Store.open(dir, true)) {
            try (java.nio.channels.FileChannel margins = java.nio.channels.FileChannel.open(dir.resolve("margins.npy"),
                    java.nio.file.StandardOpenOption.WRITE)) {
                margins.truncate(128);
            }
            WorkbenchException e = assertThrows(WorkbenchException.class,
                    () -> store.writeRow(5, Map.of("masks", new boolean[7], "margins", new float[4096])));
            assertTrue(e.getMessage().contains("cannot write row 5") && e.getMessage().contains("the disk is probably full"),
                    e.getMessage());
            assertFalse(store.isCompleted(5));
        }
    }

    @Test
    void sparseStoreBeyondThreeGibibytesWritesAndReadsItsLastRow(@TempDir Path tmp) {
        Path dir = tmp.resolve("big");
        StoreSpec spec = new SpecCodec().parse("""
                {"num_models": 3300, "schema": {"masks": {"dtype": "bool_", "shape": [1048576]},
                 "margins": {"dtype": "float16", "shape": [16]}}}""", "big.json");
        Store.create(dir, spec);
        boolean[] mask = new boolean[1 << 20];
        mask[mask.length - 1] = true;
        mask[12345] = true;
        float[] margins = new float[16];
        margins[15] = -3.5f;
        try (Store store = Store.open(dir, true)) {
            store.writeRow(3299, Map.of("masks", mask, "margins", margins));
        }
        try (Store store = Store.open(dir, false)) {
            float[] back = store.array("masks").readRow(3299);
            assertEquals(1f, back[back.length - 1]);
            assertEquals(1f, back[12345]);
            assertEquals(2f, sum(back));
            assertEquals(-3.5f, store.array("margins").readRow(3299)[15]);
            assertEquals("[0-3298 pending, 3299 done]", store.rowRanges().toString());
        }
    }

    private static float sum(float[] values) {
        float total = 0;
        for (float v : values) {
            total += v;
        }
        return total;
    }
}
