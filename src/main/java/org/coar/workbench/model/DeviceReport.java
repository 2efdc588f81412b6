package org.coar.workbench.model;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Utils;
import ai.djl.util.cuda.CudaUtils;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the workbench sees of the devices a build can use: the PyTorch natives DJL loaded (or why
 * it could not), whether they have CUDA, the CUDA runtime, the NVIDIA driver and its GPUs, and for
 * each GPU that cannot be used, why and what to do. {@code coar doctor} prints it.
 *
 * @param djlVersion      DJL's version (its JNI bridge must match it)
 * @param libtorchSource  where the natives come from: the bundled jar, PYTORCH_LIBRARY_PATH, ...
 * @param libtorchDir     folder of the loaded libtorch, or null when none loaded
 * @param libtorchVersion libtorch version as DJL takes it (PYTORCH_VERSION for a library of your own)
 * @param flavour         cpu, cu124, cu128, ...: the build of libtorch
 * @param engineProblem   why the PyTorch engine failed to load, with the fix; null when it loaded
 * @param libtorchCuda    whether the loaded libtorch has CUDA support and finds a CUDA device
 * @param cudaRuntime     version of the CUDA runtime DJL found (e.g. "12.4"), or null
 * @param cudaRuntimeFile the runtime the workbench pointed DJL at, or null
 * @param driver          the NVIDIA driver's view: its GPUs, or why there is none
 * @param usableDevices   device names a build can use here (cpu, cuda:0, ...)
 * @param problems        each reason a GPU is not usable (or a setting is ignored), with the fix
 */
