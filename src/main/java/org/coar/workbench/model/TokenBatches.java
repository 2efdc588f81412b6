package org.coar.workbench.model;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.EvalData;

/**
 * Token data as a language model's input, made once per replica: sequences sorted by length into
 * batches, each cut to its longest sequence, as int64 token ids and attention masks (N, T). The
 * model runs as {@code forward(input_ids, attention_mask)}, or {@code forward(input_ids)} when it
 * takes no mask, and returns logits (N, T, vocabulary). Sorting and cutting change no output (the
 * mean over a sequence's own positions, see {@link LanguageModelOutput}), only how much padding is computed.
 * <p>
 * A sequence counts as correct, for accuracy, when its mean next-token margin is positive: the
 * criterion COAR-Edit applies to every output.
 */
final class TokenBatches {
    private record Batch(int[] members, int[] lengths, NDArray ids, NDArray mask) {
    }

    private final EvalData data;
    private final List<Batch> batches = new ArrayList<>();
    private boolean takesMask = true;
    private int vocabulary = -1;

    TokenBatches(NDManager manager, EvalData data, int batchSize) {
        this.data = data;
        int[] lengths = data.tokenLengths();
        int[] order = IntStream.range(0, data.size()).boxed().sorted(Comparator.comparingInt(j -> -lengths[j]))
                .mapToInt(Integer::intValue).toArray();
        for (int start = 0; start < order.length; start += batchSize) {
            int[] members = Arrays.copyOfRange(order, start, Math.min(order.length, start + batchSize));
            NDList inputs = inputs(manager, data, members);
            batches.add(new Batch(members, lengthsOf(data, members), inputs.get(0), inputs.get(1)));
        }
    }

    /** Token ids and attention mask (int64, on {@code manager}'s device) of sequences {@code members}, cut to the longest. */
    static NDList inputs(NDManager manager, EvalData data, int[] members) {
        int positions = Math.toIntExact(data.exampleLength());
        int width = Arrays.stream(members).map(j -> data.tokenLengths()[j]).max().orElse(0);
        long[] ids = new long[members.length * width];
        long[] mask = new long[members.length * width];
        for (int n = 0; n < members.length; n++) {
            int j = members[n];
            for (int t = 0; t < width; t++) {
                ids[n * width + t] = (long) data.inputs()[j * positions + t];
                mask[n * width + t] = t < data.tokenLengths()[j] ? 1 : 0;
            }
        }
        Shape shape = new Shape(members.length, width);
        return new NDList(manager.create(ids, shape), manager.create(mask, shape));
    }

    static int[] lengthsOf(EvalData data, int[] members) {
        return Arrays.stream(members).map(j -> data.tokenLengths()[j]).toArray();
    }

    /**
     * Runs the model once on the first batch's first sequence: learns whether it takes the
     * attention mask, and checks that it returns logits (N, T, vocabulary) covering every token id.
     * Returns the vocabulary size.
     */
    int check(TorchModel model) {
        Batch first = batches.getFirst();
        try (NDManager scratch = model.manager().newSubManager()) {
            // zeros, not the data's ids: an id beyond the vocabulary would fail inside the model, without saying so
            NDArray ids = first.ids().get("0:1").zerosLike();
            NDArray mask = first.mask().get("0:1");
            ids.attach(scratch);
            mask.attach(scratch);
            Result probe = probe(inputs -> model.forward(scratch, inputs), ids, mask, model.file().toString());
            takesMask = probe.takesMask();
            vocabulary = probe.vocabulary();
        }
        double maxId = 0;
        for (float id : data.inputs()) {
            maxId = Math.max(maxId, id);
        }
        if (maxId >= vocabulary) {
            throw new WorkbenchException(data.description() + ": token id " + (long) maxId + " is outside the model's vocabulary of "
                    + vocabulary + " (logits (N, T, " + vocabulary + ")); the token ids come from another tokenizer, or the model "
                    + "is not the language model you meant");
        }
        return vocabulary;
    }

    record Result(boolean takesMask, int vocabulary) {
    }

    /**
     * Calls {@code forward} with (ids, mask), or with ids alone when the model takes one input, and
     * checks the logits' shape. Shared by the ablation replicas and the gradient baseline.
     */
    static Result probe(Function<NDList, NDArray> forward, NDArray ids, NDArray mask, String modelFile) {
        NDArray logits;
        boolean takesMask = true;
        try {
            logits = forward.apply(new NDList(ids, mask));
        } catch (EngineException withMask) {
            if (!tooManyArguments(withMask.getMessage())) {
                throw refused(modelFile, ids, withMask);
            }
            try {
                logits = forward.apply(new NDList(ids));
                takesMask = false;
            } catch (EngineException idsOnly) {
                throw refused(modelFile, ids, idsOnly);
            }
        }
        Shape shape = logits.getShape();
        if (shape.dimension() != 3 || shape.get(0) != ids.getShape().get(0) || shape.get(1) != ids.getShape().get(1)) {
            throw new WorkbenchException(modelFile + ": a language model must return logits (N, T, vocabulary) for token ids (N, T) = "
                    + ids.getShape() + ", but this one returned " + shape + ". Return the logits tensor only (e.g. "
                    + "model(input_ids, attention_mask=mask).logits in a wrapper module)");
        }
        return new Result(takesMask, Math.toIntExact(shape.get(2)));
    }

    private static boolean tooManyArguments(String message) {
        return message != null && (message.contains("expected at most") || message.contains("too many positional arguments")
                || message.contains("Expected at most"));
    }

    private static WorkbenchException refused(String modelFile, NDArray ids, EngineException e) {
        return new WorkbenchException(modelFile + ": the model does not accept token ids " + ids.getShape() + " (int64) and an "
                + "attention mask: " + TorchModel.nativeReason(e.getMessage()) + ". A language model for the workbench is TorchScript "
                + "taking forward(input_ids, attention_mask) (or forward(input_ids)) and returning logits (N, T, vocabulary)", e);
    }

    int vocabulary() {
        return vocabulary;
    }

    /** Outputs of every sequence under the current weights, or null when {@code cancelled} turns true between batches. */
    AblatedEvaluator.Result evaluate(TorchModel model, OutputFunction output, BooleanSupplier cancelled) {
        float[] outputs = new float[data.size()];
        int[] predictions = new int[data.size()];
        int correct = 0;
        for (Batch batch : batches) {
            if (cancelled.getAsBoolean()) {
                return null;
            }
            float[] values;
            float[] margins;
            try (NDManager scratch = model.manager().newSubManager()) {
                NDArray logits = model.forward(scratch, takesMask ? new NDList(batch.ids(), batch.mask()) : new NDList(batch.ids()));
                values = LanguageModelOutput.perSequence(logits, batch.ids(), batch.lengths(), output).toFloatArray();
                margins = output == OutputFunction.MARGIN ? values
                        : LanguageModelOutput.perSequence(logits, batch.ids(), batch.lengths(), OutputFunction.MARGIN).toFloatArray();
            }
            for (int n = 0; n < batch.members().length; n++) {
                int j = batch.members()[n];
                outputs[j] = values[n];
                predictions[j] = margins[n] > 0 ? 0 : -1;
                correct += margins[n] > 0 ? 1 : 0;
            }
        }
        return new AblatedEvaluator.Result(outputs, correct, predictions);
    }
}
