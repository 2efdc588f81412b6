package org.coar.workbench.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.coar.workbench.data.EvalData;

/**
 * A language model's output per sequence, as the reference's GPT-2 setup computes it: for a
 * right-padded sequence of length L, the logits at positions 0..L-2 predict tokens 1..L-1, and the
 * output is the mean over those L-1 predictions of the output function: {@code margin} (logit of the
 * true next token minus the largest other logit), {@code logprob} (its log-softmax) or {@code loss}
 * (minus that). Padding never enters: positions from L-1 on are masked out, whatever their logits.
 * <p>
 * Computed with tensor operations on the logits' device, so the (N, T, vocabulary) logits never
 * travel to the JVM, and differentiably (through gathers), so gradient baselines can use it.
 */
public final class LanguageModelOutput {
    private LanguageModelOutput() {
    }

    /**
     * The output of sequence {@code j} of token data as a differentiable scalar, from a replica
     * loaded with {@link TorchModel#loadForGradients} (for gradient baselines).
     */
    public static NDArray ofSequenceRecordingGradients(TorchModel model, NDManager manager, EvalData data, int j,
                                                       OutputFunction function) {
        int[] members = {j};
        NDList inputs = TokenBatches.inputs(manager, data, members);
        NDArray[] logits = new NDArray[1];
        TokenBatches.probe(in -> logits[0] = model.forwardRecordingGradients(manager, in), inputs.get(0), inputs.get(1),
                model.file().toString());
        return perSequence(logits[0], inputs.get(0), TokenBatches.lengthsOf(data, members), function).sum();
    }

    /**
     * Per-sequence outputs (N,) in float32 of {@code logits} (N, T, V) for {@code ids} (N, T) int64 whose
     * first {@code lengths[n]} positions are real tokens.
     */
    static NDArray perSequence(NDArray logits, NDArray ids, int[] lengths, OutputFunction function) {
        NDArray perToken = perToken(logits, ids, function);
        NDArray valid = validPositions(perToken, lengths);
        NDArray kept = NDArrays.where(valid, perToken, perToken.zerosLike());
        return kept.sum(new int[] {1}).div(valid.toType(DataType.FLOAT32, false).sum(new int[] {1}));
    }

    /** The output function at every position t < T-1 for predicting token t+1: (N, T-1). */
    private static NDArray perToken(NDArray logits, NDArray ids, OutputFunction function) {
        long t = logits.getShape().get(1);
        NDArray predicting = logits.toType(DataType.FLOAT32, false).get(new NDIndex(":, :{}", t - 1));
        NDArray shifted = ids.get(new NDIndex(":, 1:"));
        shifted.attach(predicting.getManager()); // ids live as long as the replica; this is per call
        NDArray next = shifted.expandDims(2);
        return switch (function) {
            case MARGIN -> {
                NDArray top2 = predicting.stopGradient().topK(2, 2, true, true).get(1);
                NDArray first = top2.get(new NDIndex(":, :, 0:1"));
                NDArray second = top2.get(new NDIndex(":, :, 1:2"));
                // the largest logit other than the true token's: the top one, or the runner-up where the top one is true
                NDArray other = NDArrays.where(first.eq(next), second, first);
                yield predicting.gather(next, 2).sub(predicting.gather(other, 2)).squeeze(2);
            }
            case LOGPROB -> predicting.logSoftmax(2).gather(next, 2).squeeze(2);
            case LOSS -> predicting.logSoftmax(2).gather(next, 2).squeeze(2).neg();
        };
    }

    /** True at (n, t) when position t of sequence n predicts a real token, i.e. t < lengths[n] - 1. */
    private static NDArray validPositions(NDArray perToken, int[] lengths) {
        long positions = perToken.getShape().get(1);
        boolean[] valid = new boolean[Math.toIntExact(lengths.length * positions)];
        for (int n = 0; n < lengths.length; n++) {
            for (int t = 0; t < lengths[n] - 1 && t < positions; t++) {
                valid[Math.toIntExact(n * positions + t)] = true;
            }
        }
        return perToken.getManager().create(valid, new Shape(lengths.length, positions));
    }
}