public record DeviceReport(String djlVersion, String libtorchSource, String libtorchDir, String libtorchVersion, String flavour,
                           String engineProblem, boolean libtorchCuda, String cudaRuntime, String cudaRuntimeFile,
                           GpuNames.Inventory driver, List<String> usableDevices, List<String> problems) {
    private static final Pattern CACHED_FLAVOUR = Pattern.compile("-(cpu|cu\\d+)(-precxx11)?-[a-z]+-[a-z0-9_]+$");

    public DeviceReport {
        usableDevices = List.copyOf(usableDevices);
        problems = List.copyOf(problems);
    }

    public boolean engineLoaded() {
        return engineProblem == null;
    }

    public boolean anyGpuUsable() {
        return usableDevices.stream().anyMatch(d -> d.startsWith("cuda:"));
    }

    /** Looks at this process: loads the PyTorch engine if it is not loaded yet. */
    public static DeviceReport inspect() {
        CudaRuntime.prepare();
        List<String> problems = new ArrayList<>();
        String overridePath = Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH");
        boolean overrideUsable = overridePath != null && hasLibtorch(overridePath);
        if (overridePath != null && !overrideUsable) {
            problems.add("PYTORCH_LIBRARY_PATH=" + overridePath + " holds no libtorch.so, so DJL ignores it and uses the bundled "
                    + "natives. Point it at the lib folder of a libtorch (e.g. .../site-packages/torch/lib)");
        }
        String source = overrideUsable ? "PYTORCH_LIBRARY_PATH" : "the natives bundled with the workbench";
        Engine engine = null;
        String engineProblem = null;
        try {
            engine = Engine.getEngine(TorchModel.ENGINE);
        } catch (EngineException | IllegalArgumentException | LinkageError e) {
            engineProblem = explainEngineFailure(e);
        }
        GpuNames.Inventory driver = GpuNames.inventory();
        List<String> usable = new ArrayList<>();
        String dir = null;
        String version = null;
        String flavour = null;
        boolean cuda = false;
        String runtime = null;
        int gpus = 0;
        if (engine != null) {
            usable.add("cpu");
            dir = LibUtils.getLibtorchPath();
            version = engine.getVersion();
            flavour = flavour(dir, overrideUsable);
            cuda = engine.hasCapability(StandardCapabilities.CUDA);
            runtime = cudaRuntimeVersion();
            gpus = engine.getGpuCount();
            for (int i = 0; i < gpus; i++) {
                usable.add("cuda:" + i);
            }
        }
        if (engine != null && gpus == 0) {
            problems.addAll(whyNoGpu(driver, cuda, flavour, runtime, overrideUsable));
        }
        return new DeviceReport(Engine.getDjlVersion(), source, dir, version, flavour, engineProblem, cuda, runtime,
                CudaRuntime.chosen(), driver, usable, problems);
    }

    private static boolean hasLibtorch(String path) {
        for (String entry : path.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isRegularFile(p.resolve("libtorch.so")) || p.getFileName() != null && p.getFileName().toString().equals("libtorch.so")
                    && Files.isRegularFile(p)) {
                return true;
            }
        }
        return false;
    }

    private static String flavour(String dir, boolean override) {
        if (override) {
            String declared = Utils.getEnvOrSystemProperty("PYTORCH_FLAVOR");
            if (declared != null && !declared.isBlank()) {
                return declared;
            }
            return Files.exists(Path.of(dir, "libtorch_cuda.so")) ? "cuda (PYTORCH_FLAVOR not set)" : "cpu";
        }
        Matcher m = CACHED_FLAVOUR.matcher(Path.of(dir).getFileName().toString());
        return m.find() ? m.group(1) : "unknown";
    }

    private static String cudaRuntimeVersion() {
        try {
            int v = CudaUtils.getCudaVersion();
            return (v / 1000) + "." + (v % 1000) / 10;
        } catch (RuntimeException | LinkageError e) {
            return null; // no CUDA runtime loaded
        }
    }

    static List<String> whyNoGpu(GpuNames.Inventory driver, boolean libtorchCuda, String flavour, String cudaRuntime, boolean override) {
        List<String> why = new ArrayList<>();
        if (driver.gpus().isEmpty()) {
            why.add("No GPU: " + driver.problem() + ". Builds run on the CPU");
            return why;
        }
        String visible = System.getenv("CUDA_VISIBLE_DEVICES");
        if (visible != null && (visible.isBlank() || visible.equals("-1"))) {
            why.add("CUDA_VISIBLE_DEVICES=\"" + visible + "\" hides every GPU from CUDA; unset it or list the GPUs to use");
            return why;
        }
        String gpus = driver.gpus().size() + " GPU" + (driver.gpus().size() == 1 ? "" : "s") + " (" + driver.gpus().getFirst().name()
                + ", driver " + driver.gpus().getFirst().driver() + ")";
        if (!libtorchCuda && flavour != null && flavour.startsWith("cpu")) {
            why.add("The driver shows " + gpus + ", but the PyTorch natives in use are CPU-only (flavour " + flavour + "). Give DJL a "
                    + "CUDA libtorch: build the workbench with -Pcu124 (CUDA 12.4 natives from Maven Central), or start it with "
                    + "PYTORCH_LIBRARY_PATH=<torch/lib of a CUDA PyTorch> PYTORCH_VERSION=<its version> PYTORCH_FLAVOR=<e.g. cu128> "
                    + "(user guide, section 5)");
        } else if (!libtorchCuda) {
            why.add("The driver shows " + gpus + ", but libtorch (flavour " + flavour + ") finds no usable CUDA device: its CUDA "
                    + "version may need a newer driver, or /dev/nvidia* is not accessible to this user");
        } else if (cudaRuntime == null) {
            why.add("libtorch has CUDA and the driver shows " + gpus + ", but DJL found no CUDA runtime (libcudart.so) to count "
                    + "the GPUs with. Put the folder holding libcudart.so.* on LD_LIBRARY_PATH, or start with "
                    + "COAR_JAVA_OPTS=-Djna.library.path=<that folder>");
        } else {
            why.add("The CUDA runtime " + cudaRuntime + " finds no device although the driver shows " + gpus + "; the driver may be "
                    + "too old for CUDA " + cudaRuntime + " (nvidia-smi shows the CUDA version it supports), or /dev/nvidia* is "
                    + "not accessible to this user");
        }
        if (override && Utils.getEnvOrSystemProperty("PYTORCH_FLAVOR") == null) {
            why.add("PYTORCH_FLAVOR is not set: for a CUDA libtorch set it (e.g. cu128), so that DJL picks the matching JNI bridge");
        }
        return why;
    }

    /** What went wrong loading the PyTorch natives, in words a user can act on. */
    public static String explainEngineFailure(Throwable e) {
        String version = Utils.getEnvOrSystemProperty("PYTORCH_VERSION");
        String flavour = Utils.getEnvOrSystemProperty("PYTORCH_FLAVOR", "cpu");
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                chain.append(t.getMessage()).append('\n');
            }
        }
        String all = chain.toString();
        String where = Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH") != null
                ? " from PYTORCH_LIBRARY_PATH=" + Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH") : "";
        String bundled = bundledFlavour();
        if (where.isEmpty() && bundled != null && bundled.startsWith("cu")) {
            return "this build of the workbench carries only PyTorch's CUDA natives (" + bundled + ", Maven profile cu124), which "
                    + "DJL uses only where it finds a CUDA GPU through the CUDA runtime; it found none here (" + firstLine(all)
                    + "). On a machine without a GPU build without the profile (./mvnw compile); with one, 'nvidia-smi' must work";
        }
        if (all.contains("Cannot download jni files")) {
            String cache = Utils.getEngineCacheDir("pytorch").resolve((version == null ? "VERSION" : version) + "-" + flavour + "-linux-x86_64")
                    .resolve(Engine.getDjlVersion() + "-libdjl_torch.so").toString();
            return "the PyTorch natives" + where + " (version " + (version == null ? "unknown: set PYTORCH_VERSION" : version)
                    + ", flavour " + flavour + ") need DJL's JNI bridge for that version and DJL " + Engine.getDjlVersion()
                    + ", which the workbench ships only for PyTorch 2.7.1 (cpu, cu128). Use libtorch 2.7.1, or build the bridge "
                    + "for yours with tools/gpu/build-djl-jni.sh and put it at " + cache;
        }
        if (all.contains("undefined symbol")) {
            String symbol = all.lines().filter(l -> l.contains("undefined symbol")).findFirst().orElse("").strip();
            return "the JNI bridge (libdjl_torch.so) does not match the libtorch" + where + " (" + symbol + "): PYTORCH_VERSION and "
                    + "PYTORCH_FLAVOR must name that libtorch's version and build, and the bridge must be built for it "
                    + "(tools/gpu/build-djl-jni.sh)";
        }
        return "the PyTorch natives" + where + " failed to load (" + firstLine(all) + "). With PYTORCH_LIBRARY_PATH, check that it "
                + "names the lib folder of a complete libtorch and that PYTORCH_VERSION and PYTORCH_FLAVOR match it; without it, "
                + "rebuild the workbench (./mvnw compile) so that the bundled natives are complete";
    }

    /** The innermost cause's message. */
    private static String firstLine(String causes) {
        return causes.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("no details").strip();
    }

    /** The flavour of the natives jar on the class path (cpu, cu124), or null without one. */
    private static String bundledFlavour() {
        try (java.io.InputStream in = DeviceReport.class.getClassLoader().getResourceAsStream("native/lib/pytorch.properties")) {
            if (in == null) {
                return null;
            }
            java.util.Properties properties = new java.util.Properties();
            properties.load(in);
            return properties.getProperty("flavor");
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The report as lines for a terminal. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("DJL " + djlVersion + ", PyTorch natives: " + libtorchSource);
        if (engineProblem != null) {
            lines.add("  NOT LOADED: " + engineProblem);
        } else {
            lines.add("  libtorch " + libtorchVersion + " (" + flavour + ") in " + libtorchDir);
            lines.add("  CUDA in libtorch: " + (libtorchCuda ? "yes" : "no") + "; CUDA runtime found by DJL: "
                    + (cudaRuntime == null ? "none" : cudaRuntime + (cudaRuntimeFile == null ? "" : " (" + cudaRuntimeFile + ")")));
        }
        if (driver.gpus().isEmpty()) {
            lines.add("NVIDIA driver: " + driver.problem());
        } else {
            lines.add("NVIDIA driver " + driver.gpus().getFirst().driver() + ", " + driver.gpus().size() + " GPU(s):");
            for (GpuNames.Gpu gpu : driver.gpus()) {
                lines.add(String.format(Locale.ROOT, "  GPU %d: %s, %,d MiB (%,d MiB used)%s", gpu.index(), gpu.name(), gpu.memoryTotalMiB(),
                        gpu.memoryUsedMiB(), gpu.computeCapability() == null ? "" : ", compute capability " + gpu.computeCapability()));
            }
        }
        lines.add("Devices a build can use: " + (usableDevices.isEmpty() ? "none" : String.join(", ", usableDevices)));
        for (String problem : problems) {
            lines.add("  problem: " + problem);
        }
        return lines;
    }
}
