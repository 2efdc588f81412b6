package org.coar.workbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.DataLoader;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny GPT-2 (HF module names, Conv1D weights (in, out)) against PyTorch: every expected value
 * was computed with the sequence alone, unpadded, by tools/make_architecture_fixtures.py; here the
 * sequences run in padded batches of mixed lengths, whose padding holds random token ids.
 */
class LanguageModelTest {

    private static Path lm(String name) {
        return Fixtures.resource("lm/" + name);
    }

    private static EvalData tokens() {
        return new DataLoader().load(DataSpec.builder().setPath(lm("tokens.npy").toString())
                .optAttentionMask(lm("lengths.npy").toString()).build());
    }

    private static float[] numpy(String name) throws IOException {
        try (NpyArray array = NpyArray.open(lm(name), false)) {
            float[] values = new float[Math.toIntExact(array.rows() * array.rowLength())];
            array.readRows(0, Math.toIntExact(array.rows()), values);
            return values;
        }
    }

    private static boolean[] allKept(Components components) {
        boolean[] keep = new boolean[components.total()];
        Arrays.fill(keep, true);
        return keep;
    }

    private static float[] outputs(Path model, int batchSize, OutputFunction output) {
        EvalData data = tokens();
        try (TorchModel torch = TorchModel.load(model, Device.cpu())) {
            Components components = Components.select(torch.parameters(), ComponentPreset.REFERENCE_GPT2, List.of(), List.of());
            try (AblatedEvaluator evaluator = new AblatedEvaluator(torch, components, data, batchSize, output)) {
                assertEquals(50, evaluator.classes(), "the vocabulary");
                return evaluator.evaluate(allKept(components), () -> false).outputs();
            }
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length);
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], 2e-5 * Math.max(1, Math.abs(expected[j])), what + " sequence " + j);
        }
    }

    @Test
    void eachOutputFunctionInAPaddedBatchEqualsPyTorchOnTheSequenceAlone() throws IOException {
        for (OutputFunction output : OutputFunction.values()) {
            float[] expected = numpy("expected_" + output.cliName() + ".npy");
            for (int batchSize : new int[] {1, 3, 7}) {
                assertClose(expected, outputs(lm("tiny_gpt2.pt"), batchSize, output), output.cliName() + " in batches of " + batchSize);
            }
        }
    }

    @Test
    void aModelTakingOnlyTokenIdsGivesTheSameOutputs() throws IOException {
        assertClose(numpy("expected_margin.npy"), outputs(lm("tiny_gpt2_ids_only.pt"), 7, OutputFunction.MARGIN), "ids-only model");
    }

    @Test
    void ablatingConv1dRowsEqualsPyTorchZeroingWeightRowsAlongDimZero() throws IOException {
        EvalData data = tokens();
        float[] expected = numpy("gpt2_margins.npy");
        try (TorchModel torch = TorchModel.load(lm("tiny_gpt2.pt"), Device.cpu());
             NpyArray masks = NpyArray.open(lm("gpt2_masks.npy"), false)) {
            Components components = Components.select(torch.parameters(), ComponentPreset.REFERENCE_GPT2, List.of(), List.of());
            assertEquals(masks.rowLength(), components.total());
            try (AblatedEvaluator evaluator = new AblatedEvaluator(torch, components, data, 4, OutputFunction.MARGIN)) {
                for (int row : new int[] {2, 0, 1, 0}) { // ablated, full, ablated, full: an incomplete restore would show
                    float[] stored = masks.readRow(row);
                    boolean[] keep = new boolean[stored.length];
                    for (int i = 0; i < keep.length; i++) {
                        keep[i] = stored[i] != 0;
                    }
                    AblatedEvaluator.Result result = evaluator.evaluate(keep, () -> false);
                    assertClose(Arrays.copyOfRange(expected, row * 7, row * 7 + 7), result.outputs(), "mask " + row);
                    int positive = 0;
                    for (int j = 0; j < 7; j++) {
                        positive += expected[row * 7 + j] > 0 ? 1 : 0;
                        assertEquals(expected[row * 7 + j] > 0 ? 0 : -1, result.predictions()[j], "sequence " + j + " correct iff margin > 0");
                    }
                    assertEquals(positive, result.correct());
                }
            }
        }
    }

    @Test
    void aClassifierGivenTokenDataIsRefusedSayingWhatALanguageModelTakes() {
        EvalData data = tokens();
        try (TorchModel classifier = TorchModel.load(ModelFixtures.demoModel(), Device.cpu())) {
            Components components = Components.select(classifier.parameters(), List.of(), List.of());
            WorkbenchException e = assertThrows(WorkbenchException.class,
                    () -> new AblatedEvaluator(classifier, components, data, 4, OutputFunction.MARGIN).close());
            assertTrue(e.getMessage().contains("the model does not accept token ids (1, 12) (int64) and an attention mask"), e.getMessage());
            assertTrue(e.getMessage().contains("taking forward(input_ids, attention_mask) (or forward(input_ids)) and returning logits"),
                    e.getMessage());
        }
    }

    @Test
    void tokenIdsOutsideTheVocabularyAreRefused(@TempDir Path dir) throws IOException {
        {
            Path ids = dir.resolve("ids.npy");
            NpyArray.create(ids, org.coar.workbench.npy.Dtype.INT64, 1, 4);
            try (NpyArray array = NpyArray.open(ids, true)) {
                array.setLong(2, 50);
            }
            EvalData data = new DataLoader().load(DataSpec.builder().setPath(ids.toString()).optFormat("tokens").build());
            try (TorchModel torch = TorchModel.load(lm("tiny_gpt2.pt"), Device.cpu())) {
                Components components = Components.select(torch.parameters(), ComponentPreset.REFERENCE_GPT2, List.of(), List.of());
                WorkbenchException e = assertThrows(WorkbenchException.class,
                        () -> new AblatedEvaluator(torch, components, data, 4, OutputFunction.MARGIN).close());
                assertTrue(e.getMessage().contains("token id 50 is outside the model's vocabulary of 50"), e.getMessage());
            }
        }
    }
}
