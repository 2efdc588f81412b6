package org.coar.workbench.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.npy.NpyArray;

/**
 * Inputs and labels as numpy arrays: inputs {@code (N, ...)} of float32, float64 or float16 (taken
 * as they are) or uint8 (scaled by 1/255, like torchvision's ToTensor); labels {@code (N,)} of any
 * integer dtype, each a class index {@code >= 0}.
 */
final class NpyDataReader {

    private static final Set<Dtype> INPUT_DTYPES = Set.of(Dtype.FLOAT32, Dtype.FLOAT64, Dtype.FLOAT16, Dtype.UINT8);
    private static final Set<Dtype> LABEL_DTYPES = Set.of(Dtype.UINT8, Dtype.INT8, Dtype.INT16, Dtype.INT32, Dtype.INT64);

    private NpyDataReader() {
    }

    static EvalData read(Path inputsFile, Path labelsFile, Subsample subsample) {
        RecordFile.requireFile(inputsFile, "inputs .npy file (--data)");
        RecordFile.requireFile(labelsFile, "labels .npy file (--labels)");
        try (NpyArray inputs = NpyArray.open(inputsFile, false); NpyArray labels = NpyArray.open(labelsFile, false)) {
            long[] shape = inputs.header().shape();
            if (!INPUT_DTYPES.contains(inputs.dtype())) {
                throw new WorkbenchException(inputsFile + ": inputs are " + inputs.dtype().numpyName()
                        + "; use float32, float64, float16 or uint8 (in numpy: np.save(path, x.astype(np.float32)))");
            }
            if (shape.length < 2) {
                throw new WorkbenchException(inputsFile + ": inputs have shape " + Arrays.toString(shape)
                        + "; expected (N, ...) with one row per example, e.g. (N, 3, 32, 32)");
            }
            long[] labelShape = labels.header().shape();
            if (!LABEL_DTYPES.contains(labels.dtype())) {
                throw new WorkbenchException(labelsFile + ": labels are " + labels.dtype().numpyName()
                        + "; use an integer dtype (in numpy: np.save(path, y.astype(np.int64)))");
            }
            if (labelShape.length != 1) {
                throw new WorkbenchException(labelsFile + ": labels have shape " + Arrays.toString(labelShape)
                        + "; expected (N,), one class index per example (in numpy: y.reshape(-1))");
            }
            long count = inputs.rows();
            if (labels.rows() != count) {
                throw new WorkbenchException(inputsFile + " holds " + count + " examples but " + labelsFile + " holds "
                        + labels.rows() + " labels; pass the labels that belong to these inputs with --labels");
            }
            int[] allLabels = readLabels(labels);
            int kept = subsample.count(count);
            int exampleLength = Math.toIntExact(inputs.rowLength());
            float[] values = new float[EvalData.inputsLength(kept, exampleLength, inputsFile.toString())];
            int[] keptLabels = new int[kept];
            if (subsample.skip() == 1) {
                inputs.readRows(0, kept, values);
            } else {
                float[] row = new float[exampleLength];
                for (int k = 0; k < kept; k++) {
                    inputs.readRows(subsample.sourceIndex(k), 1, row);
                    System.arraycopy(row, 0, values, k * exampleLength, exampleLength);
                }
            }
            for (int k = 0; k < kept; k++) {
                keptLabels[k] = allLabels[(int) subsample.sourceIndex(k)];
            }
            if (inputs.dtype() == Dtype.UINT8) {
                for (int i = 0; i < values.length; i++) {
                    values[i] /= 255f;
                }
            }
            String description = "npy " + inputsFile + " (" + inputs.dtype().numpyName() + ") with labels " + labelsFile
                    + ": " + subsample.describe(count);
            return new EvalData(description, inputs.rowShape(), values, keptLabels);
        } catch (IOException e) {
            throw new WorkbenchException(inputsFile + " / " + labelsFile + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Every label, checked: a negative or huge label would silently pick the wrong logit later. */
    private static int[] readLabels(NpyArray labels) {
        int[] values = new int[Math.toIntExact(labels.rows())];
        for (int i = 0; i < values.length; i++) {
            long label = labels.getLong(i);
            if (label < 0 || label > Integer.MAX_VALUE) {
                throw new WorkbenchException(labels.file() + ": label " + label + " at index " + i + " is "
                        + (label < 0 ? "negative" : "too large") + "; labels must be class indices 0, 1, 2, ...");
            }
            values[i] = (int) label;
        }
        return values;
    }
}
