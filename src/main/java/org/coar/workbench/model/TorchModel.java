package org.coar.workbench.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.coar.workbench.WorkbenchException;

/**
 * A TorchScript model loaded in-process through DJL's PyTorch engine, with parameters that can
 * be edited in place (loaded with {@code trainParam=true}, then frozen so autograd records nothing).
 * One instance per device; not thread-safe.
 */
public final class TorchModel implements AutoCloseable {
    public static final String ENGINE = "PyTorch";

    static {
        // Natives ship as jars on the classpath; never try to download them.
        System.setProperty("ai.djl.offline", "true");
        CudaRuntime.prepare();
        // Small models on a CPU run faster as one single-threaded replica per core than as one
        // replica with multi-threaded ops (measured on the demo: docs/BENCHMARKS.md).
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    private final Path file;
    private final Device device;
    private final Model model;
    private final Block block;
    private final List<Pair<String, Parameter>> parameters;
    private boolean recordsGradients;
    private ModelOutput output = ModelOutput.SINGLE;

    private TorchModel(Path file, Device device, Model model) {
        this.file = file;
        this.device = device;
        this.model = model;
        this.block = model.getBlock();
        this.parameters = new ArrayList<>(block.getParameters().stream().toList());
    }

    /** Loads a replica for ablation: parameters frozen, forward passes record no autograd graph. */
    public static TorchModel load(Path file, Device device) {
        TorchModel loaded = loadUnfrozen(file, device);
        loaded.block.freezeParameters(true);
        return loaded;
    }

    /**
     * Loads a replica whose parameters record gradients, for {@link #forwardRecordingGradients}.
     * Use it for nothing else: its forward passes keep the model in eval mode only as long as no
     * ordinary {@link #forward} runs on it, so that method is refused on this replica.
     */
    public static TorchModel loadForGradients(Path file, Device device) {
        TorchModel loaded = loadUnfrozen(file, device);
        loaded.recordsGradients = true;
        // libtorch loads the module in eval mode; DJL's block starts out believing it is in
        // training mode, so a forward with training=true changes nothing and records autograd.
        JniUtils.enableInferenceMode((PtSymbolBlock) loaded.block);
        return loaded;
    }

    private static TorchModel loadUnfrozen(Path file, Device device) {
        if (!Files.isRegularFile(file)) {
            throw new WorkbenchException(file + ": no such model file; give a TorchScript file saved with torch.jit.save");
        }
        engine();
        Model model = Model.newInstance(file.getFileName().toString(), device, ENGINE);
        try {
            Path absolute = file.toAbsolutePath();
            model.load(absolute.getParent(), absolute.getFileName().toString(), Map.of("trainParam", "true"));
        } catch (EngineException | MalformedModelException | IOException e) {
            model.close();
            throw new WorkbenchException(file + ": not a TorchScript model (" + nativeReason(e.getMessage()) + "). Save it with "
                    + "torch.jit.save(torch.jit.trace(model.eval(), example_input), path) or torch.jit.script; a state_dict "
                    + "saved with torch.save cannot be loaded", e);
        }
        TorchModel loaded = new TorchModel(file, device, model);
        if (loaded.parameters.isEmpty()) {
            loaded.close();
            if (holdsTensorConstants(file)) {
                throw new WorkbenchException(file + ": the model has no parameters, so it is frozen TorchScript (weights folded "
                        + "into constants) and no component can be ablated. Save it unfrozen: torch.jit.save(torch.jit.trace("
                        + "model.eval(), example_input), path) without torch.jit.freeze");
            }
            throw new WorkbenchException(file + ": the model has no parameters and no folded weights: a module of parameter-free "
                    + "operations only, so no component can be ablated. Give the model whose layers hold the weights");
        }
        return loaded;
    }

    /** A frozen module keeps its weights as tensor constants ({@code constants/N} in the TorchScript archive). */
    private static boolean holdsTensorConstants(Path file) {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            return zip.stream().anyMatch(entry -> entry.getName().matches(".*/constants/\\d+"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The informative part of a native PyTorch message: the text of its last "...Error: " line
     * (TorchScript wraps the real cause in an interpreter traceback), else its first line.
     */
    static String nativeReason(String message) {
        if (message == null) {
            return "no details";
        }
        String reason = message.strip().lines().findFirst().orElse(message);
        java.util.regex.Matcher error = java.util.regex.Pattern.compile("(?m)^\\s*[\\w.]*(Error|Exception): (.+)$").matcher(message);
        while (error.find()) {
            reason = error.group(2).strip();
        }
        return reason.length() > 400 ? reason.substring(0, 400) + "..." : reason;
    }

    public Path file() {
        return file;
    }

    /** Takes the logits from this element of the forward's output (a tuple, list or dict); see {@link ModelOutput}. */
    public TorchModel selectOutput(ModelOutput selection) {
        this.output = selection;
        return this;
    }

    public Device device() {
        return device;
    }

    public List<ParameterInfo> parameters() {
        return parameters.stream().map(p -> new ParameterInfo(p.getKey(), p.getValue().getArray().getShape().getShape())).toList();
    }

    /** The live tensor of parameter {@code name}; edits change the model. */
    public NDArray parameter(String name) {
        return parameters.stream().filter(p -> p.getKey().equals(name)).findFirst()
                .orElseThrow(() -> new WorkbenchException(file + ": the model has no parameter '" + name + "'"))
                .getValue().getArray();
    }

    public NDManager manager() {
        return model.getNDManager();
    }

    /** Runs the model on one batch; the result (and everything the call made) is attached to {@code manager}. */
    public NDArray forward(NDManager manager, NDArray input) {
        return forward(manager, new NDList(input));
    }

    /** Runs the model on one batch given as several inputs (a language model's token ids and attention mask). */
    public NDArray forward(NDManager manager, NDList inputs) {
        if (recordsGradients) {
            throw new IllegalStateException(file + ": this replica records gradients; load another one for plain forward passes");
        }
        return run(manager, inputs, false);
    }

    /**
     * Runs the model on one batch in eval mode (dropout off, batch-norm running statistics) while
     * autograd records the graph, so that a {@code GradientCollector} can differentiate the result
     * with respect to the parameters. Only on a replica from {@link #loadForGradients}.
     */
    public NDArray forwardRecordingGradients(NDManager manager, NDArray input) {
        return forwardRecordingGradients(manager, new NDList(input));
    }

    /** {@link #forwardRecordingGradients(NDManager, NDArray)} for a model with several inputs. */
    public NDArray forwardRecordingGradients(NDManager manager, NDList inputs) {
        if (!recordsGradients) {
            throw new IllegalStateException(file + ": load the model with loadForGradients to record gradients");
        }
        // DJL's PtSymbolBlock runs the module without autograd unless "training" is true, and
        // switches the module to train mode only when that flag changes; on this replica it never does.
        return run(manager, inputs, true);
    }

    private NDArray run(NDManager manager, NDList inputs, boolean recordGradients) {
        NDList outputs;
        try {
            outputs = block.forward(new ParameterStore(manager, false), inputs, recordGradients);
        } catch (UnsupportedOperationException e) {
            // DJL turns tensors, tuples, lists and dicts of tensors into arrays; anything else it cannot.
            throw new WorkbenchException(file + ": the model's forward returned something that is not a tensor (None, a number, "
                    + "a string, or a container holding one); it must return the logits", e);
        }
        // DJL attaches outputs to the input's manager, which lives as long as the build; move them
        // to the caller's manager so they are freed with it.
        outputs.attach(manager);
        return output.pick(outputs, file);
    }

    /**
     * Writes the model, with its parameters as they are now (e.g. ablated), as a TorchScript file
     * that {@code torch.jit.load} opens: libtorch's own serialisation of the loaded module.
     */
    public void saveTorchScript(Path target) {
        Path temp = null;
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
            try (java.io.OutputStream out = Files.newOutputStream(temp)) {
                JniUtils.writeModule((PtSymbolBlock) block, out, false);
            }
            Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | EngineException e) {
            throw new WorkbenchException(target + ": cannot write the TorchScript model (" + e.getMessage() + "); choose a writable path", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // only a leftover temporary file
                }
            }
        }
    }

    /** The PyTorch engine, loading its natives on first use; a failure says why and how to fix it. */
    static Engine engine() {
        try {
            return Engine.getEngine(ENGINE);
        } catch (EngineException | IllegalArgumentException | LinkageError e) {
            throw new WorkbenchException("PyTorch: " + DeviceReport.explainEngineFailure(e) + " ('coar doctor' shows more)", e);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
