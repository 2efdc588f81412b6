package org.coar.workbench.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.JobCancelledException;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.edit.EditMode;
import org.coar.workbench.edit.EditRequest;
import org.coar.workbench.edit.EditService;
import org.coar.workbench.fit.FitConfig;
import org.coar.workbench.fit.FitRequest;
import org.coar.workbench.fit.FitService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluation and editing refuse attributions fitted on another store or model of the same shape
 * unless forced (and the report says so); an evaluation's output is written all or nothing (issue 14).
 */
class AttributionsProvenanceTest {
    @TempDir
    static Path shared;
    private static Path storeA;
    private static Path storeB;
    private static Path fittedOnA;

    @BeforeAll
    static void twoStoresOfTheSameModelAndAFitOnTheFirst() {
        storeA = EvalFixtures.linearStore(shared.resolve("a"), 40);
        storeB = EvalFixtures.linearStore(shared.resolve("b"), 40);
        fittedOnA = shared.resolve("fitted-on-a");
        new FitService().fit(new FitRequest(storeA, fittedOnA, FitConfig.defaults()), p -> { }, new Cancellation());
    }

    private static EvaluationRequest evaluation(Path store, Path attributions, Path out, boolean force) {
        return new EvaluationRequest(store, attributions, out, List.of(0.1), 5, null, EnumSet.noneOf(Baseline.class), List.of("cpu"), 1,
                64, null, force);
    }

    private static JsonNode report(Path dir) throws IOException {
        return new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theFitRecordsTheStoresIdentityAndTheModelsSha256() throws IOException {
        JsonNode store = report(fittedOnA).get("store");
        RunConfig run = RunConfig.read(storeA);
        assertEquals(storeA.toAbsolutePath().normalize().toString(), store.get("dir").asText());
        assertEquals(run.created(), store.get("run_created").asText());
        assertEquals(RunConfig.sha256(EvalFixtures.linearModel()), store.get("model_sha256").asText());
    }

    @Test
    void theFitEvaluationAndEditReportsStartWithOneProvenanceHeader(@TempDir Path tmp) throws IOException {
        new EvaluationService().evaluate(evaluation(storeA, fittedOnA, tmp.resolve("eval"), false), p -> { }, new Cancellation());
        new EditService().edit(new EditRequest(storeA, fittedOnA, "0", "rest", 2, EditMode.TOPK, null, null, tmp.resolve("edit"),
                List.of("cpu"), 1, 64), p -> { }, new Cancellation());
        String store = storeA.toAbsolutePath().normalize().toString();
        String model = EvalFixtures.linearModel().toString();
        String sha = RunConfig.sha256(EvalFixtures.linearModel());
        List<String> fields = List.of("format", "version", "workbench_version", "store", "model", "model_sha256", "settings", "created");
        // Each format's version: attributions 2; evaluation 3 (it saves every method's predictions); edit 3 (per-example margins).
        for (Object[] expected : new Object[][] {{fittedOnA, "coar-attributions", 2}, {tmp.resolve("eval"), "coar-workbench/evaluation", 3},
                                                 {tmp.resolve("edit"), "coar-workbench/edit", 3}}) {
            int version = (Integer) expected[2];
            JsonNode report = report((Path) expected[0]);
            JsonNode header = report.get("provenance");
            assertEquals(fields, iterable(header.fieldNames()), expected[1] + ": the header's fields, in order");
            assertEquals(expected[1] + "/" + version, report.get("format").asText());
            assertEquals(expected[1], header.get("format").asText());
            assertEquals(version, header.get("version").asInt());
            assertEquals(org.coar.workbench.Version.workbench(), header.get("workbench_version").asText());
            assertEquals(store, header.get("store").asText());
            assertEquals(model, header.get("model").asText());
            assertEquals(sha, header.get("model_sha256").asText());
            assertEquals(report.get("created").asText(), header.get("created").asText());
            assertEquals(new org.coar.workbench.Provenance((String) expected[1], version, org.coar.workbench.Version.workbench(), store, model,
                    sha, org.coar.workbench.Provenance.read(report).settings(), header.get("created").asText()),
                    org.coar.workbench.Provenance.read(report));
        }
        JsonNode fit = report(fittedOnA).get("provenance").get("settings");
        assertEquals("ols", fit.get("workbench.solver").asText());
        assertEquals(report(fittedOnA).get("config"), fit, "the fit's settings are its config, which version 1 kept under config");
        JsonNode evaluation = report(tmp.resolve("eval")).get("provenance").get("settings");
        assertEquals("[0.1]", evaluation.get("alphas").toString());
        assertEquals(5, evaluation.get("runs").asInt());
        assertEquals(fittedOnA.toAbsolutePath().normalize().toString(), evaluation.get("attributions").asText());
        JsonNode edit = report(tmp.resolve("edit")).get("provenance").get("settings");
        assertEquals(List.of("0", "rest", "2", "topk"), List.of(edit.get("target").asText(), edit.get("reference").asText(),
                edit.get("k").asText(), edit.get("mode").asText()));
        // the fields version 1 began with stay where its readers look for them
        assertEquals(store, report(tmp.resolve("edit")).get("store").asText());
        assertEquals(sha, report(tmp.resolve("eval")).get("model_sha256").asText());
        assertEquals(store, report(fittedOnA).get("store").get("dir").asText());
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    @Test
    void evaluationRefusesAttributionsOfAnotherStoreNamingBothUnlessForced(@TempDir Path tmp) throws IOException {
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> new EvaluationService().evaluate(
                evaluation(storeB, fittedOnA, tmp.resolve("eval"), false), p -> { }, new Cancellation()));
        assertTrue(e.getMessage().contains("these attributions were fitted on the store " + storeA.toAbsolutePath().normalize())
                && e.getMessage().contains(", not " + storeB.toAbsolutePath().normalize()) && e.getMessage().contains("--force-attributions"),
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("eval")), "nothing written");

        EvaluationResult forced = new EvaluationService().evaluate(evaluation(storeB, fittedOnA, tmp.resolve("eval"), true), p -> { },
                new Cancellation());
        assertTrue(report(forced.outDir()).get("attributions_fitted_on").asText().startsWith("FORCED (--force-attributions) despite a "
                + "mismatch: "), report(forced.outDir()).toString());

        EvaluationResult own = new EvaluationService().evaluate(evaluation(storeA, fittedOnA, tmp.resolve("own"), false), p -> { },
                new Cancellation());
        assertEquals("same store and model as the fit", report(own.outDir()).get("attributions_fitted_on").asText());
    }

