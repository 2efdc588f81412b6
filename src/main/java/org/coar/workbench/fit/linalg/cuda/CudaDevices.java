package org.coar.workbench.fit.linalg.cuda;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.coar.workbench.Sizes;

/**
 * The GPUs the fit can use: finds and loads the CUDA libraries ({@link CudaLibraries}), asks the
 * runtime for its devices, and says in one message why there are none (libraries missing, no
 * driver, a driver older than the runtime, no device). Loading needs no GPU, so the refusals are
 * what a machine without one sees.
 */
public final class CudaDevices {
    /** Offset of {@code size_t totalGlobalMem} in {@code cudaDeviceProp} (after name[256], uuid, luid[8], luidDeviceNodeMask) in CUDA 11 to 13. */
    private static final long TOTAL_MEMORY_OFFSET = 288;
    private static final Pattern MODULE_VERSION = Pattern.compile("\\b(\\d{3,}\\.\\d+(?:\\.\\d+)?)\\b");

    /** One device as the CUDA runtime numbers it (after CUDA_VISIBLE_DEVICES). */
    public record Gpu(int ordinal, String name, int computeMajor, int computeMinor, long totalBytes) {
        public String key() {
            return "cuda:" + ordinal;
        }

        public String label() {
            return key() + " (" + name + ", compute " + computeMajor + "." + computeMinor
                    + (totalBytes > 0 ? ", " + Sizes.human(totalBytes) : "") + ")";
        }
    }

    private final CudaLibraries.Found found;
    private final CudaBindings bindings;
    private final List<Gpu> gpus;
    private final String problem;
    private final String shortProblem;
    private final Map<String, String> versions;

    private CudaDevices(CudaLibraries.Found found, CudaBindings bindings, List<Gpu> gpus, String problem, Map<String, String> versions) {
        this.found = found;
        this.bindings = bindings;
        this.gpus = gpus;
        this.problem = problem;
        this.shortProblem = problem == null ? null : problem.split("[;(\n]")[0].trim();
        this.versions = versions;
    }

    /** Probes with the libraries found from {@code folder} (null: search every usual place). */
    public static CudaDevices probe(Path folder) {
        return probe(new CudaLibraries(), folder);
    }

