package org.coar.workbench.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.coar.workbench.Provenance;
import org.coar.workbench.attributions.Attributions;
import org.coar.workbench.attributions.FitSplit;
import org.coar.workbench.attributions.FittedOn;
import org.coar.workbench.evaluation.EvaluationResult;
import org.coar.workbench.edit.EditFiles;
import org.coar.workbench.edit.EditMode;
import org.coar.workbench.edit.EditResult;
import org.coar.workbench.evaluation.EvaluationFiles;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files as the workbench wrote them before the provenance header (src/test/resources/formats/v1:
 * the 16-component, 64-example linear fixture model, a 40-row store at α = 0.1, an OLS fit on 30 + 10
 * rows, a 4-run evaluation at α = 0.1, an edit of example 0). Every later version must still read
 * them; the expected values were read from the files by hand (numpy, a text editor).
 */
class VersionOneFormatsTest {
    static final Path V1 = Fixtures.resource("formats/v1");
    static final String SHA = "f6ac85a32961d1b06a6c6abc7ca91c4541950f8011a14ad98759e9d92623898f";
    static final String RUN_CREATED = "2026-12-02T02:36:51.941115563Z";
    static final String STORE = "/tmp/coar-v1-capture/store";
    static final String MODEL = "/work/wt/formats/target/test-classes/eval/linear.pt";

    @Test
    void runJsonOfVersionOneReadsWithEverySetting() {
        RunConfig run = RunConfig.read(V1);
        assertEquals("/work/wt/formats/target/test-classes/eval/linear.pt", run.model());
        assertEquals(SHA, run.modelSha256());
        assertEquals("npy", run.data().format());
        assertEquals("margin", run.output());
        assertEquals("masks", run.maskArray());
        assertEquals("margins", run.outputArray());
        assertEquals(0.1, run.alpha());
        assertEquals(7L, run.seed());
        assertEquals(List.of(), run.include());
        assertEquals(RUN_CREATED, run.created());
        assertEquals("0.1.0-SNAPSHOT", run.workbenchVersion());
        assertEquals("default", run.components());
        assertEquals(Boolean.FALSE, run.autocast());
    }

    @Test
    void attributionsDirectoryOfVersionOneLoadsAndPredicts() {
        try (Attributions a = Attributions.load(V1.resolve("attributions"))) {
            assertEquals(16, a.components());
            assertEquals(64, a.examples());
            // raw_weight.npy[0, 0] and [15, 63]
            assertEquals(-0.45086738f, a.rawColumn(0)[0], 1e-7f);
            assertEquals(-5.6565714f, a.rawColumn(63)[15], 1e-6f);
            // ((x - mask_mean) / mask_std) . weight[:, j] + bias[j], evaluated in numpy in float64
            boolean[] all = new boolean[16];
            Arrays.fill(all, true);
            float[] kept = a.predict(all);
            assertEquals(-15.37224041f, kept[0], 1e-4f);
            assertEquals(0.97044966f, kept[1], 1e-4f);
            assertEquals(3.41177993f, kept[2], 1e-4f);
            all[0] = false;
            all[5] = false;
            float[] ablated = a.predict(all);
            assertEquals(-14.82085142f, ablated[0], 1e-4f);
            assertEquals(1.46379405f, ablated[1], 1e-4f);
            assertEquals(List.of("a.weight", "b.weight"), a.componentList().orElseThrow().groups().stream().map(g -> g.name()).toList());

            FitSplit split = a.split();
            assertEquals(30L, split.trainCount());
            assertEquals(10L, split.validationCount());
            assertEquals(40L, split.finalFitCount());
            assertTrue(split.method().startsWith("ordered"), split.method());

            FittedOn fitted = FittedOn.from(a.report());
            assertEquals(new FittedOn("/tmp/coar-v1-capture/store", RUN_CREATED, SHA), fitted);
            assertEquals("coar-attributions/1", a.report().get("format").asText());
            assertEquals("ols", a.report().get("solver").get("name").asText());
        }
    }

