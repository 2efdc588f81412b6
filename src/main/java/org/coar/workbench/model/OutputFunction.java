package org.coar.workbench.model;

import java.util.Locale;
import org.coar.workbench.WorkbenchException;

/** What is recorded per example from the ablated model's logits. */
public enum OutputFunction {
    /** Correct-class logit minus the largest other logit (the reference). */
    MARGIN,
    /** Log-softmax of the correct class. */
    LOGPROB,
    /** Cross-entropy loss of the correct class. */
    LOSS;

    /** Fills {@code out[i]} for each example of a (count × classes) logits block. */
    public void apply(float[] logits, int classes, int[] labels, int firstExample, float[] out, int outOffset, int count) {
        for (int i = 0; i < count; i++) {
            int base = i * classes;
            int label = labels[firstExample + i];
            double correct = logits[base + label];
            out[outOffset + i] = (float) switch (this) {
                case MARGIN -> {
                    double other = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < classes; c++) {
                        if (c != label && logits[base + c] > other) {
                            other = logits[base + c];
                        }
                    }
                    yield correct - other;
                }
                case LOGPROB -> correct - logSumExp(logits, base, classes);
                case LOSS -> logSumExp(logits, base, classes) - correct;
            };
        }
    }

    private static double logSumExp(float[] values, int offset, int count) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < count; c++) {
            max = Math.max(max, values[offset + c]);
        }
        double sum = 0;
        for (int c = 0; c < count; c++) {
            sum += Math.exp(values[offset + c] - max);
        }
        return max + Math.log(sum);
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OutputFunction parse(String name) {
        for (OutputFunction f : values()) {
            if (f.cliName().equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new WorkbenchException("unknown output function '" + name + "'; use margin, logprob or loss");
    }
}
