package org.coar.workbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * Ablates components of a model in place: zeroes the weight slices of ablated components and,
 * afterwards, restores exactly those slices from a copy saved once on the model's device. No
 * per-row model copies and no weights through the host: per row one copy of the ablated slice
 * indices to the device, then one indexed write per weight tensor (and a gather and a write to
 * restore it), so a GPU replica runs a few dozen kernels per row instead of one per component.
 */
public final class Ablator implements AutoCloseable {
    private final Components components;
    private final List<NDArray> live = new ArrayList<>();
    private final NDManager savedManager;
    private final List<NDArray> saved = new ArrayList<>();
    /** A zero of each group's dtype: DJL's set(index, Number) would make a new scalar on the model's manager each call, never freed. */
    private final List<NDArray> zeros = new ArrayList<>();
    /** Per group, the index of its slices zeroed by the last {@link #ablate}, or null. */
    private final NDIndex[] zeroed;
    private NDManager rowManager;

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
            zeros.add(savedManager.zeros(new ai.djl.ndarray.types.Shape(), weight.getDataType(), weight.getDevice()));
        }
        this.zeroed = new NDIndex[live.size()];
    }

    /** Zeroes every component whose {@code keep} entry is false. Call {@link #restore()} before the next mask. */
    public void ablate(boolean[] keep) {
        if (keep.length != components.total()) {
            throw new IllegalArgumentException("mask has " + keep.length + " entries for " + components.total() + " components");
        }
        restore();
        int[] counts = new int[live.size()];
        long[] indices = new long[keep.length];
        int n = 0;
        for (int g = 0; g < live.size(); g++) {
            int start = (int) components.start(g);
            int size = (int) components.groups().get(g).size();
            for (int i = 0; i < size; i++) {
                if (!keep[start + i]) {
                    indices[n++] = i;
                    counts[g]++;
                }
            }
        }
        if (n == 0) {
            return;
        }
        rowManager = savedManager.newSubManager();
        NDArray all = rowManager.create(java.util.Arrays.copyOf(indices, n));
        int offset = 0;
        for (int g = 0; g < live.size(); g++) {
            if (counts[g] == 0) {
                continue;
            }
            NDIndex slices = new NDIndex("{}", all.get(offset + ":" + (offset + counts[g])));
            live.get(g).set(slices, zeros.get(g));
            zeroed[g] = slices;
            offset += counts[g];
        }
    }

    /** Restores the slices zeroed by the last {@link #ablate(boolean[])} from the saved copy. */
    public void restore() {
        for (int g = 0; g < live.size(); g++) {
            if (zeroed[g] != null) {
                try (NDArray original = saved.get(g).get(zeroed[g])) {
                    live.get(g).set(zeroed[g], original);
                }
                zeroed[g] = null;
            }
        }
        if (rowManager != null) {
            rowManager.close();
            rowManager = null;
        }
    }

    @Override
    public void close() {
        restore();
        savedManager.close();
    }
}
