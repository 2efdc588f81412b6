package org.coar.workbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Ablates components of a model in place: zeroes the weight slices of ablated components and,
 * afterwards, restores exactly those slices from a copy saved once. No per-row model copies.
 */
public final class Ablator implements AutoCloseable {
    private final Components components;
    private final List<NDArray> live = new ArrayList<>();
    private final NDManager savedManager;
    private final List<NDArray> saved = new ArrayList<>();
    /** A zero of each group's dtype: DJL's set(index, Number) would make a new scalar on the model's manager each call, never freed. */
    private final List<NDArray> zeros = new ArrayList<>();
    private final List<int[]> zeroed = new ArrayList<>();

    public Ablator(TorchModel model, Components components) {
        this.components = components;
        this.savedManager = model.manager().newSubManager();
        for (ComponentGroup group : components.groups()) {
            NDArray weight = model.parameter(group.name());
            if (weight.getShape().get(0) != group.size()) {
                throw new org.coar.workbench.WorkbenchException(model.file() + ": parameter " + group.name() + " has "
                        + weight.getShape().get(0) + " slices along dim 0, but the component list says " + group.size());
            }
            live.add(weight);
            NDArray copy = weight.duplicate();
            copy.attach(savedManager);
            saved.add(copy);
            zeros.add(savedManager.zeros(new Shape(), weight.getDataType()));
            zeroed.add(new int[0]);
        }
    }

    /** Zeroes every component whose {@code keep} entry is false. Call {@link #restore()} before the next mask. */
    public void ablate(boolean[] keep) {
        if (keep.length != components.total()) {
            throw new IllegalArgumentException("mask has " + keep.length + " entries for " + components.total() + " components");
        }
        for (int g = 0; g < live.size(); g++) {
            int start = (int) components.start(g);
            int size = (int) components.groups().get(g).size();
            int count = 0;
            int[] ablated = new int[size];
            for (int i = 0; i < size; i++) {
                if (!keep[start + i]) {
                    ablated[count++] = i;
                }
            }
            int[] indices = java.util.Arrays.copyOf(ablated, count);
            if (count > 0) {
                // one indexed write per group, not one per component: a native call costs about as much as zeroing a slice
                try (NDArray index = slices(indices)) {
                    live.get(g).set(new NDIndex("{}", index), zeros.get(g));
                }
            }
            zeroed.set(g, indices);
        }
    }

    private NDArray slices(int[] indices) {
        long[] values = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            values[i] = indices[i];
        }
        return savedManager.create(values);
    }

    /** Restores the slices zeroed by the last {@link #ablate(boolean[])} from the saved copy. */
    public void restore() {
        for (int g = 0; g < live.size(); g++) {
            if (zeroed.get(g).length > 0) {
                try (NDArray index = slices(zeroed.get(g)); NDArray original = saved.get(g).get(new NDIndex("{}", index))) {
                    live.get(g).set(new NDIndex("{}", index), original);
                }
            }
            zeroed.set(g, new int[0]);
        }
    }

    @Override
    public void close() {
        restore();
        savedManager.close();
    }
}
