package org.coar.workbench.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.spec.StoreSpec;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The language-model demo as `coar demo --lm` unpacks it, its clean margins checked against PyTorch. */
class LanguageModelDemoTest {

    @Test
    void unpacksASpecOfTheReferenceGpt2WidthAndItsCleanMarginsEqualPyTorch(@TempDir Path dir) throws Exception {
        DemoProject demo = DemoProject.languageModel(dir);
        assertTrue(demo.prepare(50));
        StoreSpec spec = new SpecCodec().read(demo.spec());
        assertEquals(50, spec.numModels());
        // 2 layers x (c_attn 64 + attn.c_proj 64 + c_fc 64 + mlp.c_proj 256), the reference's GPT-2 selection
        assertEquals(java.util.List.of(896L), spec.schema().get("masks").shape());
        assertEquals(java.util.List.of(100L), spec.schema().get("test_margins").shape());
        RunConfig run = demo.run();
        assertEquals("reference-gpt2", run.components());
        assertEquals("tokens", run.data().format());

        float[] ours = demo.cleanMargins();
        String script = """
                import sys, numpy as np, torch
                sys.path.insert(0, "tools")
                import gpt2_model
                model = torch.jit.load(sys.argv[1]).eval()
                ids, lengths = np.load(sys.argv[2]), np.load(sys.argv[3])
                with torch.no_grad():
                    for j, n in enumerate(lengths):
                        x = torch.from_numpy(ids[j:j + 1, :n])
                        print(gpt2_model.next_token_outputs(model(x, torch.ones_like(x)), x, [n])[0].item())
                """;
        Fixtures.Result python = Fixtures.python("-c", script, demo.model().toString(), dir.resolve("inputs/eval-tokens.npy").toString(),
                dir.resolve("inputs/eval-lengths.npy").toString());
        Assumptions.assumeFalse(python.output().contains("No module named 'torch'"), "PyTorch not installed");
        assertEquals(0, python.exitCode(), python.output());
        String[] lines = python.output().strip().split("\\R");
        assertEquals(100, lines.length);
        int positive = 0;
        for (int j = 0; j < lines.length; j++) {
            double expected = Double.parseDouble(lines[j]);
            assertEquals(expected, ours[j], 1e-4 * Math.max(1, Math.abs(expected)), "sequence " + j);
            positive += expected > 0 ? 1 : 0;
        }
        assertTrue(positive < 100, "some sequences have a margin <= 0, so the demo's edit has a sequence to fix");
        assertTrue(Files.exists(dir.resolve("inputs/eval-text.txt")));
    }
}
