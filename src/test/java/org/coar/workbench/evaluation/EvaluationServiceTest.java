package org.coar.workbench.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import javax.imageio.ImageIO;
import org.coar.workbench.job.Progress;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.attributions.AttributionsFixture;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.JobCancelledException;
import org.coar.workbench.store.RowMasks;
import org.coar.workbench.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.coar.workbench.store.RunConfig;

/** Evaluation on the exactly linear fixture model, where every exact method must correlate perfectly. */
class EvaluationServiceTest {
    static final int P = EvalFixtures.LINEAR_COMPONENTS;
    static final int M = EvalFixtures.LINEAR_EXAMPLES;
    static final long STORE_SEED = EvalFixtures.LINEAR_STORE_SEED;

    static EvaluationRequest request(Path store, Path attributions, Path out, List<Double> alphas, int runs) {
        return new EvaluationRequest(store, attributions, out, alphas, runs, null, EnumSet.allOf(Baseline.class), List.of("cpu"), 2,
                64, null);
    }

    @Test
    void exactlyLinearModelGivesCorrelationOneForCoarLeaveOneOutAndGradientTimesParameter(@TempDir Path tmp) throws IOException {
        Path store = EvalFixtures.linearStore(tmp, 40);
        Path attributions = EvalFixtures.exactAttributions(tmp);
        Path out = tmp.resolve("eval");
        List<Progress> events = new ArrayList<>();
        EvaluationResult result = new EvaluationService().evaluate(request(store, attributions, out, List.of(0.05, 0.2), 12),
                events::add, new Cancellation());

        assertEquals(List.of("COAR", "leave-one-out", "gradient x parameter", "weight norm"), result.methods());
        for (EvaluationResult.AlphaResult a : result.alphas()) {
            for (String exact : List.of("COAR", "leave-one-out", "gradient x parameter")) {
                Correlation.Summary s = a.byMethod().get(exact);
                assertTrue(s.min() > 0.9999, exact + " at alpha " + a.alpha() + ": " + s);
                assertEquals(M, s.count() + s.undefined());
            }
            assertTrue(a.byMethod().get("weight norm").mean() < 0.99, "weight norm is not exact: " + a.byMethod().get("weight norm"));
        }
        // Validation rows 30..39 of the store, predictions only.
        assertEquals(10, result.validation().rows());
        assertFalse(result.validation().inSample());
        assertTrue(result.validation().summary().min() > 0.9999, result.validation().toString());

        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(STORE_SEED ^ 0x6576616c75617465L, report.at("/masks/evaluation_seed").asLong());
        assertEquals(2, report.get("results").size());
        assertTrue(report.at("/results/0/correlation/COAR/mean").asDouble() > 0.9999);
        assertEquals(16, report.at("/baselines/leave-one-out/rows_computed").asInt());
        for (String png : List.of("correlation_histograms.png", "correlation_vs_alpha.png", "scatter_example_" + result.scatterExample() + ".png")) {
            BufferedImage image = ImageIO.read(out.resolve(png).toFile());
            assertTrue(image.getWidth() >= 600 && image.getHeight() >= 400, png);
        }
        // The report reads back as the result the evaluation returned (the GUI shows earlier evaluations this way).
        EvaluationResult reread = EvaluationFiles.read(out);
        assertEquals(result.methods(), reread.methods());
        assertEquals(result.alphas(), reread.alphas());
        assertEquals(result.validation(), reread.validation());
        assertEquals(List.of(result.evaluationSeed(), (long) result.runs(), (long) result.scatterExample()),
                List.of(reread.evaluationSeed(), (long) reread.runs(), (long) reread.scatterExample()));
        assertEquals(result.figures(), reread.figures());
        assertTrue(Files.exists(out.resolve("correlation_coar.npy")));
        assertTrue(Files.exists(out.resolve("outputs_alpha_0.05.npy")));
        // Version 3 keeps every method's predictions, so the window can plot any example: they give back the saved correlations.
        assertEquals("coar-workbench/evaluation/3", report.get("format").asText());
        EvaluationFiles.ExampleRuns example = EvaluationFiles.readExample(reread, 1);
        assertEquals(result.methods(), List.copyOf(example.predicted().keySet()));
        EvaluationFiles.Correlations saved = EvaluationFiles.readCorrelations(reread);
        for (String method : result.methods()) {
            for (int a = 0; a < 2; a++) {
                assertEquals(12, example.predicted().get(method)[a].length);
                assertEquals(saved.byMethod().get(method)[a][1], Correlation.pearson(example.actual()[a], example.predicted().get(method)[a]),
                        1e-5, method + " at alpha " + a);
            }
        }
        assertTrue(events.stream().anyMatch(e -> e.stage().equals("leave-one-out") && e.done() == 16));

        // The fresh masks are what the report says, and none is a store row's mask.
        boolean[] run3 = EvaluationService.runMask(result.evaluationSeed(), 0.2, 3, P);
        try (Store opened = Store.open(store, false)) {
            for (long row = 0; row < 40; row++) {
                assertFalse(java.util.Arrays.equals(RowMasks.keepMask(STORE_SEED, row, P, 0.1), run3));
            }
        }

        // A second evaluation takes the leave-one-out rows from the cache.
        EvaluationResult again = new EvaluationService().evaluate(request(store, attributions, tmp.resolve("eval2"), List.of(0.1), 5),
                e -> { }, new Cancellation());
        JsonNode second = new ObjectMapper().readTree(tmp.resolve("eval2/report.json").toFile());
        assertEquals(16, second.at("/baselines/leave-one-out/rows_from_cache").asInt());
        assertEquals(0, second.at("/baselines/leave-one-out/rows_computed").asInt());
        assertTrue(again.alphas().getFirst().byMethod().get("leave-one-out").min() > 0.9999);
    }

