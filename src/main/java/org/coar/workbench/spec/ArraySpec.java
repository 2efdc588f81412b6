package org.coar.workbench.spec;

import java.util.List;
import org.coar.workbench.npy.Dtype;

/** One schema entry: each store row holds an array of this dtype and shape. */
public record ArraySpec(Dtype dtype, List<Long> shape) {
    public ArraySpec {
        shape = List.copyOf(shape);
    }

    public long[] rowShape() {
        return shape.stream().mapToLong(Long::longValue).toArray();
    }

    public long rowElements() {
        return shape.stream().reduce(1L, Math::multiplyExact);
    }

    public long rowBytes() {
        return Math.multiplyExact(rowElements(), (long) dtype.itemSize());
    }
}
