package org.coar.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.coar.workbench.attributions.AttributionsFixture;
import org.coar.workbench.evaluation.EvalFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'coar eval' and 'coar edit' on the linear fixture: output, exit codes and messages for bad input. */
class EvalEditCliTest {

    @Test
    void evalPrintsTheCorrelationTableAndWritesTheReport(@TempDir Path tmp) {
        Path store = EvalFixtures.linearStore(tmp, 20);
        Path attributions = EvalFixtures.exactAttributions(tmp);
        CoarRun run = CoarRun.coar("eval", "--store", store.toString(), "--attributions", attributions.toString(), "--alphas",
                "0.05,0.1", "--runs", "6", "--baselines", "weight-norm", "--devices", "cpu", "--cpu-workers", "1");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("alpha    | COAR                   | weight norm"), run.out());
        assertTrue(run.out().contains("0.05     | 1.000 (median 1.000)"), run.out());
        assertTrue(Files.exists(attributions.resolve("eval/report.json")), "default --out is ATTRIBUTIONS/eval");
        assertTrue(run.out().contains("correlation_vs_alpha.png"), run.out());
    }

    @Test
    void editPrintsBeforeAndAfter(@TempDir Path tmp) {
        Path store = EvalFixtures.linearStore(tmp, 2);
        Path attributions = EvalFixtures.exactAttributions(tmp);
        CoarRun run = CoarRun.coar("edit", "--store", store.toString(), "--attributions", attributions.toString(), "--target",
                "misclassified", "--k", "2", "--mode", "bottomk", "--devices", "cpu", "--cpu-workers", "1");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("Ablated 2 components (bottomk): a #3, b #2"), run.out());
        assertTrue(run.out().contains("target (1)               acc 0.000"), run.out());
        assertTrue(Files.exists(attributions.resolve("edit/report.json")));
    }

    @Test
    void editComponentsAblatesExactlyTheListedSetAndBadIndicesAreRefused(@TempDir Path tmp) {
        Path store = EvalFixtures.linearStore(tmp, 2);
        Path attributions = EvalFixtures.exactAttributions(tmp);
        String[] common = {"--store", store.toString(), "--attributions", attributions.toString(), "--devices", "cpu", "--cpu-workers", "1"};

        CoarRun run = CoarRun.coar(concat(new String[] {"edit", "--components", "3, 12", "--target", "0"}, common));
        assertEquals(0, run.exitCode(), run.err());
        // components 3 and 12 are the two that hold example 0 wrong (the fixture's plant): ablating them fixes it
        assertTrue(run.out().contains("Ablated 2 components (explicit): a #3, b #2"), run.out());
        assertTrue(run.out().contains("target (1)               acc 0.000, margin") && run.out().contains("acc 1.000"), run.out());
        assertTrue(Files.exists(attributions.resolve("edit/margins.csv")));

        CoarRun noTarget = CoarRun.coar(concat(new String[] {"edit", "--components", "3"}, common));
        assertEquals(0, noTarget.exitCode(), noTarget.err());
        assertTrue(noTarget.out().contains("reference (64)"), noTarget.out());

        CoarRun word = CoarRun.coar(concat(new String[] {"edit", "--components", "3,x"}, common));
        assertEquals(2, word.exitCode(), "a usage error");
        assertTrue(word.err().contains("--components: 'x' is not a component index; list mask indices (whole numbers from 0) separated "
                + "by commas, e.g. --components 3,17,40"), word.err());
        CoarRun negative = CoarRun.coar(concat(new String[] {"edit", "--components", "-1"}, common));
        assertEquals(2, negative.exitCode());
        assertTrue(negative.err().contains("--components: '-1' is not a component index"), negative.err());
        CoarRun withK = CoarRun.coar(concat(new String[] {"edit", "--components", "3", "--k", "2"}, common));
        assertEquals(2, withK.exitCode());
        assertTrue(withK.err().contains("--components ablates exactly the listed components, so it does not go with --k"), withK.err());
        CoarRun range = CoarRun.coar(concat(new String[] {"edit", "--components", "3,16"}, common));
        assertEquals(1, range.exitCode());
        assertTrue(range.err().contains("error: --components: component 16 is out of range; the model has 16 components (mask indices 0..15)"),
                range.err());
        CoarRun neither = CoarRun.coar(concat(new String[] {"edit", "--target", "0"}, common));
        assertEquals(2, neither.exitCode());
        assertTrue(neither.err().contains("give --target and --k"), neither.err());
    }

    @Test
    void badInputExitsOneNamingTheProblem(@TempDir Path tmp) throws Exception {
        Path store = EvalFixtures.linearStore(tmp, 2);
        Path attributions = EvalFixtures.exactAttributions(tmp);
        String[] common = {"--store", store.toString(), "--attributions", attributions.toString(), "--devices", "cpu"};

        CoarRun range = CoarRun.coar(concat(new String[] {"edit", "--target", "70", "--k", "2"}, common));
        assertEquals(1, range.exitCode());
        assertTrue(range.err().strip().endsWith("error: --target: example 70 is out of range; the evaluation data has 64 examples (0..63)"),
                range.err());
        assertTrue(!range.err().contains("replicas"), "refused before loading the model: " + range.err());

        CoarRun empty = CoarRun.coar(concat(new String[] {"edit", "--target", "label:9", "--k", "2"}, common));
        assertEquals(1, empty.exitCode());
        assertTrue(empty.err().contains("--target label:9: selects no example (of 64)"), empty.err());

        CoarRun k = CoarRun.coar(concat(new String[] {"edit", "--target", "0", "--k", "99"}, common));
        assertEquals(1, k.exitCode());
        assertTrue(k.err().contains("--k 99: choose between 1 and 16"), k.err());

        CoarRun mode = CoarRun.coar(concat(new String[] {"edit", "--target", "0", "--k", "1", "--mode", "sideways"}, common));
        assertEquals(1, mode.exitCode());
        assertTrue(mode.err().contains("--mode: unknown mode 'sideways'"), mode.err());

        Files.delete(attributions.resolve("bias.npy"));
        CoarRun missing = CoarRun.coar(concat(new String[] {"eval", "--runs", "5"}, common));
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("not a complete attributions directory, missing bias.npy"), missing.err());
        AttributionsFixture.vector(attributions.resolve("bias.npy"), new double[64]);

        CoarRun baseline = CoarRun.coar(concat(new String[] {"eval", "--baselines", "shapley"}, common));
        assertEquals(1, baseline.exitCode());
        assertTrue(baseline.err().contains("--baselines: unknown baseline 'shapley'; use loo, grad-x-param, weight-norm or none"),
                baseline.err());

        CoarRun unbuilt = CoarRun.coar("eval", "--store", tmp.resolve("nothing").toString(), "--attributions",
                attributions.toString());
        assertEquals(1, unbuilt.exitCode());
        assertTrue(unbuilt.err().contains("no such store directory"), unbuilt.err());

        assertEquals(2, CoarRun.coar("edit", "--store", store.toString()).exitCode(), "missing required options");
        CoarRun help = CoarRun.coar("eval", "--help");
        assertTrue(help.out().contains("--alphas=A") && help.out().contains("--baselines=LIST"), help.out());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
