package org.coar.workbench.edit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.attributions.AttributionsFixture;
import org.coar.workbench.evaluation.EvalFixtures;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.JobCancelledException;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COAR-Edit on the linear fixture, where the right edit is known: example 0 is misclassified
 * only because components 3 and 12 push it to the wrong class, and nothing else depends on them.
 */
class EditServiceTest {

    private static EditRequest request(Path store, Path attributions, Path out, String target, int k, EditMode mode, Integer sweep,
                                       Path save) {
        return new EditRequest(store, attributions, target, "rest", k, mode, sweep, save, out, List.of("cpu"), 1, 64);
    }

    @Test
    void aCancelledEditEndsWithTheJobExceptionAndSavesNothing(@TempDir Path tmp) throws Exception {
        Path store = EvalFixtures.linearStore(tmp, 2);
        Path attributions = EvalFixtures.exactAttributions(tmp);
        Path saved = tmp.resolve("edited.pt");
        Cancellation cancel = new Cancellation();
        List<String> stages = new java.util.concurrent.CopyOnWriteArrayList<>();
        assertThrows(JobCancelledException.class, () -> new EditService().edit(request(store, attributions, tmp.resolve("edit"),
                "misclassified", 2, EditMode.BOTTOMK, 4, saved), p -> {
                    stages.add(p.stage());
                    if (p.stage().startsWith("sweep")) {
                        cancel.cancel();
                    }
                }, cancel));
        assertFalse(Files.exists(tmp.resolve("edit")), "no report, sweep or figure");
        assertFalse(Files.exists(saved), "no edited model");
        assertFalse(stages.contains("saving the edited model"), stages.toString());
    }

    @Test
    void fixingTheMisclassifiedExampleAblatesExactlyThePlantedComponentsAndKeepsTheRest(@TempDir Path tmp) throws Exception {
        Path store = EvalFixtures.linearStore(tmp, 2);
        Path attributions = EvalFixtures.exactAttributions(tmp);
        Path saved = tmp.resolve("edited.pt");
        EditResult result = new EditService().edit(request(store, attributions, tmp.resolve("edit"), "misclassified", 2,
                EditMode.BOTTOMK, 4, saved), p -> { }, new Cancellation());

        assertArrayEquals(new int[] {0}, result.target(), "example 0 is the only misclassified one");
        assertEquals(63, result.reference().length);
        assertEquals(List.of(3, 12), result.ablated().stream().map(EditResult.AblatedComponent::index).sorted().toList());
        assertEquals("a #3", result.ablated().stream().filter(c -> c.index() == 3).findFirst().orElseThrow().label());
        assertEquals(0.0, result.before().target().accuracy());
        assertEquals(1.0, result.after().target().accuracy());
        assertTrue(result.after().target().meanMargin() > 0 && result.before().target().meanMargin() < 0);
        assertEquals(1.0, result.before().reference().accuracy());
        assertEquals(1.0, result.after().reference().accuracy());
        assertEquals(63.0 / 64, result.before().all().accuracy(), 1e-12);
        assertEquals(1.0, result.after().all().accuracy());

        // Sweep: k = 1 ablates one planted component, k = 2 both (the edit above).
        assertEquals(4, result.sweep().size());
        assertEquals(result.after(), result.sweep().get(1).metrics());
        assertTrue(Files.readString(tmp.resolve("edit/sweep.csv")).startsWith("k,target_accuracy,reference_accuracy"));
        assertTrue(Files.size(tmp.resolve("edit/sweep.png")) > 10_000);
        JsonNode report = new ObjectMapper().readTree(tmp.resolve("edit/report.json").toFile());
        assertEquals("bottomk", report.get("mode").asText());
        assertTrue(report.get("pytorch_recipe").asText().contains("\"a.weight\": [3]"), report.get("pytorch_recipe").asText());
        assertTrue(report.get("pytorch_recipe").asText().contains("\"b.weight\": [2]"), report.get("pytorch_recipe").asText());

        // The saved TorchScript reproduces the edit in the workbench (checked by the service) and in PyTorch.
        assertTrue(result.reloadMaxAbsDifference() < 1e-4);
        assertEditedModelReproducesTheClosedFormInPyTorch(saved, tmp, new int[] {3, 12});
    }