    static CudaDevices probe(CudaLibraries libraries, Path folder) {
        CudaLibraries.Found found = libraries.find(folder);
        Map<String, String> versions = new LinkedHashMap<>();
        if (found.source().isEmpty()) {
            return new CudaDevices(found, null, List.of(), "no CUDA libraries were found (CUDA runtime, cuBLAS, cuSOLVER); "
                    + found.searchReport() + "\nFix: pip install nvidia-cuda-runtime nvidia-cublas nvidia-cusolver (CUDA 13; the "
                    + "-cu12 packages for a CUDA 12 driver; a CUDA build of PyTorch brings them), or name their folder with "
                    + "--cuda-libs DIR", versions);
        }
        CudaBindings cu;
        try {
            cu = new CudaBindings(found.loadOrder());
        } catch (CudaUnavailableException e) {
            return new CudaDevices(found, null, List.of(), e.getMessage(), versions);
        }
        String from = found.source().get().name() + " " + found.loadOrder().stream().map(Path::getParent).distinct()
                .map(Path::toString).collect(Collectors.joining(", "));
        versions.put("libraries", found.loadOrder().stream().map(Path::toString).collect(Collectors.joining(", ")));
        int runtime = intOrZero(cu, cu.cudaRuntimeGetVersion);
        int driver = intOrZero(cu, cu.cudaDriverGetVersion);
        versions.put("cuda_runtime", CudaBindings.cudaVersion(runtime));
        versions.put("driver", CudaBindings.cudaVersion(driver) + driverModule().map(m -> " (kernel module " + m + ")").orElse(""));
        versions.put("cublas", CudaBindings.libraryVersion(cu.cublasGetProperty));
        versions.put("cusolver", CudaBindings.libraryVersion(cu.cusolverGetProperty));

        List<Gpu> gpus = new ArrayList<>();
        String problem = null;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            int status = CudaBindings.call(cu.cudaGetDeviceCount, count);
            if (status == CudaBindings.ERROR_INSUFFICIENT_DRIVER) {
                problem = driver == 0
                        ? "no NVIDIA driver is installed (the CUDA runtime " + CudaBindings.cudaVersion(runtime) + " found libcuda.so.1 nowhere); "
                                + "libraries from " + from + ". A GPU needs NVIDIA's driver"
                        : "the NVIDIA driver supports CUDA up to " + CudaBindings.cudaVersion(driver) + ", older than the CUDA runtime "
                                + CudaBindings.cudaVersion(runtime) + " found (" + from + "). Update the driver, or name a folder with "
                                + "libraries for CUDA " + CudaBindings.cudaVersion(driver) + " or older with --cuda-libs (e.g. the -cu12 pip packages)";
            } else if (status == CudaBindings.ERROR_NO_DEVICE) {
                String visible = System.getenv("CUDA_VISIBLE_DEVICES");
                problem = "the NVIDIA driver (CUDA " + CudaBindings.cudaVersion(driver) + ") sees no GPU"
                        + (visible != null ? "; CUDA_VISIBLE_DEVICES=\"" + visible + "\" may hide them" : "");
            } else if (status != 0) {
                problem = "cudaGetDeviceCount failed: " + cu.errorText(status) + " (libraries from " + from + ")";
            } else {
                for (int d = 0; d < count.get(JAVA_INT, 0); d++) {
                    gpus.add(describe(cu, d, arena));
                }
                if (gpus.isEmpty()) {
                    problem = "the CUDA runtime reports no GPU";
                }
            }
        }
        return new CudaDevices(found, cu, List.copyOf(gpus), problem, versions);
    }

    private static Gpu describe(CudaBindings cu, int device, Arena arena) {
        MemorySegment props = arena.allocate(8192, 16); // larger than cudaDeviceProp in any CUDA version
        String name = "GPU " + device;
        long total = -1;
        if (CudaBindings.call(cu.cudaGetDeviceProperties, props, device) == 0) {
            name = props.getString(0);
            long t = props.get(JAVA_LONG, TOTAL_MEMORY_OFFSET);
            total = t > 0 && t < 1L << 50 ? t : -1;
        }
        MemorySegment value = arena.allocate(JAVA_INT);
        int major = CudaBindings.call(cu.cudaDeviceGetAttribute, value, CudaBindings.ATTR_COMPUTE_MAJOR, device) == 0 ? value.get(JAVA_INT, 0) : -1;
        int minor = CudaBindings.call(cu.cudaDeviceGetAttribute, value, CudaBindings.ATTR_COMPUTE_MINOR, device) == 0 ? value.get(JAVA_INT, 0) : -1;
        return new Gpu(device, name, major, minor, total);
    }

    private static int intOrZero(CudaBindings cu, java.lang.invoke.MethodHandle function) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            return CudaBindings.call(function, out) == 0 ? out.get(JAVA_INT, 0) : 0;
        }
    }

    /** The kernel module's version (e.g. 580.95.05) from /proc/driver/nvidia/version, where the driver is loaded. */
    static Optional<String> driverModule() {
        try {
            String text = Files.readString(Path.of("/proc/driver/nvidia/version"));
            Matcher m = MODULE_VERSION.matcher(text);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public boolean usable() {
        return problem == null;
    }

    /** Why no GPU can be used; empty when one can. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** The first clause of {@link #problem()}, e.g. "no NVIDIA driver is installed", for a status line. */
    public Optional<String> shortProblem() {
        return Optional.ofNullable(shortProblem);
    }

    public List<Gpu> gpus() {
        return gpus;
    }

    /** Runtime, driver, cuBLAS and cuSOLVER versions and where the libraries came from (what loaded). */
    public Map<String, String> versions() {
        return Map.copyOf(versions);
    }

    public CudaLibraries.Found libraries() {
        return found;
    }

    /** GPU {@code ordinal}; a {@link CudaUnavailableException} says why it cannot be used. */
    public Gpu gpu(int ordinal) {
        if (problem != null) {
            throw new CudaUnavailableException("--device cuda:" + ordinal + ": " + problem + ". The CPU needs none of this: --device cpu");
        }
        if (ordinal < 0 || ordinal >= gpus.size()) {
            throw new CudaUnavailableException("--device cuda:" + ordinal + ": this machine has " + gpus.size() + " GPU"
                    + (gpus.size() == 1 ? "" : "s") + " (" + gpus.stream().map(Gpu::label).collect(Collectors.joining(", ")) + ")");
        }
        return gpus.get(ordinal);
    }

    /** The linear algebra on GPU {@code ordinal}. */
    public CudaLinearAlgebra open(int ordinal) {
        Gpu gpu = gpu(ordinal);
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("device", gpu.key());
        provenance.put("name", gpu.name());
        provenance.put("compute_capability", String.format(Locale.ROOT, "%d.%d", gpu.computeMajor(), gpu.computeMinor()));
        provenance.putAll(versions);
        return new CudaLinearAlgebra(new CudaGpu(bindings, gpu, provenance));
    }
}
