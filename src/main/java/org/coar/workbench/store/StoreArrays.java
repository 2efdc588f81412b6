package org.coar.workbench.store;

import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.spec.SpecForm;

/**
 * Which arrays of a store hold the keep-masks and the outputs: the one place that resolves them,
 * for the build, the fit, the evaluation and every stage that opens a built store.
 *
 * @param maskArray   the keep-mask array ({@value #DEFAULT_MASKS} unless run.json names another)
 * @param outputArray the output array
 */
public record StoreArrays(String maskArray, String outputArray) {
    /** The keep-mask array of the reference layout, and of every store whose run.json names none. */
    public static final String DEFAULT_MASKS = SpecForm.MASKS;

    /**
     * The arrays {@code run} records: its mask array, or {@value #DEFAULT_MASKS} where run.json
     * predates the field, and its output array, which a built store's run.json always names.
     */
    public static StoreArrays recorded(RunConfig run) {
        return new StoreArrays(run.maskArray() == null ? DEFAULT_MASKS : run.maskArray(), run.outputArray());
    }

    /**
     * The arrays of {@code store} to use, checked: {@code maskArray} (null: {@value #DEFAULT_MASKS})
     * and {@code outputArray} (null: the one array beside the masks) must be two arrays of the store.
     */
    public static StoreArrays resolve(Store store, String maskArray, String outputArray) {
        String masks = maskArray == null ? DEFAULT_MASKS : maskArray;
        List<String> names = store.arrayNames();
        String has = String.join(", ", names);
        if (!names.contains(masks)) {
            throw new WorkbenchException(store.dir() + ": no " + masks + ".npy (the keep-masks, one row per ablated model); the "
                    + "store has " + has + (maskArray == null ? ". A COAR store needs masks.npy as the reference layout names it" : ""));
        }
        if (outputArray == null) {
            List<String> others = names.stream().filter(n -> !n.equals(masks)).toList();
            if (others.size() != 1) {
                throw new WorkbenchException(store.dir() + ": " + (others.isEmpty() ? "no output array beside " + masks + ".npy"
                        : "several output arrays (" + String.join(", ", others) + ")") + "; name the one holding the outputs with "
                        + "--output-array");
            }
            return new StoreArrays(masks, others.getFirst());
        }
        if (outputArray.equals(masks)) {
            throw new WorkbenchException("--output-array " + outputArray + ": that array holds the keep-masks; name the array for "
                    + "the outputs (the store has " + has + ")");
        }
        if (!names.contains(outputArray)) {
            throw new WorkbenchException(store.dir() + ": no output array '" + outputArray + "' (--output-array / "
                    + "workbench.output_array); the store has " + has);
        }
        return new StoreArrays(masks, outputArray);
    }

    public NpyArray masksIn(Store store) {
        return store.array(maskArray);
    }

    public NpyArray outputsIn(Store store) {
        return store.array(outputArray);
    }
}