    /** Margins of the linear model with the given components ablated: mask · effects + constant (numpy-made fixtures). */
    private static void assertEditedModelReproducesTheClosedFormInPyTorch(Path saved, Path tmp, int[] ablated) throws Exception {
        float[][] effects = EvalFixtures.matrix("linear_effects.npy");
        float[] constant = EvalFixtures.vector("linear_constant.npy");
        double[] expected = new double[constant.length];
        for (int j = 0; j < constant.length; j++) {
            expected[j] = constant[j];
            for (int c = 0; c < effects.length; c++) {
                int component = c;
                if (java.util.Arrays.stream(ablated).noneMatch(a -> a == component)) {
                    expected[j] += effects[c][j];
                }
            }
        }
        Path expectedFile = tmp.resolve("expected.npy");
        AttributionsFixture.vector(expectedFile, expected);
        Fixtures.Result check = Fixtures.python(Fixtures.tool("check_edited_model.py").toString(), saved.toString(),
                Fixtures.resource("eval/linear_inputs.npy").toString(), Fixtures.resource("eval/linear_labels.npy").toString(),
                expectedFile.toString(), "--tolerance", "1e-4");
        org.junit.jupiter.api.Assumptions.assumeTrue(check.exitCode() != 3, "torch not installed");
        assertEquals(0, check.exitCode(), check.output());
    }

    /** Margins of the linear model with {@code ablated} zeroed: constant + Σ over kept components of their effects (numpy fixtures). */
    private static double[] closedFormMargins(int... ablated) {
        float[][] effects = EvalFixtures.matrix("linear_effects.npy");
        float[] constant = EvalFixtures.vector("linear_constant.npy");
        double[] margins = new double[constant.length];
        for (int j = 0; j < constant.length; j++) {
            margins[j] = constant[j];
            for (int c = 0; c < effects.length; c++) {
                int component = c;
                if (java.util.Arrays.stream(ablated).noneMatch(a -> a == component)) {
                    margins[j] += effects[c][j];
                }
            }
        }
        return margins;
    }

    @Test
    void anExplicitSetAblatesExactlyThoseComponentsAsTheClosedFormWithThemZeroed(@TempDir Path tmp) {
        Path store = EvalFixtures.linearStore(tmp, 2);
        Path attributions = EvalFixtures.exactAttributions(tmp);
        Path out = tmp.resolve("explicit");
        EditResult result = new EditService().edit(EditRequest.explicit(store, attributions, List.of(12, 3, 7), "0", "rest", null, out,
                List.of("cpu"), 1, 64, false), p -> { }, new Cancellation());

        assertEquals(EditMode.EXPLICIT, result.mode());
        assertEquals(List.of(12, 3, 7), result.ablated().stream().map(EditResult.AblatedComponent::index).toList(), "as listed");
        double[] before = closedFormMargins();
        double[] after = closedFormMargins(3, 7, 12);
        List<EditResult.Flip> expectedFlips = new java.util.ArrayList<>();
        for (int j = 0; j < before.length; j++) {
            assertEquals(before[j], result.marginsBefore()[j], 1e-4, "unedited margin of example " + j);
            assertEquals(after[j], result.marginsAfter()[j], 1e-4, "margin of example " + j + " with 3, 7 and 12 zeroed");
            if ((before[j] > 0) != (after[j] > 0)) {
                expectedFlips.add(new EditResult.Flip(j, result.marginsBefore()[j], result.marginsAfter()[j]));
            }
        }
        assertEquals(expectedFlips, result.flipped());
        assertTrue(result.flipped().stream().anyMatch(f -> f.example() == 0 && f.fixed()), "3 and 12 are what hold example 0 wrong");

        // The report (format 3) reads back as the same edit: the mode, the set, the margins and so the flips.
        EditFiles.Report report = EditFiles.read(out);
        assertEquals(3, report.provenance().version());
        assertEquals(EditMode.EXPLICIT, report.mode());
        assertEquals(List.of(12, 3, 7), report.ablated().stream().map(EditResult.AblatedComponent::index).toList());
        assertEquals(63, report.reference().length);
        assertArrayEquals(result.marginsAfter(), report.marginsAfter(), 1e-5f);
        assertEquals(result.flipped().stream().map(EditResult.Flip::example).toList(),
                report.toResult().flipped().stream().map(EditResult.Flip::example).toList());
    }

