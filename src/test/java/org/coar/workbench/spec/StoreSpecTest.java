package org.coar.workbench.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A store's size on disk, against the files numpy 2.4 writes ({@code open_memmap}: a 128-byte header here, then the data). */
class StoreSpecTest {
    private final StoreSpec spec = new SpecCodec().parse("""
            {"num_models": 2000, "schema": {"masks": {"dtype": "bool_", "shape": [240]},
                                            "margins": {"dtype": "float16", "shape": [50]},
                                            "images": {"dtype": "float16", "shape": [3, 32]}}}""", "test");

    @Test
    void eachArrayFileIsItsHeaderAndItsRows() {
        assertEquals(128 + 2000 * 240, spec.fileBytes("masks"));
        assertEquals(128 + 2000 * 50 * 2, spec.fileBytes("margins"));
        assertEquals(128 + 2000 * 3 * 32 * 2, spec.fileBytes("images"));
    }

    @Test
    void theStoreIsItsArrayFilesWithoutTheCompletionFlags() {
        assertEquals(3 * 128 + 2000 * 240 + 2000 * 50 * 2 + 2000 * 3 * 32 * 2, spec.fileBytes());
    }

    @Test
    void anArrayTheSpecLacksHasNoSize() {
        assertThrows(IllegalArgumentException.class, () -> spec.fileBytes("logits"));
    }
}
