package org.coar.workbench.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.coar.workbench.data.DataSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run.json's format is a contract: built settings write the keys earlier versions wrote, and their files read back. */
class RunConfigTest {
    private static final DataSpec DATA = DataSpec.builder().setPath("/data/t10k-images-idx3-ubyte.gz").optFormat("idx")
            .optLimit(64).build();

    @Test
    void aRunJsonFromBeforeComponentPresetsReadsAsTheSettingsItHolds(@TempDir Path store) throws IOException {
        Files.writeString(store.resolve(RunConfig.FILE), """
                {
                  "model" : "/models/demo.pt",
                  "model_sha256" : "ab12",
                  "data" : { "format" : "idx", "path" : "/data/t10k-images-idx3-ubyte.gz", "limit" : 64 },
                  "output" : "margin",
                  "mask_array" : "masks",
                  "output_array" : "margins",
                  "alpha" : 0.05,
                  "seed" : 0,
                  "include" : [ "conv*" ],
                  "exclude" : [ ],
                  "created" : "2026-01-02T03:04:05Z",
                  "workbench_version" : "0.9.0"
                }
                """);
        RunConfig expected = RunConfig.builder().optModel("/models/demo.pt").optModelSha256("ab12").optData(DATA)
                .optOutput("margin").optMaskArray("masks").optOutputArray("margins").optAlpha(0.05).optSeed(0L)
                .optInclude(List.of("conv*")).optCreated("2026-01-02T03:04:05Z").optWorkbenchVersion("0.9.0").build();
        assertEquals(expected, RunConfig.read(store));
        assertEquals(false, RunConfig.read(store).usesAutocast());
    }

    @Test
    void builtSettingsWriteSnakeCaseKeysAndLeaveUnsetOnesOut(@TempDir Path store) throws IOException {
        RunConfig run = RunConfig.builder().optModel("/models/gpt.pt").optData(DATA).optAlpha(0.1).optSeed(3L)
                .optOutputElement("logits").optComponents("reference-gpt2").optAutocast(true).build();
        run.write(store);
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree("""
                {"model": "/models/gpt.pt",
                 "data": {"format": "idx", "path": "/data/t10k-images-idx3-ubyte.gz", "limit": 64},
                 "alpha": 0.1, "seed": 3, "include": [], "exclude": [],
                 "output_element": "logits", "components": "reference-gpt2", "autocast": true}
                """), json.readTree(store.resolve(RunConfig.FILE).toFile()));
        assertEquals(run, RunConfig.read(store));
    }

    @Test
    void toBuilderChangesOnlyWhatItSets() {
        RunConfig run = RunConfig.builder().optModel("/m.pt").optData(DATA).optAlpha(0.1).optSeed(3L).optComponents("default")
                .build();
        RunConfig recorded = run.toBuilder().optModelSha256("cd34").optMaskArray("masks").build();
        assertEquals(List.of("/m.pt", "cd34", DATA, "masks", 0.1, 3L, "default"), List.of(recorded.model(), recorded.modelSha256(),
                recorded.data(), recorded.maskArray(), recorded.alpha(), recorded.seed(), recorded.components()));
        assertEquals(null, recorded.outputArray());
        assertEquals(null, run.modelSha256(), "the original is unchanged");
    }
}