    @Test
    void theSavedEditedModelEvaluatedPerLabelGivesTheClosedFormsAccuracy(@TempDir Path tmp) {
        Path store = EvalFixtures.linearStore(tmp, 2);
        Path attributions = EvalFixtures.exactAttributions(tmp);
        Path saved = tmp.resolve("edited.pt");
        new EditService().edit(EditRequest.explicit(store, attributions, List.of(3, 12, 7), "0", "rest", saved, tmp.resolve("e"),
                List.of("cpu"), 1, 64, false), p -> { }, new Cancellation());
        EditedModelEvaluation.Result evaluation = new EditedModelEvaluation().evaluate(store, saved, tmp.resolve("e"), List.of("cpu"), 1,
                64, p -> { }, new Cancellation());
        double[] before = closedFormMargins();
        double[] after = closedFormMargins(3, 7, 12);
        for (int j = 0; j < after.length; j++) {
            assertEquals(before[j], evaluation.marginsBefore()[j], 1e-4, "store model, example " + j);
            assertEquals(after[j], evaluation.marginsAfter()[j], 1e-4, "the saved file, example " + j);
        }
        long right = java.util.Arrays.stream(after).filter(v -> v > 0).count();
        assertEquals(right / 64.0, evaluation.all().after().accuracy(), 1e-12);
        assertEquals(64, evaluation.all().after().examples());
        assertTrue(Files.exists(tmp.resolve("e").resolve(EditedModelEvaluation.BY_LABEL_CSV)));
        WorkbenchException none = assertThrows(WorkbenchException.class, () -> new EditedModelEvaluation().evaluate(store,
                tmp.resolve("missing.pt"), tmp.resolve("e"), List.of("cpu"), 1, 64, p -> { }, new Cancellation()));
        assertTrue(none.getMessage().startsWith(tmp.resolve("missing.pt") + ": no saved edited model"), none.getMessage());
    }

    @Test
    void anExplicitSetNeedsNoTargetAndMeasuresEveryExampleAsTheReference(@TempDir Path tmp) {
        Path store = EvalFixtures.linearStore(tmp, 2);
        Path attributions = EvalFixtures.exactAttributions(tmp);
        EditResult result = new EditService().edit(EditRequest.explicit(store, attributions, List.of(5), "", "rest", null,
                tmp.resolve("e"), List.of("cpu"), 1, 64, false), p -> { }, new Cancellation());
        assertEquals(0, result.target().length);
        assertEquals(64, result.reference().length);
        assertTrue(Double.isNaN(result.ablated().getFirst().score()), "no target, no t-score");
        assertTrue(Double.isNaN(EditFiles.read(tmp.resolve("e")).ablated().getFirst().score()));
    }

    @Test
    void anExplicitSetOutOfRangeListedTwiceOrSweptIsRefused(@TempDir Path tmp) {
        Path store = EvalFixtures.linearStore(tmp, 2);
        Path attributions = EvalFixtures.exactAttributions(tmp);
        EditService service = new EditService();
        WorkbenchException range = assertThrows(WorkbenchException.class, () -> service.edit(EditRequest.explicit(store, attributions,
                List.of(3, 16), "0", "rest", null, tmp.resolve("e"), List.of("cpu"), 1, 64, false), p -> { }, new Cancellation()));
        assertEquals("--components: component 16 is out of range; the model has 16 components (mask indices 0..15)", range.getMessage());
        WorkbenchException twice = assertThrows(WorkbenchException.class, () -> service.edit(EditRequest.explicit(store, attributions,
                List.of(3, 3), "0", "rest", null, tmp.resolve("e"), List.of("cpu"), 1, 64, false), p -> { }, new Cancellation()));
        assertEquals("--components: component 3 (a #3) is listed twice; list each once", twice.getMessage());
        WorkbenchException sweep = assertThrows(WorkbenchException.class, () -> service.edit(new EditRequest(store, attributions, "0",
                "rest", 1, EditMode.EXPLICIT, 4, null, tmp.resolve("e"), List.of("cpu"), 1, 64, false, List.of(3)), p -> { },
                new Cancellation()));
        assertTrue(sweep.getMessage().startsWith("--sweep ranks the components"), sweep.getMessage());
        assertFalse(Files.exists(tmp.resolve("e")));
    }

    @Test
    void anEditWithoutASweepRemovesTheSweepOfTheEditItReplaces(@TempDir Path tmp) {
        Path store = EvalFixtures.linearStore(tmp, 2);
        Path attributions = EvalFixtures.exactAttributions(tmp);
        Path out = tmp.resolve("edit");
        new EditService().edit(request(store, attributions, out, "0", 2, EditMode.TOPK, 3, null), p -> { }, new Cancellation());
        assertEquals(3, EditFiles.read(out).sweep().size());
        new EditService().edit(request(store, attributions, out, "0", 2, EditMode.TOPK, null, null), p -> { }, new Cancellation());
        assertEquals(List.of(), EditFiles.read(out).sweep());
        assertFalse(Files.exists(out.resolve(EditFiles.SWEEP_CSV)));
    }

