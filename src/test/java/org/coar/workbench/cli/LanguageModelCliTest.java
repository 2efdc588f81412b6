package org.coar.workbench.cli;

import static org.coar.workbench.cli.CoarRun.coar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole workflow on a language model from the command line: the tiny GPT-2 fixture (224
 * components under reference-gpt2) on 7 right-padded token sequences. The stored margins are
 * recomputed in PyTorch from the stored masks by tools/check_reference_store.py.
 */
class LanguageModelCliTest {

    @Test
    void initBuildFitEvaluateAndEditATinyGpt2(@TempDir Path tmp) throws Exception {
        Path lm = Fixtures.resource("lm/tiny_gpt2.pt").getParent();
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"num_models\": 300, \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": [224]}, "
                + "\"test_margins\": {\"dtype\": \"float16\", \"shape\": [7]}}}");
        Path store = tmp.resolve("store");
        assertEquals(0, coar("init", "--spec", spec.toString(), "--store", store.toString()).exitCode());
        String[] data = {"--model", lm.resolve("tiny_gpt2.pt").toString(), "--data", lm.resolve("tokens.npy").toString(),
            "--attention-mask", lm.resolve("attention_mask.npy").toString()};

        CoarRun byDefault = coar(concat(new String[] {"build", "--store", store.toString(), "--devices", "cpu"}, data));
        assertEquals(1, byDefault.exitCode());
        assertTrue(byDefault.err().contains("each row holds 224 mask entries, but --components default selects"), byDefault.err());
        assertTrue(byDefault.err().contains("--components reference-gpt2 selects 224"), byDefault.err());

        CoarRun build = coar(concat(new String[] {"build", "--store", store.toString(), "--devices", "cpu", "--components",
            "reference-gpt2", "--alpha", "0.1", "--batch-size", "4"}, data));
        assertEquals(0, build.exitCode(), build.err());
        assertTrue(build.out().contains("300 / 300 rows of this range completed"), build.out());
        RunConfig run = RunConfig.read(store);
        assertEquals("reference-gpt2", run.components());
        assertEquals("tokens", run.data().format());

        Fixtures.Result check = Fixtures.python(Fixtures.tool("check_reference_store.py").toString(), store.toString(), "--rows", "3");
        org.junit.jupiter.api.Assumptions.assumeFalse(check.output().contains("No module named 'torch'"), "PyTorch not installed");
        assertEquals(0, check.exitCode(), check.output());
        assertTrue(check.output().contains("\"rows_checked\": 3"), check.output());

        Path attributions = tmp.resolve("attributions");
        CoarRun fit = coar("fit", "--store", store.toString(), "--out", attributions.toString());
        assertEquals(0, fit.exitCode(), fit.err());
        CoarRun eval = coar("eval", "--store", store.toString(), "--attributions", attributions.toString(), "--runs", "5", "--devices",
                "cpu", "--baselines", "loo,grad-x-param,weight-norm");
        assertEquals(0, eval.exitCode(), eval.err());
        assertTrue(eval.out().contains("COAR") && eval.out().contains("leave-one-out") && eval.out().contains("gradient x parameter"),
                eval.out());
        CoarRun edit = coar("edit", "--store", store.toString(), "--attributions", attributions.toString(), "--target", "0",
                "--k", "3", "--devices", "cpu");
        assertEquals(0, edit.exitCode(), edit.err());
        assertTrue(edit.out().contains("Ablated 3 components"), edit.out());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
