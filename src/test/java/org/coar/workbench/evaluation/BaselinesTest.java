package org.coar.workbench.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.OutputFunction;
import org.coar.workbench.model.TorchModel;
import org.junit.jupiter.api.Test;

/** Baseline scores against PyTorch and closed forms ({@code tools/make_eval_fixtures.py}). */
class BaselinesTest {

    private static void assertClose(float[][] expected, float[][] actual, double relative, String what) {
        assertEquals(expected.length, actual.length, what + ": components");
        for (int c = 0; c < expected.length; c++) {
            for (int j = 0; j < expected[c].length; j++) {
                double tolerance = 1e-5 + relative * Math.abs(expected[c][j]);
                assertEquals(expected[c][j], actual[c][j], tolerance, what + " component " + c + " example " + j);
            }
        }
    }

    @Test
    void gradientTimesParameterOfALanguageModelEqualsPyTorchAutogradOfEachSequencesMeanOutput() throws java.io.IOException {
        java.nio.file.Path lm = org.coar.workbench.testing.Fixtures.resource("lm/tiny_gpt2.pt").getParent();
        EvalData data = new org.coar.workbench.data.DataLoader().load(new org.coar.workbench.data.DataSpec(null,
                lm.resolve("tokens.npy").toString(), null, null, null, null, null, null, null, lm.resolve("lengths.npy").toString()));
        try (TorchModel model = TorchModel.loadForGradients(lm.resolve("tiny_gpt2.pt"), Device.cpu())) {
            Components components = Components.select(model.parameters(), org.coar.workbench.model.ComponentPreset.REFERENCE_GPT2,
                    List.of(), List.of());
            for (OutputFunction output : List.of(OutputFunction.MARGIN, OutputFunction.LOSS)) {
                float[][] ours = GradientTimesParameter.scores(model, components, data, output, j -> { }, new Cancellation());
                try (org.coar.workbench.npy.NpyArray expected = org.coar.workbench.npy.NpyArray.open(
                        lm.resolve("gpt2_gxp_" + output.cliName() + ".npy"), false)) {
                    float[][] matrix = new float[components.total()][];
                    for (int c = 0; c < matrix.length; c++) {
                        matrix[c] = expected.readRow(c);
                    }
                    assertClose(matrix, ours, 1e-3, "LM " + output.cliName());
                }
            }
        }
    }

    @Test
    void gradientTimesParameterEqualsPyTorchAutogradInEvalModeWithBatchNormAndDropout() {
        EvalData data = EvalFixtures.tinyData();
        try (TorchModel model = TorchModel.loadForGradients(EvalFixtures.tinyModel(), Device.cpu())) {
            Components components = Components.select(model.parameters(), List.of(), List.of());
            assertEquals(18, components.total());
            for (OutputFunction output : List.of(OutputFunction.MARGIN, OutputFunction.LOSS)) {
                float[][] ours = GradientTimesParameter.scores(model, components, data, output, j -> { }, new Cancellation());
                float[][] expected = EvalFixtures.matrix("tiny_gxp_" + output.cliName() + ".npy");
                assertClose(expected, ours, 1e-3, output.cliName());
            }
            // The replica stayed in eval mode: its logits are PyTorch's eval-mode logits.
            float[][] logits = EvalFixtures.matrix("tiny_logits.npy");
            try (NDManager scratch = model.manager().newSubManager()) {
                NDArray input = scratch.create(data.inputs(), new Shape(data.shape()));
                float[] ours = model.forwardRecordingGradients(scratch, input).toType(DataType.FLOAT32, false).toFloatArray();
                for (int j = 0; j < logits.length; j++) {
                    for (int k = 0; k < 3; k++) {
                        assertEquals(logits[j][k], ours[j * 3 + k], 1e-4, "logit " + j + "," + k);
                    }
                }
            }
            assertThrows(IllegalStateException.class, () -> {
                try (NDManager scratch = model.manager().newSubManager()) {
                    model.forward(scratch, scratch.zeros(new Shape(1, 1, 8, 8)));
                }
            }, "a gradient replica refuses plain forward passes, which would switch it to train mode later");
        }
    }

    @Test
    void exactlyLinearModelGradientTimesParameterAndWeightNormsAreTheClosedForm() {
        EvalData data = EvalFixtures.linearData();
        try (TorchModel model = TorchModel.loadForGradients(EvalFixtures.linearModel(), Device.cpu())) {
            Components components = Components.select(model.parameters(), List.of(), List.of());
            float[][] ours = GradientTimesParameter.scores(model, components, data, OutputFunction.MARGIN, j -> { }, new Cancellation());
            assertClose(EvalFixtures.matrix("linear_effects.npy"), ours, 1e-4, "linear gradient x parameter");
            float[] norms = WeightNorm.norms(model, components);
            float[] expected = EvalFixtures.vector("linear_weight_norms.npy");
            for (int c = 0; c < expected.length; c++) {
                assertEquals(expected[c], norms[c], 1e-6, "norm of component " + c);
            }
        }
    }
}
