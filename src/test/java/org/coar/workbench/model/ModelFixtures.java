package org.coar.workbench.model;

import java.nio.file.Path;
import org.coar.workbench.data.DataLoader;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.testing.Fixtures;

/** The bundled demo model and data, and the second-architecture fixture model. */
public final class ModelFixtures {
    private ModelFixtures() {
    }

    public static Path demoModel() {
        return Fixtures.resource("org/coar/workbench/demo/fashion_cnn.pt");
    }

    public static Path resmhaModel() {
        return Fixtures.resource("ablation/resmha.pt");
    }

    public static DataSpec demoDataSpec(Integer limit) {
        return DataSpec.builder().setPath(Fixtures.resource("org/coar/workbench/demo/eval-images-idx3-ubyte.gz").toString())
                .optFormat("idx").optLimit(limit).build();
    }

    public static EvalData demoData(Integer limit) {
        return new DataLoader().load(demoDataSpec(limit));
    }
}
