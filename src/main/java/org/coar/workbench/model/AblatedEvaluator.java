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
 * device once, as fixed batches, and reused for every mask. Not thread-safe: one per worker.
 */
public final class AblatedEvaluator implements AutoCloseable {

    /** One mask's result: an output per example, plus the ablated model's accuracy. */
    public record Result(float[] outputs, int correct, int[] predictions) {
        public double accuracy() {
            return outputs.length == 0 ? 0 : (double) correct / outputs.length;
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
        int length = Math.toIntExact(data.exampleLength());
        for (int start = 0; start < data.size(); start += batchSize) {
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
            if (logits.getShape().dimension() != 2) {
                throw new WorkbenchException(model.file() + ": expected logits of shape (N, classes), got " + logits.getShape());
            }
            classes = Math.toIntExact(logits.getShape().get(1));
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
            int start = 0;
            for (NDArray batch : batches) {
                if (cancelled.getAsBoolean()) {
                    return null;
                }
                int count = Math.toIntExact(batch.getShape().get(0));
                float[] logits;
                try (NDManager scratch = model.manager().newSubManager()) {
                    logits = model.forward(scratch, batch).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
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
