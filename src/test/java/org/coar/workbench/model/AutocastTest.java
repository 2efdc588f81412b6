package org.coar.workbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.Arrays;
import java.util.List;
import java.nio.file.Path;
import org.coar.workbench.data.DataLoader;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Autocast switched on from Java reaches libtorch: on the CPU (bfloat16, the only autocast a machine
 * without a GPU has; on CUDA the same switch gives float16) a linear model's margins become, bit for
 * bit, those of a closed form that rounds every linear layer's operands and result to bfloat16.
 */
class AutocastTest {
    @Test
    void autocastComputesTheLinearModelInBfloat16AsAClosedFormSays() throws Exception {
        // The two-branch linear model of the evaluation fixtures: logits = head(cat(a(x), b(x))). Under CPU
        // autocast every linear layer rounds its input, weight and bias to bfloat16, accumulates in float32
        // and returns bfloat16; the closed form below does exactly that in double precision.
        Path modelFile = Fixtures.resource("eval/linear.pt");
        EvalData data = new DataLoader().load(DataSpec.builder()
                .setPath(Fixtures.resource("eval/linear_inputs.npy").toString()).optFormat("npy")
                .optLabels(Fixtures.resource("eval/linear_labels.npy").toString()).build());
        try (TorchModel model = TorchModel.load(modelFile, Device.cpu())) {
            Components components = Components.select(model.parameters(), List.of(), List.of());
            boolean[] keepAll = new boolean[(int) components.total()];
            Arrays.fill(keepAll, true);
            float[] plain;
            float[] mixed;
            float[] plainAgain;
            try (AblatedEvaluator fp32 = new AblatedEvaluator(model, components, data, 64, OutputFunction.MARGIN);
                 AblatedEvaluator autocast = new AblatedEvaluator(model, components, data, 64, OutputFunction.MARGIN, true)) {
                plain = fp32.evaluate(keepAll, () -> false).outputs();
                mixed = autocast.evaluate(keepAll, () -> false).outputs();
                assertFalse(Autocast.isEnabled(Device.cpu()), "the worker thread's autocast is off after the row");
                plainAgain = fp32.evaluate(keepAll, () -> false).outputs();
            }
            float[] expected = bfloat16Margins(model, data);
            assertEquals(0, maxDiff(plain, plainAgain), "off again is exactly float32");
            assertEquals(1.0, equalFraction(mixed, expected), "autocast margins are the bfloat16 closed form, bit for bit");
            assertEquals(0.0, equalFraction(plain, expected), "float32 margins are not");
            assertTrue(maxDiff(plain, expected) > 1e-2, "the two differ by bfloat16 rounding: " + maxDiff(plain, expected));
        }
    }

    private static float[] bfloat16Margins(TorchModel model, EvalData data) {
        float[] wa = model.parameter("a.weight").toFloatArray();
        float[] ba = model.parameter("a.bias").toFloatArray();
        float[] wb = model.parameter("b.weight").toFloatArray();
        float[] bb = model.parameter("b.bias").toFloatArray();
        float[] wh = model.parameter("head.weight").toFloatArray();
        float[] bh = model.parameter("head.bias").toFloatArray();
        int in = 16;
        float[] margins = new float[data.size()];
        for (int n = 0; n < data.size(); n++) {
            float[] x = Arrays.copyOfRange(data.inputs(), n * in, (n + 1) * in);
            float[] hidden = new float[16];
            System.arraycopy(linear(x, wa, ba, 10), 0, hidden, 0, 10);
            System.arraycopy(linear(x, wb, bb, 6), 0, hidden, 10, 6);
            float[] logits = linear(hidden, wh, bh, 2);
            int label = data.labels()[n];
            margins[n] = logits[label] - logits[1 - label];
        }
        return margins;
    }

    private static float[] linear(float[] x, float[] w, float[] b, int outputs) {
        float[] y = new float[outputs];
        for (int o = 0; o < outputs; o++) {
            double sum = bf16(b[o]);
            for (int k = 0; k < x.length; k++) {
                sum += (double) bf16(x[k]) * bf16(w[o * x.length + k]);
            }
            y[o] = bf16((float) sum);
        }
        return y;
    }

    /** Rounds to the nearest bfloat16 (ties to even), as PyTorch does. */
    static float bf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(rounded & 0xFFFF0000);
    }

    private static double equalFraction(float[] a, float[] b) {
        int equal = 0;
        for (int i = 0; i < a.length; i++) {
            equal += a[i] == b[i] ? 1 : 0;
        }
        return (double) equal / a.length;
    }

    @Test
    void theSwitchIsPerThread() throws Exception {
        TorchModel.engine();
        Autocast.set(Device.cpu(), true);
        try {
            assertTrue(Autocast.isEnabled(Device.cpu()));
            boolean[] elsewhere = new boolean[1];
            Thread other = Thread.ofPlatform().start(() -> elsewhere[0] = Autocast.isEnabled(Device.cpu()));
            other.join();
            assertFalse(elsewhere[0], "another worker's forward passes are not affected");
            assertFalse(Autocast.isEnabled(Device.gpu(0)), "CUDA autocast is a separate switch");
        } finally {
            Autocast.set(Device.cpu(), false);
        }
        assertFalse(Autocast.isEnabled(Device.cpu()));
    }

    private static double maxDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
