package org.coar.workbench.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.coar.workbench.model.ComponentGroup;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.TorchModel;

/**
 * The weight-norm baseline: every component scores the L2 norm of its weight slice, the same for
 * every example ("bigger weights matter more"). Its prediction has no output units; only its
 * correlation is meaningful.
 */
public final class WeightNorm {
    public static final String METHOD = "weight norm";

    private WeightNorm() {
    }

    public static float[] norms(TorchModel model, Components components) {
        float[] norms = new float[components.total()];
        try (NDManager scratch = model.manager().newSubManager()) {
            for (int g = 0; g < components.groups().size(); g++) {
                ComponentGroup group = components.groups().get(g);
                NDArray weight = model.parameter(group.name());
                NDArray slices = weight.toType(DataType.FLOAT64, true).reshape(new Shape(group.size(), -1));
                slices.attach(scratch);
                float[] values = slices.pow(2).sum(new int[] {1}).sqrt().toType(DataType.FLOAT32, false).toFloatArray();
                System.arraycopy(values, 0, norms, (int) components.start(g), values.length);
            }
        }
        return norms;
    }

    public static ComponentScores scores(TorchModel model, Components components, int examples) {
        float[] norms = norms(model, components);
        float[][] scores = new float[norms.length][];
        for (int c = 0; c < norms.length; c++) {
            scores[c] = new float[] {norms[c]};
        }
        return new ComponentScores(METHOD, scores, new float[examples]);
    }
}