    @Test
    void topkLowersTheTargetsMarginWhereBottomkRaisedIt(@TempDir Path tmp) {
        Path store = EvalFixtures.linearStore(tmp, 2);
        Path attributions = EvalFixtures.exactAttributions(tmp);
        EditResult result = new EditService().edit(request(store, attributions, tmp.resolve("edit"), "5", 3, EditMode.TOPK, null,
                null), p -> { }, new Cancellation());
        assertTrue(result.after().target().meanMargin() < result.before().target().meanMargin());
        assertTrue(result.sweep().isEmpty());
        assertTrue(Double.isNaN(result.reloadMaxAbsDifference()));
    }

    @Test
    void badExampleSetsAndImpossibleKAreRefused(@TempDir Path tmp) {
        Path store = EvalFixtures.linearStore(tmp, 2);
        Path attributions = EvalFixtures.exactAttributions(tmp);
        EditService service = new EditService();
        WorkbenchException range = assertThrows(WorkbenchException.class, () -> service.edit(
                request(store, attributions, tmp.resolve("e"), "3,64", 2, EditMode.TOPK, null, null), p -> { }, new Cancellation()));
        assertEquals("--target: example 64 is out of range; the evaluation data has 64 examples (0..63)", range.getMessage());
        WorkbenchException empty = assertThrows(WorkbenchException.class, () -> service.edit(
                request(store, attributions, tmp.resolve("e"), "label:4", 2, EditMode.TOPK, null, null), p -> { }, new Cancellation()));
        assertTrue(empty.getMessage().startsWith("--target label:4: selects no example"), empty.getMessage());
        WorkbenchException k = assertThrows(WorkbenchException.class, () -> service.edit(
                request(store, attributions, tmp.resolve("e"), "0", 17, EditMode.TOPK, null, null), p -> { }, new Cancellation()));
        assertEquals("--k 17: choose between 1 and 16 (the number of components)", k.getMessage());
        WorkbenchException everything = assertThrows(WorkbenchException.class, () -> service.edit(new EditRequest(store, attributions,
                "all", "rest", 2, EditMode.TOPK, null, null, tmp.resolve("e"), List.of("cpu"), 1, 64), p -> { }, new Cancellation()));
        assertTrue(everything.getMessage().startsWith("--reference rest: selects no example"), everything.getMessage());
    }

    @Test
    void savingTheEditedDemoModelLoadsInPyTorchWithTheEditedMargins(@TempDir Path tmp) throws IOException, InterruptedException {
        // A real CNN, checked against PyTorch's own ablation of the original file (not the workbench's).
        Path saved = tmp.resolve("demo_edited.pt");
        org.coar.workbench.model.Components components;
        try (org.coar.workbench.model.TorchModel model = org.coar.workbench.model.TorchModel.load(
                org.coar.workbench.model.ModelFixtures.demoModel(), ai.djl.Device.cpu())) {
            components = org.coar.workbench.model.Components.select(model.parameters(), List.of(), List.of());
            try (org.coar.workbench.model.Ablator ablator = new org.coar.workbench.model.Ablator(model, components)) {
                boolean[] keep = EditService.keepAllBut(components.total(), new int[] {3, 40, 100, 200}, 4);
                ablator.ablate(keep);
                model.saveTorchScript(saved);
            }
        }
        String script = String.join("\n",
                "import sys, numpy as np",
                "try:",
                "    import torch",
                "except ImportError:",
                "    sys.exit(3)",
                "orig = torch.jit.load(sys.argv[1]); edited = torch.jit.load(sys.argv[2])",
                "p = dict(orig.named_parameters())",
                "groups = [(n, q.shape[0]) for n, q in orig.named_parameters() if n.endswith('weight') and q.dim() >= 2][:-1]",
                "starts = np.cumsum([0] + [s for _, s in groups])",
                "with torch.no_grad():",
                "    for flat in (3, 40, 100, 200):",
                "        g = int(np.searchsorted(starts, flat, side='right') - 1)",
                "        p[groups[g][0]][flat - starts[g]] = 0",
                "    x = torch.rand(16, 1, 28, 28, generator=torch.Generator().manual_seed(0))",
                "    d = (orig(x) - edited(x)).abs().max().item()",
                "print('max |logit difference|', d)",
                "sys.exit(0 if d < 1e-5 else 1)");
        Fixtures.Result check = Fixtures.python("-c", script, org.coar.workbench.model.ModelFixtures.demoModel().toString(),
                saved.toString());
        org.junit.jupiter.api.Assumptions.assumeTrue(check.exitCode() != 3, "torch not installed");
        assertEquals(0, check.exitCode(), check.output());
    }
}
