package org.coar.workbench.data;

import java.util.Arrays;
import org.coar.workbench.WorkbenchException;

/**
 * Evaluation examples: inputs in C order as float32, one integer label per example. Example
 * {@code i} occupies {@code inputs[i * exampleLength() .. (i + 1) * exampleLength())}.
 * <p>
 * Decoded once and shared: the arrays are neither copied in nor copied out, so callers must not
 * modify them (a CIFAR-10 test set is 123 MB of floats). Safe to read from many threads.
 *
 * Token data (for language models) is the same shape of record: example {@code i} is a sequence of
 * {@code T} token ids (exact as floats, being below 2^24), right-padded, of which the first
 * {@code tokenLengths[i]} are real; there are no class labels, so every label is 0.
 *
 * @param description  where the examples came from and how they were preprocessed, for logs and run.json
 * @param exampleShape the shape of one example, without the example dimension, e.g. [1, 28, 28] or [3, 32, 32]; [T] for tokens
 * @param tokenLengths for token data, each sequence's number of real tokens (at least 2, at most T); null for other data
 */
public record EvalData(String description, long[] exampleShape, float[] inputs, int[] labels, int[] tokenLengths) {

    public EvalData {
        exampleShape = exampleShape.clone();
        long length = product(exampleShape);
        if ((long) labels.length * length != inputs.length) {
            throw new IllegalArgumentException(labels.length + " labels of " + length + " elements need "
                    + (long) labels.length * length + " inputs, got " + inputs.length);
        }
        if (tokenLengths != null && (tokenLengths.length != labels.length || exampleShape.length != 1)) {
            throw new IllegalArgumentException(tokenLengths.length + " token lengths for " + labels.length
                    + " examples of shape " + Arrays.toString(exampleShape));
        }
    }

    /** Examples that are not token sequences (images, feature vectors). */
    public EvalData(String description, long[] exampleShape, float[] inputs, int[] labels) {
        this(description, exampleShape, inputs, labels, null);
    }

    /** Whether the examples are token sequences for a language model. */
    public boolean isTokens() {
        return tokenLengths != null;
    }

    public int size() {
        return labels.length;
    }

    /** Elements per example: the product of {@link #exampleShape()}. */
    public long exampleLength() {
        return product(exampleShape);
    }

    @Override
    public long[] exampleShape() {
        return exampleShape.clone();
    }

    /** The shape of the whole input array, {@code [size(), ...exampleShape]}. */
    public long[] shape() {
        long[] shape = new long[exampleShape.length + 1];
        shape[0] = size();
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        return shape;
    }

    /** Copies the inputs of examples {@code [start, start + count)} to the start of {@code target} (one array copy). */
    public void copyBatch(int start, int count, float[] target) {
        checkRange(start, count);
        int length = Math.toIntExact(exampleLength());
        if ((long) count * length > target.length) {
            throw new IllegalArgumentException("a batch of " + count + " examples of " + length
                    + " elements does not fit in " + target.length + " floats");
        }
        System.arraycopy(inputs, start * length, target, 0, count * length);
    }

    /** The inputs of examples {@code [start, start + count)} in a new array. */
    public float[] batch(int start, int count) {
        float[] target = new float[Math.multiplyExact(count, Math.toIntExact(exampleLength()))];
        copyBatch(start, count, target);
        return target;
    }

    /** The labels of examples {@code [start, start + count)} in a new array. */
    public int[] batchLabels(int start, int count) {
        checkRange(start, count);
        return Arrays.copyOfRange(labels, start, start + count);
    }

    private void checkRange(int start, int count) {
        if (start < 0 || count < 0 || start > size() - count) {
            throw new IndexOutOfBoundsException("examples " + start + ".." + (start + count - 1) + " outside 0.." + (size() - 1));
        }
    }

    /**
     * The length of a float array for {@code count} examples of {@code exampleLength} elements,
     * refused with advice when it exceeds what one Java array holds.
     */
    static int inputsLength(long count, long exampleLength, String source) {
        long length = count * exampleLength;
        // Leave headroom below Integer.MAX_VALUE: JVMs refuse arrays of exactly that length.
        if (exampleLength != 0 && (length / exampleLength != count || length > Integer.MAX_VALUE - 8)) {
            throw new WorkbenchException(source + ": " + count + " examples of " + exampleLength + " values need "
                    + length + " floats, more than one Java array holds (" + (Integer.MAX_VALUE - 8)
                    + "); keep fewer with --limit N or --skip K, or crop smaller with --crop");
        }
        return (int) length;
    }

    static long product(long[] shape) {
        long product = 1;
        for (long dim : shape) {
            product = Math.multiplyExact(product, dim);
        }
        return product;
    }

    // Value semantics over the arrays; toString stays short because inputs may hold millions of floats.
    @Override
    public boolean equals(Object o) {
        return o instanceof EvalData other && description.equals(other.description)
                && Arrays.equals(exampleShape, other.exampleShape) && Arrays.equals(labels, other.labels)
                && Arrays.equals(inputs, other.inputs) && Arrays.equals(tokenLengths, other.tokenLengths);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * description.hashCode() + Arrays.hashCode(exampleShape)) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "EvalData[" + size() + " examples of " + Arrays.toString(exampleShape) + ": " + description + "]";
    }
}
