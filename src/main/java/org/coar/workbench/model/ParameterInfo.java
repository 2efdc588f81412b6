package org.coar.workbench.model;

import java.util.Arrays;

/** A named parameter of a TorchScript model, in {@code named_parameters()} order. */
public record ParameterInfo(String name, long[] shape) {
    public ParameterInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int dims() {
        return shape.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ParameterInfo p && p.name.equals(name) && Arrays.equals(p.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
