package org.coar.workbench.model;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.EvalData;

/**
 * Runs one model replica on the evaluation data under keep-masks. Inputs are copied to the
 * device once, as fixed batches, and reused for every mask. Classifiers return logits (N, classes);
 * language models, given token data, logits (N, T, vocabulary) (see {@link TokenBatches}).
 * Not thread-safe: one per worker.
 */
public final class AblatedEvaluator implements AutoCloseable {

    /**
     * One mask's result: an output per example, plus the ablated model's accuracy. For a language
     * model a sequence counts as correct when its mean next-token margin is positive; its
     * prediction is then 0 (the label every sequence has), else -1.
     */
    public record Result(float[] outputs, int correct, int[] predictions) {
        public double accuracy() {
            return outputs.length == 0 ? 0 : (double) correct / outputs.length;
        }

        /** Outputs that are NaN or infinite (e.g. a model that overflows when ablated). */
        public int nonFiniteOutputs() {
            int count = 0;
            for (float v : outputs) {
                count += Float.isFinite(v) ? 0 : 1;
            }
            return count;
        }

        public double meanOutput() {
            double sum = 0;
            for (float v : outputs) {
                sum += v;
            }
            return outputs.length == 0 ? 0 : sum / outputs.length;
        }
    }

    private final TorchModel model;
    private final Ablator ablator;
    private final EvalData data;
    private final OutputFunction output;
    private final NDManager inputManager;
    private final List<NDArray> batches = new ArrayList<>();
    private final int batchSize;
    /** Token data's batches (a language model); null for other data. */
    private final TokenBatches tokens;
    private final boolean autocast;
    private int classes = -1;

    public AblatedEvaluator(TorchModel model, Components components, EvalData data, int batchSize, OutputFunction output) {
        this(model, components, data, batchSize, output, false);
    }

    /** With {@code autocast}, every forward pass of {@link #evaluate} runs under the device's autocast ({@link Autocast}). */
    public AblatedEvaluator(TorchModel model, Components components, EvalData data, int batchSize, OutputFunction output,
                            boolean autocast) {
        if (batchSize <= 0) {
            throw new WorkbenchException("--batch-size must be at least 1, got " + batchSize);
        }
        this.model = model;
        this.data = data;
        this.output = output;
        this.batchSize = batchSize;
        this.autocast = autocast;
        this.inputManager = model.manager().newSubManager();
        this.tokens = data.isTokens() ? new TokenBatches(inputManager, data, batchSize) : null;
        int length = Math.toIntExact(data.exampleLength());
        for (int start = 0; tokens == null && start < data.size(); start += batchSize) {
            int count = Math.min(batchSize, data.size() - start);
            float[] batch = Arrays.copyOfRange(data.inputs(), start * length, (start + count) * length);
            long[] shape = new long[data.exampleShape().length + 1];
            shape[0] = count;
            System.arraycopy(data.exampleShape(), 0, shape, 1, data.exampleShape().length);
            batches.add(inputManager.create(batch, new Shape(shape)));
        }
        this.ablator = new Ablator(model, components);
        checkModelAcceptsData();
    }

    /** Fails before any row is written if the model rejects the data or the labels exceed its classes. */
    private void checkModelAcceptsData() {
        if (tokens != null) {
            classes = tokens.check(model);
            return;
        }
        if (batches.isEmpty()) {
            throw new WorkbenchException(data.description() + ": no evaluation examples");
        }
        try (NDManager scratch = model.manager().newSubManager()) {
            NDArray probe = batches.getFirst().get("0:1");
            NDArray logits;
            try {
                logits = model.forward(scratch, probe);
            } catch (EngineException e) {
                throw new WorkbenchException(model.file() + ": the model does not accept the evaluation data of shape "
                        + new Shape(shapeWithBatch(1)) + " (" + data.description() + "): " + TorchModel.nativeReason(e.getMessage())
                        + ". Check the dataset format and preprocessing (--resize/--crop), or the model", e);
            } finally {
                probe.close();
            }
            if (logits.getShape().dimension() != 2 || logits.getShape().get(0) != 1) {
                throw new WorkbenchException(model.file() + ": expected logits of shape (N, classes), got " + logits.getShape()
                        + " for a batch of 1 example");
            }
            classes = Math.toIntExact(logits.getShape().get(1));
            // A whole batch too: a model may accept one example and fail on more (or return too few rows).
            NDArray first = batches.getFirst();
            if (first.getShape().get(0) > 1) {
                checkLogits(forward(scratch, first, 0), first.getShape().get(0), 0);
            }
        }
        int maxLabel = Arrays.stream(data.labels()).max().orElse(0);
        int minLabel = Arrays.stream(data.labels()).min().orElse(0);
        if (maxLabel >= classes || minLabel < 0) {
            throw new WorkbenchException(data.description() + ": labels range over " + minLabel + ".." + maxLabel
                    + " but the model outputs " + classes + " classes (0.." + (classes - 1) + "); wrong model or wrong labels file");
        }
    }

