package org.coar.workbench.evaluation;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.coar.workbench.attributions.AttributionsFixture;
import org.coar.workbench.ablation.BuildRequest;
import org.coar.workbench.ablation.BuildService;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.store.Store;
import org.coar.workbench.data.DataLoader;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.testing.Fixtures;

/** The fixtures of {@code tools/make_eval_fixtures.py}. */
public final class EvalFixtures {
    public static final int LINEAR_COMPONENTS = 16;
    public static final int LINEAR_EXAMPLES = 64;
    public static final long LINEAR_STORE_SEED = 7;

    private EvalFixtures() {
    }

    /** A built store of the linear fixture model: 40 rows at α = 0.1, outputs in float32. */
    public static Path linearStore(Path tmp, int rows) {
        Path store = tmp.resolve("store");
        Store.create(store, new SpecCodec().parse("{\"num_models\": " + rows + ", \"schema\": {\"masks\": {\"dtype\": \"bool_\", "
                + "\"shape\": [" + LINEAR_COMPONENTS + "]}, \"margins\": {\"dtype\": \"float32\", \"shape\": [" + LINEAR_EXAMPLES + "]}}}", "spec"));
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(store, RunConfig.builder().optModel(EvalFixtures.linearModel().toString())
                .optData(EvalFixtures.linearDataSpec()).optAlpha(0.1).optSeed(LINEAR_STORE_SEED).build());
        service.build(new BuildRequest(store, run, List.of("cpu"), 1, null, null, null, 64, false, Duration.ofHours(1)),
                p -> { }, new org.coar.workbench.job.Cancellation());
        return store;
    }

    /** The closed-form attributions of the linear model, with a report saying rows 0-29 trained and 30-39 validated. */
    public static Path exactAttributions(Path tmp) {
        double[][] moments = AttributionsFixture.moments(LINEAR_COMPONENTS, 0.1);
        String report = "{\"split\": {\"method\": \"ordered, as the reference\", \"train_rows\": 30, \"validation_rows\": 10, "
                + "\"final_fit_rows\": 30}}";
        return AttributionsFixture.write(tmp.resolve("attributions"), EvalFixtures.matrix("linear_effects.npy"),
                EvalFixtures.vector("linear_constant.npy"), moments[0], moments[1], report);
    }


    public static Path linearModel() {
        return Fixtures.resource("eval/linear.pt");
    }

    public static DataSpec linearDataSpec() {
        return DataSpec.builder().setPath(Fixtures.resource("eval/linear_inputs.npy").toString()).optFormat("npy")
                .optLabels(Fixtures.resource("eval/linear_labels.npy").toString()).build();
    }

    public static EvalData linearData() {
        return new DataLoader().load(linearDataSpec());
    }

    public static Path tinyModel() {
        return Fixtures.resource("eval/tiny_bn.pt");
    }

    public static EvalData tinyData() {
        return new DataLoader().load(DataSpec.builder().setPath(Fixtures.resource("eval/tiny_inputs.npy").toString())
                .optFormat("npy").optLabels(Fixtures.resource("eval/tiny_labels.npy").toString()).build());
    }

    /** A 2-d fixture array as {@code [row][column]}. */
    public static float[][] matrix(String name) {
        try (NpyArray array = NpyArray.open(Fixtures.resource("eval/" + name), false)) {
            float[][] rows = new float[(int) array.rows()][];
            for (int r = 0; r < rows.length; r++) {
                rows[r] = array.readRow(r);
            }
            return rows;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static float[] vector(String name) {
        try (NpyArray array = NpyArray.open(Fixtures.resource("eval/" + name), false)) {
            float[] values = new float[(int) array.rows()];
            array.readRows(0, values.length, values);
            return values;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
