package org.coar.workbench.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.spec.SpecException;
import org.coar.workbench.spec.StoreSpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed {@code coar init} leaves nothing behind, and specs no disk can hold are refused before any file (issue 14). */
class InitFailureTest {

    private static List<String> entries(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFileTheFilesystemCannotHoldIsRemovedWithEveryFileBeforeIt(@TempDir Path tmp) throws Exception {
        // 10^12 rows of 10^6 bytes: 10^18 bytes, more than ext4 (16 TiB) or tmpfs can make even sparse ("File too large").
        StoreSpec spec = new SpecCodec().parse("{\"num_models\": 1000000000000, \"schema\": {\"a_small\": {\"dtype\": \"bool_\", "
                + "\"shape\": []}, \"b_huge\": {\"dtype\": \"uint8\", \"shape\": [1000000]}}}", "spec");
        Path store = tmp.resolve("store");
        WorkbenchException e;
        try {
            Store.create(store, spec);
            e = null;
        } catch (WorkbenchException failure) {
            e = failure;
        }
        Assumptions.assumeTrue(e != null, "this filesystem holds a sparse 10^18-byte file; nothing to test here");
        assertTrue(e.getMessage().contains("Files created so far were removed"), e.getMessage());
        assertEquals(List.of(), entries(tmp), "neither a_small.npy, nor a header-only b_huge.npy, nor the directory made for them stay");

        // And the next init with a spec that fits works at once.
        Store.create(store, new SpecCodec().parse("{\"num_models\": 3, \"schema\": {\"a_small\": {\"dtype\": \"bool_\", \"shape\": []}}}",
                "spec"));
        assertEquals(List.of("_completed.npy", "a_small.npy"), entries(store));
    }

    @Test
    void aSpecWhoseByteSizeOverflowsSixtyFourBitsIsRefusedNamingTheField() {
        SpecException e = assertThrows(SpecException.class, () -> new SpecCodec().parse("{\"num_models\": 9000000000000000000, "
                + "\"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": [2304]}}}", "spec.json"));
        assertTrue(e.getMessage().contains("schema.masks.shape: num_models 9000000000000000000 × shape [2304] × 1 bytes exceeds "
                + "2^63 bytes"), e.getMessage());
        SpecException product = assertThrows(SpecException.class, () -> new SpecCodec().parse("{\"num_models\": 2, "
                + "\"schema\": {\"x\": {\"dtype\": \"float64\", \"shape\": [4294967296, 4294967296]}}}", "spec.json"));
        assertTrue(product.getMessage().contains("schema.x.shape:"), product.getMessage());
        SpecException sum = assertThrows(SpecException.class, () -> new SpecCodec().parse("{\"num_models\": 3000000000000000000, "
                + "\"schema\": {\"a\": {\"dtype\": \"uint8\", \"shape\": []}, \"b\": {\"dtype\": \"uint8\", \"shape\": []}, "
                + "\"c\": {\"dtype\": \"uint8\", \"shape\": []}}}", "spec.json"));
        assertTrue(sum.getMessage().contains("num_models: the arrays together exceed 2^63 bytes"), sum.getMessage());
    }

    @Test
    void initOnAnExistingFileSaysItIsAFile(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "mine");
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Store.create(file, new SpecCodec().parse(
                "{\"num_models\": 3, \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": [4]}}}", "spec")));
        assertTrue(e.getMessage().startsWith(file + ": is a file, not a directory; give --store a directory"), e.getMessage());
        assertEquals("mine", Files.readString(file));
    }

    @Test
    void aStoreLargerThanTheFreeDiskIsWarnedAbout(@TempDir Path tmp) {
        assertTrue(DiskSpace.shortfall(tmp.resolve("store"), 1000).isEmpty());
        String warning = DiskSpace.shortfall(tmp.resolve("store"), Long.MAX_VALUE / 2).orElseThrow();
        assertTrue(warning.contains("the store takes 4096 PiB when filled, but its disk has"), warning);
        assertTrue(warning.contains("free; a build stops when the disk fills"), warning);
    }
}