    @Test
    void evaluationReportOfVersionOneReadsBack() {
        Path dir = V1.resolve("evaluation");
        EvaluationResult result = EvaluationFiles.read(dir);
        assertEquals(List.of("COAR"), result.methods());
        assertEquals(5L, result.evaluationSeed());
        assertEquals(4, result.runs());
        assertEquals(3, result.scatterExample());
        assertEquals(1, result.alphas().size());
        EvaluationResult.AlphaResult alpha = result.alphas().getFirst();
        assertEquals(0.1, alpha.alpha());
        assertEquals(-4051101078492233769L, alpha.maskSeed());
        assertEquals(0.9999999999986802, alpha.byMethod().get("COAR").mean());
        assertEquals(0.9999999999706618, alpha.byMethod().get("COAR").min());
        assertEquals(64, alpha.byMethod().get("COAR").count());
        assertEquals(10, result.validation().rows());
        assertTrue(result.validation().inSample());
        assertEquals(List.of(dir.resolve("correlation_histograms.png"), dir.resolve("correlation_vs_alpha.png"),
                dir.resolve("scatter_example_3.png")), result.figures());
    }

    @Test
    void provenanceOfAVersionOneFitReportComesFromItsVersionsStoreAndConfig() {
        try (Attributions a = Attributions.load(V1.resolve("attributions"))) {
            Provenance p = a.provenance().orElseThrow();
            assertEquals("coar-attributions", p.format());
            assertEquals(1, p.version());
            assertEquals("0.1.0-SNAPSHOT", p.workbenchVersion());
            assertEquals(STORE, p.store());
            assertNull(p.model(), "a version-1 fit report names the store, not the model file");
            assertEquals(SHA, p.modelSha256());
            assertEquals("30", p.settings().get("data.num_train"));
            assertEquals("ols", p.settings().get("workbench.solver"));
            assertEquals("2026-12-02T02:36:59.376754690Z", p.created());
        }
    }

    @Test
    void provenanceOfVersionOneEvaluationAndEditReportsComesFromTheirTopLevelFields() throws IOException {
        Provenance evaluation = Provenance.read(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                V1.resolve("evaluation/report.json").toFile()));
        assertEquals(new Provenance("coar-workbench/evaluation", 1, "0.1.0-SNAPSHOT", STORE, MODEL, SHA, java.util.Map.of(),
                "2026-12-02T02:37:03.255133533Z"), evaluation);
        assertEquals(new Provenance("coar-workbench/edit", 1, "0.1.0-SNAPSHOT", STORE, MODEL, SHA, java.util.Map.of(),
                "2026-12-02T02:37:03.808695976Z"), EditFiles.read(V1.resolve("edit")).provenance());
    }

    @Test
    void editReportOfVersionOneReadsBack() {
        EditFiles.Report edit = EditFiles.read(V1.resolve("edit"));
        assertEquals(EditMode.TOPK, edit.mode());
        assertEquals(2, edit.k());
        assertArrayEquals(new int[] {0}, edit.target());
        assertEquals(List.of(new EditResult.AblatedComponent(9, "a #9", 7.988893497813669),
                new EditResult.AblatedComponent(4, "a #4", 3.592833183099219)), edit.ablated());
        assertEquals(new EditResult.SubsetMetrics(1, 0.0, -15.37224006652832), edit.before().target());
        assertEquals(new EditResult.SubsetMetrics(64, 0.984375, 6.178756006062031), edit.before().all());
        assertEquals(new EditResult.SubsetMetrics(1, 0.0, -16.276161193847656), edit.after().target());
    }

    @Test
    void aVersionOneEvaluationDirectoryCountsAsAnEarlierEvaluationThatANewOneMayReplace(@TempDir Path tmp) throws IOException {
        Path copy = Files.createDirectories(tmp.resolve("eval"));
        try (var files = Files.list(V1.resolve("evaluation"))) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        assertTrue(EvaluationFiles.isEarlierEvaluation(copy));
        Files.writeString(copy.resolve("notes.txt"), "mine");
        assertTrue(!EvaluationFiles.isEarlierEvaluation(copy), "a directory with other files is never replaced");
    }
}
