package org.coar.workbench.evaluation;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.function.IntConsumer;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.model.ComponentGroup;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.LanguageModelOutput;
import org.coar.workbench.model.OutputFunction;
import org.coar.workbench.model.TorchModel;

/**
 * The gradient × parameter baseline: for example j and component c,
 * {@code Σ_{k in slice c} ∂f_j/∂θ_k · θ_k}, the first-order Taylor estimate of how much f_j drops
 * when the slice is zeroed, i.e. of the effect of keeping the component (the sign convention of
 * COAR's raw weights). Gradients come from DJL autograd through the TorchScript model in eval mode,
 * one backward pass per example (parameters are shared, so per-example gradients need their own
 * pass). The margin's "largest other logit" is differentiated through the class that attains it.
 * For a language model, f_j is the sequence's mean next-token output (the store's output function).
 */
public final class GradientTimesParameter {
    public static final String METHOD = "gradient x parameter";

    private GradientTimesParameter() {
    }

    /**
     * Scores {@code [component][example]}; {@code model} must come from
     * {@link TorchModel#loadForGradients}. A cancel ends it with {@link org.coar.workbench.job.JobCancelledException}.
     */
    public static float[][] scores(TorchModel model, Components components, EvalData data, OutputFunction output,
                                   IntConsumer onExampleDone, Cancellation cancel) {
        long[] shape = data.shape();
        shape[0] = 1;
        NDArray[] weights = new NDArray[components.groups().size()];
        NDArray[] weights64 = new NDArray[weights.length];
        for (int g = 0; g < weights.length; g++) {
            weights[g] = model.parameter(components.groups().get(g).name());
            if (!weights[g].hasGradient()) {
                throw new IllegalStateException(model.file() + ": parameter " + components.groups().get(g).name()
                        + " does not record gradients; load the model with TorchModel.loadForGradients");
            }
        }
        try (NDManager constants = model.manager().newSubManager()) {
            for (int g = 0; g < weights.length; g++) {
                NDArray detached = weights[g].stopGradient();
                detached.attach(constants);
                weights64[g] = detached.toType(DataType.FLOAT64, true);
                weights64[g].attach(constants);
            }
            return collect(model, components, data, output, onExampleDone, cancel, weights, weights64, shape);
        }
    }

    private static float[][] collect(TorchModel model, Components components, EvalData data, OutputFunction output,
                                     IntConsumer onExampleDone, Cancellation cancel, NDArray[] weights, NDArray[] weights64,
                                     long[] shape) {
        float[][] scores = new float[components.total()][data.size()];
        int m = data.size();
        try (GradientCollector collector = Engine.getEngine(TorchModel.ENGINE).newGradientCollector()) {
            for (int j = 0; j < m; j++) {
                cancel.throwIfCancelled();
                try (NDManager scratch = model.manager().newSubManager()) {
                    NDArray out;
                    if (data.isTokens()) {
                        out = LanguageModelOutput.ofSequenceRecordingGradients(model, scratch, data, j, output);
                    } else {
                        NDArray input = scratch.create(data.batch(j, 1), new Shape(shape));
                        out = outputOf(model.forwardRecordingGradients(scratch, input), data.labels()[j], output);
                    }
                    collector.backward(out);
                    for (int g = 0; g < weights.length; g++) {
                        ComponentGroup group = components.groups().get(g);
                        NDArray gradient = weights[g].getGradient();
                        gradient.attach(scratch);
                        // Σ over the slice of grad · weight, in float64 against cancellation in large slices
                        float[] perSlice = gradient.toType(DataType.FLOAT64, false).mul(weights64[g])
                                .reshape(new Shape(group.size(), -1)).sum(new int[] {1}).toType(DataType.FLOAT32, false).toFloatArray();
                        int start = (int) components.start(g);
                        for (int i = 0; i < perSlice.length; i++) {
                            scores[start + i][j] = perSlice[i];
                        }
                        gradient.subi(gradient); // PyTorch accumulates gradients; the next example starts from zero
                    }
                }
                onExampleDone.accept(j);
            }
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().contains("already collecting")) {
                throw new WorkbenchException("gradients are being computed by another task in this process; run the gradient × "
                        + "parameter baseline after it finishes", e);
            }
            throw e;
        }
        return scores;
    }

    /** The output function of one example's logits (1 × classes) as a differentiable scalar. */
    static NDArray outputOf(NDArray logits, int label, OutputFunction output) {
        NDArray row = logits.get(0).toType(DataType.FLOAT32, false);
        return switch (output) {
            case MARGIN -> {
                float[] values = row.toFloatArray();
                int other = -1;
                for (int c = 0; c < values.length; c++) {
                    if (c != label && (other < 0 || values[c] > values[other])) {
                        other = c;
                    }
                }
                yield row.get(label).sub(row.get(other));
            }
            case LOGPROB -> row.logSoftmax(0).get(label);
            case LOSS -> row.logSoftmax(0).get(label).neg();
        };
    }
}