    @Test
    void cancellingDuringLeaveOneOutKeepsTheFinishedRowsForTheNextEvaluation(@TempDir Path tmp) throws IOException {
        Path store = EvalFixtures.linearStore(tmp, 4);
        Path attributions = EvalFixtures.exactAttributions(tmp);
        Cancellation cancel = new Cancellation();
        assertThrows(JobCancelledException.class, () -> new EvaluationService().evaluate(request(store, attributions,
                tmp.resolve("eval"), List.of(0.05), 5), e -> {
                    if (e.stage().equals("leave-one-out") && e.done() >= 5) {
                        cancel.cancel();
                    }
                }, cancel));
        assertFalse(Files.exists(tmp.resolve("eval")), "a cancelled evaluation writes no report");
        new EvaluationService().evaluate(request(store, attributions, tmp.resolve("eval"), List.of(0.05), 5), e -> { }, new Cancellation());
        JsonNode report = new ObjectMapper().readTree(tmp.resolve("eval/report.json").toFile());
        int cached = report.at("/baselines/leave-one-out/rows_from_cache").asInt();
        assertTrue(cached >= 5 && cached < 16, "rows finished before the cancel are reused: " + cached);
        assertEquals(16, cached + report.at("/baselines/leave-one-out/rows_computed").asInt());
    }

    @Test
    void demoCnnWithAttributionsFittedByNumpyBeatsTheWeightNormBaseline(@TempDir Path tmp) throws Exception {
        // The real demo CNN on 64 examples: 300 rows at alpha 0.05, least squares by tools/fit_least_squares.py.
        Path store = tmp.resolve("store");
        Store.create(store, new org.coar.workbench.spec.SpecCodec().parse("{\"num_models\": 300, \"schema\": {\"masks\": "
                + "{\"dtype\": \"bool_\", \"shape\": [240]}, \"margins\": {\"dtype\": \"float16\", \"shape\": [64]}}}", "spec"));
        org.coar.workbench.ablation.BuildService build = new org.coar.workbench.ablation.BuildService();
        RunConfig run = build.resolveRun(store, RunConfig.builder()
                .optModel(org.coar.workbench.model.ModelFixtures.demoModel().toString())
                .optData(org.coar.workbench.model.ModelFixtures.demoDataSpec(64)).optAlpha(0.05).optSeed(0L).build());
        build.build(new org.coar.workbench.ablation.BuildRequest(store, run, List.of("cpu"), 0, null, null, null, 64, false,
                java.time.Duration.ofHours(1)), p -> { }, new org.coar.workbench.job.Cancellation());
        Path attributions = tmp.resolve("attributions");
        org.coar.workbench.testing.Fixtures.Result fit = org.coar.workbench.testing.Fixtures.python(
                org.coar.workbench.testing.Fixtures.tool("fit_least_squares.py").toString(), store.toString(), attributions.toString(),
                "--train", "260");
        assertEquals(0, fit.exitCode(), fit.output());

        EvaluationResult result = new EvaluationService().evaluate(new EvaluationRequest(store, attributions, tmp.resolve("eval"),
                List.of(0.05), 10, null, EnumSet.allOf(Baseline.class), List.of("cpu"), 0, 64, null), e -> { }, new Cancellation());
        Correlation.Summary coar = result.alphas().getFirst().byMethod().get("COAR");
        Correlation.Summary weightNorm = result.alphas().getFirst().byMethod().get("weight norm");
        assertTrue(coar.mean() > 0.6, "COAR on fresh ablations: " + coar);
        assertTrue(coar.mean() > weightNorm.mean() + 0.2, coar + " vs " + weightNorm);
        assertEquals(40, result.validation().rows(), "the 40 rows the numpy fit held out");
        assertTrue(result.validation().summary().mean() > 0.6, result.validation().toString());
        assertTrue(result.alphas().getFirst().byMethod().get("leave-one-out").mean() > 0.6);
        assertTrue(result.alphas().getFirst().byMethod().get("gradient x parameter").mean() > 0.5);
    }

