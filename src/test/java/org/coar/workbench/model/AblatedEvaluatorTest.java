package org.coar.workbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.coar.workbench.store.RowMasks;

/** Margins of ablated models against PyTorch ({@code tools/make_ablation_fixtures.py}). */
class AblatedEvaluatorTest {

    private static void assertMatchesPyTorch(Path model, String fixture, int examples) throws IOException {
        EvalData data = ModelFixtures.demoData(examples);
        try (TorchModel torch = TorchModel.load(model, Device.cpu());
             NpyArray masks = NpyArray.open(Fixtures.resource("ablation/" + fixture + "_masks.npy"), false);
             NpyArray margins = NpyArray.open(Fixtures.resource("ablation/" + fixture + "_margins.npy"), false)) {
            Components components = Components.select(torch.parameters(), List.of(), List.of());
            try (AblatedEvaluator evaluator = new AblatedEvaluator(torch, components, data, 128, OutputFunction.MARGIN)) {
                // Masks in an order that would expose an incomplete restore: ablated, full, ablated, full.
                for (int row : new int[] {2, 0, 1, 0}) {
                    float[] keepRow = masks.readRow(row);
                    boolean[] keep = new boolean[keepRow.length];
                    for (int i = 0; i < keep.length; i++) {
                        keep[i] = keepRow[i] != 0;
                    }
                    float[] ours = evaluator.evaluate(keep, () -> false).outputs();
                    float[] expected = margins.readRow(row);
                    for (int i = 0; i < examples; i++) {
                        // Within float16 rounding of the stored value (and float32 reduction-order noise).
                        double tolerance = Math.max(1e-4, Math.abs(expected[i]) * 0x1p-11);
                        assertEquals(expected[i], ours[i], tolerance, fixture + " mask " + row + " example " + i);
                    }
                }
            }
        }
    }

    @Test
    void demoCnnMarginsEqualPyTorchUnderThreeMasks() throws IOException {
        assertMatchesPyTorch(ModelFixtures.demoModel(), "demo", 1000);
    }

    @Test
    void residualAttentionModelMarginsEqualPyTorchUnderThreeMasks() throws IOException {
        assertMatchesPyTorch(ModelFixtures.resmhaModel(), "resmha", 200);
    }

    /** Every array a row makes is freed with it: a build runs 100,000 rows on one replica. */
    private static void assertRowsLeaveNoArrays(Path model, EvalData data, ComponentPreset preset) {
        try (TorchModel torch = TorchModel.load(model, Device.cpu())) {
            Components components = Components.select(torch.parameters(), preset, List.of(), List.of());
            try (AblatedEvaluator evaluator = new AblatedEvaluator(torch, components, data, 16, OutputFunction.LOSS)) {
                evaluator.evaluate(RowMasks.keepMask(5, 0, components.total(), 0.1), () -> false);
                int before = torch.manager().getManagedArrays().size();
                for (int row = 1; row <= 20; row++) {
                    evaluator.evaluate(RowMasks.keepMask(5, row, components.total(), 0.1), () -> false);
                }
                assertEquals(before, torch.manager().getManagedArrays().size(), "arrays left on the model's manager by 20 rows");
            }
        }
    }

    @Test
    void ablatedRowsOfAClassifierLeaveNoArraysBehind() {
        assertRowsLeaveNoArrays(ModelFixtures.demoModel(), ModelFixtures.demoData(64), ComponentPreset.DEFAULT);
    }

    @Test
    void ablatedRowsOfALanguageModelLeaveNoArraysBehind() {
        Path lm = Fixtures.resource("lm/tiny_gpt2.pt");
        EvalData tokens = new org.coar.workbench.data.DataLoader().load(new org.coar.workbench.data.DataSpec(null,
                lm.resolveSibling("tokens.npy").toString(), null, null, null, null, null, null, null, lm.resolveSibling("lengths.npy").toString()));
        assertRowsLeaveNoArrays(lm, tokens, ComponentPreset.REFERENCE_GPT2);
    }

    @Test
    void outputFunctionsFromClosedForm() {
        float[] logits = {2f, 0f, -1f, /* second example */ 0f, 0f, 3f};
        int[] labels = {0, 1};
        float[] out = new float[2];
        OutputFunction.MARGIN.apply(logits, 3, labels, 0, out, 0, 2);
        assertEquals(2f, out[0], 1e-6);
        assertEquals(-3f, out[1], 1e-6);
        OutputFunction.LOGPROB.apply(logits, 3, labels, 0, out, 0, 2);
        assertEquals(2 - Math.log(Math.exp(2) + 1 + Math.exp(-1)), out[0], 1e-6);
        OutputFunction.LOSS.apply(logits, 3, labels, 0, out, 0, 2);
        assertEquals(Math.log(2 + Math.exp(3)), out[1], 1e-6);
    }

    @Test
    void missingNonTorchScriptAndFrozenModelsAreRefusedWithTheFix() {
        WorkbenchException missing = assertThrows(WorkbenchException.class, () -> TorchModel.load(Path.of("absent.pt"), Device.cpu()));
        assertTrue(missing.getMessage().contains("absent.pt: no such model file"), missing.getMessage());
        Path pickle = Fixtures.resource("ablation/not_torchscript.pt");
        WorkbenchException notScript = assertThrows(WorkbenchException.class, () -> TorchModel.load(pickle, Device.cpu()));
        assertTrue(notScript.getMessage().startsWith(pickle + ": not a TorchScript model"), notScript.getMessage());
        assertTrue(notScript.getMessage().contains("torch.jit.trace"), notScript.getMessage());
        Path frozen = Fixtures.resource("ablation/frozen_tiny.pt");
        WorkbenchException frozenError = assertThrows(WorkbenchException.class, () -> TorchModel.load(frozen, Device.cpu()));
        assertTrue(frozenError.getMessage().contains("frozen TorchScript"), frozenError.getMessage());
        assertTrue(frozenError.getMessage().contains("without torch.jit.freeze"), frozenError.getMessage());
    }

    @Test
    void dataTheModelRejectsIsReportedWithItsShapeBeforeAnyRow() {
        EvalData wrongShape = new EvalData("three-channel test data", new long[] {3, 32, 32}, new float[2 * 3 * 32 * 32], new int[2]);
        try (TorchModel torch = TorchModel.load(ModelFixtures.demoModel(), Device.cpu())) {
            Components components = Components.select(torch.parameters(), List.of(), List.of());
            WorkbenchException e = assertThrows(WorkbenchException.class,
                    () -> new AblatedEvaluator(torch, components, wrongShape, 10, OutputFunction.MARGIN));
            assertTrue(e.getMessage().contains("does not accept the evaluation data of shape (1, 3, 32, 32)"), e.getMessage());
            assertTrue(e.getMessage().contains("[32, 1, 3, 3]"), "the model's side of the mismatch: " + e.getMessage());
        }
    }

    @Test
    void labelsBeyondTheLogitsAreRefused() {
        EvalData badLabels = new EvalData("labels test", new long[] {1, 28, 28}, new float[2 * 784], new int[] {3, 12});
        try (TorchModel torch = TorchModel.load(ModelFixtures.demoModel(), Device.cpu())) {
            Components components = Components.select(torch.parameters(), List.of(), List.of());
            WorkbenchException e = assertThrows(WorkbenchException.class,
                    () -> new AblatedEvaluator(torch, components, badLabels, 10, OutputFunction.MARGIN));
            assertTrue(e.getMessage().contains("labels range over 3..12 but the model outputs 10 classes"), e.getMessage());
        }
    }
}
