package org.coar.workbench.demo;

import ai.djl.Device;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.build.RunConfig;
import org.coar.workbench.data.DataLoader;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.TorchModel;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.spec.ArraySpec;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.spec.StoreSpec;
import org.coar.workbench.store.Store;

/**
 * The bundled demo: a Fashion-MNIST CNN (240 components) and 1,000 test images, unpacked into a
 * project directory with a spec and an initialised store, ready to build.
 */
public final class DemoProject {
    public static final int DEFAULT_MODELS = 2_000;
    public static final double ALPHA = 0.05;
    private static final String RESOURCES = "/org/coar/workbench/demo/";
    private static final List<String> FILES = List.of("fashion_cnn.pt", "eval-images-idx3-ubyte.gz",
            "eval-labels-idx1-ubyte.gz", "LICENSE-fashion-mnist.txt", "README.md");

    private final Path dir;

    public DemoProject(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    public Path dir() {
        return dir;
    }

    public Path model() {
        return dir.resolve("inputs/fashion_cnn.pt");
    }

    public Path images() {
        return dir.resolve("inputs/eval-images-idx3-ubyte.gz");
    }

    public Path spec() {
        return dir.resolve("spec.json");
    }

    public Path store() {
        return dir.resolve("store");
    }

    public DataSpec dataSpec() {
        return new DataSpec("idx", images().toString(), null, null, null, null, null, null, null);
    }

    /** The run settings of the demo's first build. */
    public RunConfig run() {
        return new RunConfig(model().toString(), null, dataSpec(), "margin", "masks", "margins", ALPHA, 0L,
                List.of(), List.of(), null, null);
    }

    /** The unedited model's margin on every evaluation example (one forward pass over the data). */
    public float[] cleanMargins() {
        EvalData data = new DataLoader().load(dataSpec());
        try (TorchModel model = TorchModel.load(model(), Device.cpu())) {
            Components components = Components.select(model.parameters(), List.of(), List.of());
            try (org.coar.workbench.model.AblatedEvaluator evaluator = new org.coar.workbench.model.AblatedEvaluator(model, components, data,
                    100, org.coar.workbench.model.OutputFunction.MARGIN)) {
                boolean[] keepAll = new boolean[components.total()];
                java.util.Arrays.fill(keepAll, true);
                return evaluator.evaluate(keepAll, () -> false).outputs();
            }
        }
    }

    /**
     * Unpacks the bundled files (keeping any already there), writes spec.json and initialises the
     * store unless it exists. Returns true when a new store was made, false when resuming one.
     */
    public boolean prepare(int models) {
        try {
            Files.createDirectories(dir.resolve("inputs"));
            for (String name : FILES) {
                Path target = dir.resolve("inputs").resolve(name);
                if (!Files.exists(target)) {
                    try (InputStream in = DemoProject.class.getResourceAsStream(RESOURCES + name)) {
                        if (in == null) {
                            throw new WorkbenchException("the demo resource " + name + " is missing from this build; rebuild the workbench");
                        }
                        Files.copy(in, target);
                    }
                }
            }
        } catch (IOException e) {
            throw new WorkbenchException(dir + ": cannot unpack the demo (" + e.getMessage() + "); choose a writable directory with --dir", e);
        }
        if (Files.exists(store().resolve(Store.COMPLETED_FILE))) {
            return false;
        }
        int components;
        try (TorchModel model = TorchModel.load(model(), Device.cpu())) {
            components = Components.select(model.parameters(), List.of(), List.of()).total();
        }
        EvalData data = new DataLoader().load(dataSpec());
        Map<String, ArraySpec> schema = new LinkedHashMap<>();
        schema.put("masks", new ArraySpec(Dtype.BOOL, List.of((long) components)));
        schema.put("margins", new ArraySpec(Dtype.FLOAT16, List.of((long) data.size())));
        StoreSpec spec = new StoreSpec(models, schema);
        new SpecCodec().write(spec, spec());
        Store.create(store(), spec);
        return true;
    }
}
