package org.coar.workbench.attributions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.coar.workbench.ablation.BuildRequest;
import org.coar.workbench.ablation.BuildService;
import org.coar.workbench.evaluation.EvalFixtures;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.store.Store;

/**
 * A store of the linear fixture model (16 components, 64 examples) built from a copy of the model,
 * so a test can move the model away, and attributions whose scores are set by hand:
 * score(c, j) = (c − 7.4) · (1 + j mod 3), except component 3 scores 100 for examples 54..63;
 * every example's output with every component ablated is 2, and val_r2[j] = j / 64.
 */
public final class ExamplePageFixture {
    public static final int COMPONENTS = EvalFixtures.LINEAR_COMPONENTS;
    public static final int EXAMPLES = EvalFixtures.LINEAR_EXAMPLES;

    private ExamplePageFixture() {
    }

    public static float score(int c, int j) {
        return c == 3 && j >= 54 ? 100f : (float) ((c - 7.4) * (1 + j % 3));
    }

    /** The store; its model is {@code dir/model/linear.pt}. */
    public static Path store(Path dir) {
        try {
            Path model = Files.createDirectories(dir.resolve("model")).resolve("linear.pt");
            Files.copy(EvalFixtures.linearModel(), model);
            Path store = dir.resolve("store");
            Store.create(store, new SpecCodec().parse("{\"num_models\": 2, \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": ["
                    + COMPONENTS + "]}, \"margins\": {\"dtype\": \"float32\", \"shape\": [" + EXAMPLES + "]}}}", "spec"));
            BuildService service = new BuildService();
            RunConfig run = service.resolveRun(store, RunConfig.builder().optModel(model.toString())
                    .optData(EvalFixtures.linearDataSpec()).optAlpha(0.1).optSeed(7L).build());
            service.build(new BuildRequest(store, run, List.of("cpu"), 1, null, null, null, 64, false, Duration.ofHours(1)),
                    p -> { }, new org.coar.workbench.job.Cancellation());
            return store;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The hand-set attributions in {@code store/attributions}, with the store's components.json copied as a fit does. */
    public static Path attributions(Path store) {
        float[][] raw = new float[COMPONENTS][EXAMPLES];
        for (int c = 0; c < COMPONENTS; c++) {
            for (int j = 0; j < EXAMPLES; j++) {
                raw[c][j] = score(c, j);
            }
        }
        float[] intercept = new float[EXAMPLES];
        java.util.Arrays.fill(intercept, 2f);
        double[][] moments = AttributionsFixture.moments(COMPONENTS, 0.1);
        Path dir = AttributionsFixture.write(store.resolve(Attributions.DEFAULT_DIR), raw, intercept, moments[0], moments[1], "{}");
        try {
            double[] r2 = new double[EXAMPLES];
            for (int j = 0; j < EXAMPLES; j++) {
                r2[j] = j / 64.0;
            }
            AttributionsFixture.vector(dir.resolve(Attributions.VAL_R2), r2);
            Files.copy(store.resolve("components.json"), dir.resolve("components.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
