package org.coar.workbench.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reference COAR store spec: {@code {"num_models": N, "schema": {NAME: {"dtype": D, "shape": [..]}}}}.
 * Schema order is kept as written.
 */
public record StoreSpec(long numModels, Map<String, ArraySpec> schema) {
    /** Reserved by the store for the per-row completion flags. */
    public static final String COMPLETED = "_completed";

    public StoreSpec {
        schema = Collections.unmodifiableMap(new LinkedHashMap<>(schema));
    }

    /** Bytes the arrays take on disk once every row is written (headers excluded). */
    public long dataBytes() {
        long total = numModels;
        for (ArraySpec array : schema.values()) {
            total = Math.addExact(total, Math.multiplyExact(numModels, array.rowBytes()));
        }
        return total;
    }
}