    private long[] shapeWithBatch(long n) {
        long[] shape = new long[data.exampleShape().length + 1];
        shape[0] = n;
        System.arraycopy(data.exampleShape(), 0, shape, 1, data.exampleShape().length);
        return shape;
    }

    /** Number of classes of the model's logits; a language model's vocabulary size. */
    public int classes() {
        return classes;
    }

    public int examples() {
        return data.size();
    }

    /**
     * Evaluates the model with the components whose {@code keep} entry is false ablated.
     * Returns null when {@code cancelled} turns true between batches; the model is restored either way.
     */
    public Result evaluate(boolean[] keep, BooleanSupplier cancelled) {
        float[] outputs = new float[data.size()];
        int[] predictions = new int[data.size()];
        int correct = 0;
        ablator.ablate(keep);
        if (autocast) {
            Autocast.set(model.device(), true);
        }
        try {
            if (tokens != null) {
                return tokens.evaluate(model, output, cancelled);
            }
            int start = 0;
            for (NDArray batch : batches) {
                if (cancelled.getAsBoolean()) {
                    return null;
                }
                int count = Math.toIntExact(batch.getShape().get(0));
                float[] logits;
                try (NDManager scratch = model.manager().newSubManager()) {
                    NDArray result = forward(scratch, batch, start);
                    checkLogits(result, count, start);
                    logits = result.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                }
                output.apply(logits, classes, data.labels(), start, outputs, start, count);
                correct += predict(logits, start, count, predictions);
                start += count;
            }
        } finally {
            if (autocast) {
                Autocast.set(model.device(), false);
            }
            ablator.restore();
        }
        return new Result(outputs, correct, predictions);
    }

    /** The model's logits for one batch; the model's own error, once and without traces, when it raises. */
    private NDArray forward(NDManager scratch, NDArray batch, int firstExample) {
        try {
            return model.forward(scratch, batch);
        } catch (EngineException e) {
            long count = batch.getShape().get(0);
            throw new WorkbenchException(model.file() + ": the model failed on a batch of " + count + " examples (examples "
                    + firstExample + ".." + (firstExample + count - 1) + " of " + data.description() + "): "
                    + TorchModel.nativeReason(e.getMessage()) + ". Fix the model, or try another --batch-size if it only "
                    + "accepts some batch sizes", e);
        }
    }

    /** Logits must be (examples in the batch, classes): anything else would mix up examples or read past the row. */
    private void checkLogits(NDArray logits, long count, int firstExample) {
        Shape shape = logits.getShape();
        if (shape.dimension() != 2 || shape.get(0) != count || shape.get(1) != classes) {
            throw new WorkbenchException(model.file() + ": for a batch of " + count + " examples (examples " + firstExample + ".."
                    + (firstExample + count - 1) + ") the model returned logits of shape " + shape + ", expected (" + count + ", "
                    + classes + "): one row of logits per example. A model must not drop, add or reorder rows of its batch");
        }
    }

    /** Writes each example's predicted class (arg max of its logits); returns how many are correct. */
    private int predict(float[] logits, int firstExample, int count, int[] predictions) {
        int correct = 0;
        for (int i = 0; i < count; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[i * classes + c] > logits[i * classes + best]) {
                    best = c;
                }
            }
            predictions[firstExample + i] = best;
            if (best == data.labels()[firstExample + i]) {
                correct++;
            }
        }
        return correct;
    }

    public int batchSize() {
        return batchSize;
    }

    @Override
    public void close() {
        ablator.close();
        inputManager.close();
    }
}
