package org.coar.workbench.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.spec.SpecCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one resolution of a store's mask and output arrays, and the messages when it cannot be made. */
class StoreArraysTest {

    private static Store store(Path dir, String... arrays) {
        StringBuilder schema = new StringBuilder();
        for (String name : arrays) {
            schema.append(schema.isEmpty() ? "" : ", ").append('"').append(name).append("\": {\"dtype\": \"")
                    .append(name.equals("masks") ? "bool_" : "float32").append("\", \"shape\": [3]}");
        }
        Store.create(dir, new SpecCodec().parse("{\"num_models\": 2, \"schema\": {" + schema + "}}", "spec"));
        return Store.open(dir, false);
    }

    @Test
    void theOutputArrayDefaultsToTheOneArrayBesideTheMasks(@TempDir Path tmp) {
        try (Store store = store(tmp.resolve("s"), "masks", "margins")) {
            assertEquals(new StoreArrays("masks", "margins"), StoreArrays.resolve(store, null, null));
            assertEquals(new StoreArrays("masks", "margins"), StoreArrays.resolve(store, "masks", "margins"));
            assertEquals(List.of(2L, 3L), List.of(StoreArrays.resolve(store, null, null).outputsIn(store).rows(),
                    StoreArrays.resolve(store, null, null).masksIn(store).rowLength()));
        }
    }

    @Test
    void aStoreWithSeveralOrNoOutputArraysNeedsOneNamed(@TempDir Path tmp) {
        try (Store store = store(tmp.resolve("several"), "masks", "margins", "logits")) {
            WorkbenchException e = assertThrows(WorkbenchException.class, () -> StoreArrays.resolve(store, null, null));
            assertEquals(store.dir() + ": several output arrays (logits, margins); name the one holding the outputs with "
                    + "--output-array", e.getMessage());
            assertEquals(new StoreArrays("masks", "logits"), StoreArrays.resolve(store, null, "logits"));
        }
        try (Store store = store(tmp.resolve("none"), "masks")) {
            WorkbenchException e = assertThrows(WorkbenchException.class, () -> StoreArrays.resolve(store, null, null));
            assertEquals(store.dir() + ": no output array beside masks.npy; name the one holding the outputs with --output-array",
                    e.getMessage());
        }
    }

    @Test
    void aNamedOutputArrayMustExistAndNotBeTheMasks(@TempDir Path tmp) {
        try (Store store = store(tmp.resolve("s"), "masks", "margins")) {
            assertEquals("--output-array masks: that array holds the keep-masks; name the array for the outputs (the store has "
                    + "margins, masks)", assertThrows(WorkbenchException.class, () -> StoreArrays.resolve(store, null, "masks")).getMessage());
            assertEquals(store.dir() + ": no output array 'logits' (--output-array / workbench.output_array); the store has "
                    + "margins, masks", assertThrows(WorkbenchException.class, () -> StoreArrays.resolve(store, null, "logits")).getMessage());
        }
    }

    @Test
    void aStoreWithoutTheMaskArrayIsRefusedNamingWhatItHas(@TempDir Path tmp) {
        try (Store store = store(tmp.resolve("s"), "keep", "margins")) {
            assertEquals(store.dir() + ": no masks.npy (the keep-masks, one row per ablated model); the store has keep, margins. "
                    + "A COAR store needs masks.npy as the reference layout names it",
                    assertThrows(WorkbenchException.class, () -> StoreArrays.resolve(store, null, null)).getMessage());
            assertEquals(new StoreArrays("keep", "margins"), StoreArrays.resolve(store, "keep", null));
        }
    }

    @Test
    void runJsonWithoutAMaskArrayMeansTheReferenceName(@TempDir Path tmp) throws java.io.IOException {
        Path old = java.nio.file.Files.createDirectories(tmp.resolve("old"));
        java.nio.file.Files.writeString(old.resolve(RunConfig.FILE), "{\"model\": \"m.pt\", \"output_array\": \"margins\"}");
        assertEquals(new StoreArrays("masks", "margins"), StoreArrays.recorded(RunConfig.read(old)));
        Path named = java.nio.file.Files.createDirectories(tmp.resolve("named"));
        java.nio.file.Files.writeString(named.resolve(RunConfig.FILE), "{\"mask_array\": \"keep\", \"output_array\": \"y\"}");
        assertEquals(new StoreArrays("keep", "y"), StoreArrays.recorded(RunConfig.read(named)));
    }
}