    @Test
    void attributionsOfAnotherStoreOrBadSettingsAreRefusedBeforeAnyModelRun(@TempDir Path tmp) {
        Path store = EvalFixtures.linearStore(tmp, 4);
        double[][] moments = AttributionsFixture.moments(P - 1, 0.1);
        float[][] fewer = java.util.Arrays.copyOf(EvalFixtures.matrix("linear_effects.npy"), P - 1);
        Path wrongComponents = AttributionsFixture.write(tmp.resolve("a15"), fewer, EvalFixtures.vector("linear_constant.npy"),
                moments[0], moments[1], null);
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> new EvaluationService().evaluate(
                request(store, wrongComponents, tmp.resolve("out"), List.of(0.05), 5), p -> { }, new Cancellation()));
        assertTrue(e.getMessage().contains("attributions for 15 components, but the store " + store + " has 16"), e.getMessage());

        float[][] raw = EvalFixtures.matrix("linear_effects.npy");
        float[][] fewerExamples = new float[P][];
        for (int c = 0; c < P; c++) {
            fewerExamples[c] = java.util.Arrays.copyOf(raw[c], M - 4);
        }
        double[][] m16 = AttributionsFixture.moments(P, 0.1);
        Path wrongExamples = AttributionsFixture.write(tmp.resolve("m60"), fewerExamples,
                java.util.Arrays.copyOf(EvalFixtures.vector("linear_constant.npy"), M - 4), m16[0], m16[1], null);
        e = assertThrows(WorkbenchException.class, () -> new EvaluationService().evaluate(
                request(store, wrongExamples, tmp.resolve("out"), List.of(0.05), 5), p -> { }, new Cancellation()));
        assertTrue(e.getMessage().contains("attributions for 60 examples, but the store " + store + " records 64"), e.getMessage());

        Path good = EvalFixtures.exactAttributions(tmp);
        e = assertThrows(WorkbenchException.class, () -> new EvaluationService().evaluate(
                request(store, good, tmp.resolve("out"), List.of(0.05, 1.5), 5), p -> { }, new Cancellation()));
        assertTrue(e.getMessage().startsWith("--alphas: each ablated fraction must be in (0, 1), got 1.5"), e.getMessage());
        e = assertThrows(WorkbenchException.class, () -> new EvaluationService().evaluate(
                request(store, good, tmp.resolve("out"), List.of(0.05), 2), p -> { }, new Cancellation()));
        assertTrue(e.getMessage().startsWith("--runs: a correlation over runs needs at least 3"), e.getMessage());
        EvaluationRequest example = new EvaluationRequest(store, good, tmp.resolve("out"), List.of(0.05), 5, null,
                EnumSet.noneOf(Baseline.class), List.of("cpu"), 1, 64, 64);
        e = assertThrows(WorkbenchException.class, () -> new EvaluationService().evaluate(example, p -> { }, new Cancellation()));
        assertTrue(e.getMessage().startsWith("--example 64 is outside 0..63"), e.getMessage());
    }

    @Test
    void aMistypedAttributionsDirectoryIsReportedAsMissingAndNotCreated(@TempDir Path tmp) {
        Path store = EvalFixtures.linearStore(tmp, 4);
        Path missing = tmp.resolve("no-such-attributions");
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> new EvaluationService().evaluate(
                request(store, missing, missing.resolve("eval"), List.of(0.05), 5), p -> { }, new Cancellation()));
        assertTrue(e.getMessage().startsWith(missing + ": no such attributions directory"), e.getMessage());
        assertFalse(java.nio.file.Files.exists(missing), "the default --out inside it must not be created");
    }
}