    @Test
    void aStoreMovedElsewhereIsStillTheStoreTheAttributionsWereFittedOn(@TempDir Path tmp) throws IOException {
        Path moved = tmp.resolve("moved");
        try (Stream<Path> files = Files.walk(storeA)) {
            for (Path from : files.toList()) {
                Path to = moved.resolve(storeA.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else if (!from.startsWith(storeA.resolve("attributions"))) {
                    Files.copy(from, to);
                }
            }
        }
        EvaluationResult result = new EvaluationService().evaluate(evaluation(moved, fittedOnA, tmp.resolve("eval"), false), p -> { },
                new Cancellation());
        assertEquals("same store and model as the fit", report(result.outDir()).get("attributions_fitted_on").asText());
    }

    @Test
    void editRefusesAttributionsOfAnotherModelNamingBothHashes(@TempDir Path tmp) throws IOException {
        Path tampered = tmp.resolve("other-model");
        Files.createDirectories(tampered);
        try (Stream<Path> files = Files.list(fittedOnA)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, tampered.resolve(f.getFileName().toString()));
            }
        }
        ObjectNode report = (ObjectNode) report(tampered);
        ((ObjectNode) report.get("store")).put("model_sha256", "0".repeat(64));
        new ObjectMapper().writeValue(tampered.resolve("report.json").toFile(), report);

        EditRequest request = new EditRequest(storeA, tampered, "0", "rest", 1, EditMode.TOPK, null, null, tmp.resolve("edit"),
                List.of("cpu"), 1, 64);
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> new EditService().edit(request, p -> { }, new Cancellation()));
        assertTrue(e.getMessage().contains("fitted on the model with SHA-256 " + "0".repeat(64) + ", not "
                + RunConfig.sha256(EvalFixtures.linearModel())), e.getMessage());
    }

    @Test
    void forcedEditRecordsItInItsReport(@TempDir Path tmp) throws IOException {
        EditRequest forced = new EditRequest(storeB, fittedOnA, "0", "rest", 1, EditMode.TOPK, null, null, tmp.resolve("edit"),
                List.of("cpu"), 1, 64, true);
        new EditService().edit(forced, p -> { }, new Cancellation());
        assertTrue(report(tmp.resolve("edit")).get("attributions_fitted_on").asText().startsWith("FORCED"), report(tmp.resolve("edit")).toString());
    }

    @Test
    void aCancelledEvaluationLeavesTheEarlierOneWholeAndNoLeftovers(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("eval");
        new EvaluationService().evaluate(evaluation(storeA, fittedOnA, out, false), p -> { }, new Cancellation());
        List<String> before = entries(out);
        byte[] reportBefore = Files.readAllBytes(out.resolve("report.json"));

        Cancellation cancel = new Cancellation();
        assertThrows(JobCancelledException.class, () -> new EvaluationService().evaluate(evaluation(storeA, fittedOnA, out, false), p -> {
            if (p.stage().startsWith("ablat") || p.stage().contains("alpha")) {
                cancel.cancel();
            }
        }, cancel));
        assertEquals(before, entries(out));
        assertTrue(java.util.Arrays.equals(reportBefore, Files.readAllBytes(out.resolve("report.json"))), "the earlier report is kept");
        assertEquals(List.of("eval"), entries(tmp), "no staging directory is left beside it");

        EvaluationResult again = new EvaluationService().evaluate(evaluation(storeA, fittedOnA, out, false), p -> { }, new Cancellation());
        assertEquals(before, entries(again.outDir()), "a finished evaluation replaces the earlier one whole");
        assertEquals(List.of("eval"), entries(tmp));
    }

    @Test
    void anOutputDirectoryHoldingOtherFilesIsRefusedBeforeAnyWork(@TempDir Path tmp) throws IOException {
        Path out = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(out.resolve("notes.txt"), "keep me");
        List<String> stages = new java.util.ArrayList<>();
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> new EvaluationService().evaluate(
                evaluation(storeA, fittedOnA, out, false), p -> stages.add(p.stage()), new Cancellation()));
        assertTrue(e.getMessage().startsWith(out + ": exists and holds other files than an earlier result"), e.getMessage());
        assertEquals(List.of(), stages, "refused before any model ran");
        assertEquals(List.of("notes.txt"), entries(out));
    }
}
