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
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.data.DataLoader;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.model.ComponentPreset;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.TorchModel;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.spec.ArraySpec;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.spec.StoreSpec;
import org.coar.workbench.store.Store;

/**
 * A bundled demo, unpacked into a project directory with a spec and an initialised store, ready to
 * build: the Fashion-MNIST CNN (240 components) with 1,000 test images, or, from
 * {@link #languageModel}, a 2-layer byte-level GPT-2 (896 components under reference-gpt2) with
 * 100 held-out text sequences.
 */
public final class DemoProject {
    public static final int DEFAULT_MODELS = 2_000;
    /** Rows of the language-model demo's store: about 4.5 per component. */
    public static final int DEFAULT_LM_MODELS = 4_000;
    public static final double ALPHA = 0.05;

    /** What differs between the demos: bundled files, the model, the data, the component preset. */
    private record Kind(String resources, List<String> files, String modelFile, String outputArray, ComponentPreset preset) {
    }

    private static final Kind CNN = new Kind("/org/coar/workbench/demo/", List.of("fashion_cnn.pt", "eval-images-idx3-ubyte.gz",
            "eval-labels-idx1-ubyte.gz", "LICENSE-fashion-mnist.txt", "README.md"), "fashion_cnn.pt", "margins", ComponentPreset.DEFAULT);
    private static final Kind LM = new Kind("/org/coar/workbench/demo/lm/", List.of("byte_gpt2.pt", "eval-tokens.npy",
            "eval-lengths.npy", "eval-text.txt", "demo_lm_info.json", "README.md"), "byte_gpt2.pt", "test_margins",
            ComponentPreset.REFERENCE_GPT2);

    private final Path dir;
    private final Kind kind;

    /** The CNN demo in {@code dir}. */
    public DemoProject(Path dir) {
        this(dir, CNN);
    }

    private DemoProject(Path dir, Kind kind) {
        this.dir = dir.toAbsolutePath().normalize();
        this.kind = kind;
    }

    /** The language-model demo in {@code dir}. */
    public static DemoProject languageModel(Path dir) {
        return new DemoProject(dir, LM);
    }

    public boolean isLanguageModel() {
        return kind == LM;
    }

    public Path dir() {
        return dir;
    }

    public Path model() {
        return dir.resolve("inputs").resolve(kind.modelFile());
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
        if (kind == LM) {
            return DataSpec.builder().setPath(dir.resolve("inputs/eval-tokens.npy").toString()).optFormat(DataLoader.TOKENS)
                    .optAttentionMask(dir.resolve("inputs/eval-lengths.npy").toString()).build();
        }
        return DataSpec.builder().setPath(images().toString()).optFormat("idx").build();
    }

    /** The run settings of the demo's first build. */
    public RunConfig run() {
        return RunConfig.builder().optModel(model().toString()).optData(dataSpec()).optOutput("margin").optMaskArray("masks")
                .optOutputArray(kind.outputArray()).optAlpha(ALPHA).optSeed(0L).optComponents(kind.preset().cliName()).build();
    }

    private Components components(TorchModel model) {
        return Components.select(model.parameters(), kind.preset(), List.of(), List.of());
    }

    /** The unedited model's margin on every evaluation example (one forward pass over the data). */
    public float[] cleanMargins() {
        EvalData data = new DataLoader().load(dataSpec());
        try (TorchModel model = TorchModel.load(model(), Device.cpu())) {
            Components components = components(model);
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
            for (String name : kind.files()) {
                Path target = dir.resolve("inputs").resolve(name);
                if (!Files.exists(target)) {
                    try (InputStream in = DemoProject.class.getResourceAsStream(kind.resources() + name)) {
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
            components = components(model).total();
        }
        EvalData data = new DataLoader().load(dataSpec());
        Map<String, ArraySpec> schema = new LinkedHashMap<>();
        schema.put("masks", new ArraySpec(Dtype.BOOL, List.of((long) components)));
        schema.put(kind.outputArray(), new ArraySpec(Dtype.FLOAT16, List.of((long) data.size())));
        StoreSpec spec = new StoreSpec(models, schema);
        new SpecCodec().write(spec, spec());
        Store.create(store(), spec);
        return true;
    }
}
