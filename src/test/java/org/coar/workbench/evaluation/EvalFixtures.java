package org.coar.workbench.evaluation;

import java.io.IOException;
import java.nio.file.Path;
import org.coar.workbench.data.DataLoader;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.testing.Fixtures;

/** The fixtures of {@code tools/make_eval_fixtures.py}. */
public final class EvalFixtures {
    private EvalFixtures() {
    }

    public static Path linearModel() {
        return Fixtures.resource("eval/linear.pt");
    }

    public static DataSpec linearDataSpec() {
        return new DataSpec("npy", Fixtures.resource("eval/linear_inputs.npy").toString(),
                Fixtures.resource("eval/linear_labels.npy").toString(), null, null, null, null, null, null);
    }

    public static EvalData linearData() {
        return new DataLoader().load(linearDataSpec());
    }

    public static Path tinyModel() {
        return Fixtures.resource("eval/tiny_bn.pt");
    }

    public static EvalData tinyData() {
        return new DataLoader().load(new DataSpec("npy", Fixtures.resource("eval/tiny_inputs.npy").toString(),
                Fixtures.resource("eval/tiny_labels.npy").toString(), null, null, null, null, null, null));
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
