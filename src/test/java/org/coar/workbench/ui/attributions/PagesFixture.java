package org.coar.workbench.ui.attributions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.coar.workbench.ablation.BuildRequest;
import org.coar.workbench.ablation.BuildService;
import org.coar.workbench.attributions.AttributionsFixture;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.model.ModelFixtures;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.store.Store;

/**
 * A demo store (the demo model's 240 components, the first 20 images, 2 rows) and attributions whose
 * scores are known by construction: component c's score for example j is (c − 120)(j + 1) / 1000,
 * except component 33 (conv2 #1) scores +5 on example 7.
 */
final class PagesFixture {
    static final int P = 240;
    static final int M = 20;

    private PagesFixture() {
    }

    static float raw(int c, int j) {
        return c == 33 && j == 7 ? 5f : (float) ((c - 120) * (j + 1) / 1000.0);
    }

    static Path[] storeAndAttributions(Path tmp) throws IOException {
        Path store = tmp.resolve("store");
        Store.create(store, new SpecCodec().parse("{\"num_models\": 2, \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": [" + P
                + "]}, \"margins\": {\"dtype\": \"float16\", \"shape\": [" + M + "]}}}", "spec"));
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(store, RunConfig.builder().optModel(ModelFixtures.demoModel().toString())
                .optData(ModelFixtures.demoDataSpec(M)).optAlpha(0.05).optSeed(0L).build());
        service.build(new BuildRequest(store, run, List.of("cpu"), 1, null, null, null, 20, false, Duration.ofHours(1)), p -> { },
                new Cancellation());
        float[][] scores = new float[P][M];
        for (int c = 0; c < P; c++) {
            for (int j = 0; j < M; j++) {
                scores[c][j] = raw(c, j);
            }
        }
        double[][] moments = AttributionsFixture.moments(P, 0.05);
        Path dir = AttributionsFixture.write(Files.createDirectories(tmp.resolve("attributions")), scores, new float[M], moments[0],
                moments[1], "{}");
        return new Path[] {store, dir};
    }
}
