package org.coar.workbench.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.coar.workbench.npy.NpyHeader;

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

    /** Bytes {@code NAME.npy} takes once every row is written, its header included, as numpy lays it out. */
    public long fileBytes(String name) {
        ArraySpec array = schema.get(name);
        if (array == null) {
            throw new IllegalArgumentException("the spec has no array " + name);
        }
        long[] rowShape = array.rowShape();
        long[] shape = new long[rowShape.length + 1];
        shape[0] = numModels;
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        return NpyHeader.of(array.dtype(), shape).fileBytes();
    }

    /** Bytes the schema's array files take once filled, headers included; the store's completion flags not counted. */
    public long fileBytes() {
        long total = 0;
        for (String name : schema.keySet()) {
            total = Math.addExact(total, fileBytes(name));
        }
        return total;
    }
}
