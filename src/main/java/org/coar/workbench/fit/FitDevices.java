package org.coar.workbench.fit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.coar.workbench.fit.linalg.Nd4jLinearAlgebra;
import org.coar.workbench.fit.linalg.cuda.CudaDevices;

/**
 * Which devices a fit can run on, and the backend for a choice. The GPUs are probed once, on
 * first use ({@link CudaDevices}: loading the CUDA libraries, asking the runtime); the CPU backend
 * is ND4J, loaded only when a fit runs on the CPU, so the GPU path runs without ND4J's natives.
 */
public final class FitDevices {
    /** A device as a choice in a list. */
    public record Choice(FitDevice device, String label) {
        @Override
        public String toString() {
            return label;
        }
    }

    private final Path cudaLibraries;
    private CudaDevices cuda;

    /** @param cudaLibraries folder with the CUDA libraries (--cuda-libs), or null to search the usual places */
    public FitDevices(Path cudaLibraries) {
        this.cudaLibraries = cudaLibraries;
    }

    /** The GPU probe, made on first call. */
    public synchronized CudaDevices cuda() {
        if (cuda == null) {
            cuda = CudaDevices.probe(cudaLibraries);
        }
        return cuda;
    }

    /** auto, cpu, then every usable GPU. */
    public List<Choice> choices() {
        List<Choice> choices = new ArrayList<>();
        CudaDevices gpus = cuda();
        choices.add(new Choice(FitDevice.AUTO, gpus.usable() ? "Auto (" + gpus.gpus().get(0).label() + ")" : "Auto (the CPU: no usable GPU)"));
        choices.add(new Choice(FitDevice.CPU, "CPU (ND4J)"));
        if (gpus.usable()) {
            gpus.gpus().forEach(g -> choices.add(new Choice(FitDevice.cuda(g.ordinal()), g.label())));
        }
        return choices;
    }

    /**
     * The backend for {@code device}; {@code auto} falls back to the CPU, saying why.
     *
     * @throws org.coar.workbench.fit.linalg.cuda.CudaUnavailableException for cuda:N when that GPU cannot be used
     */
    public FitBackend select(FitDevice device) {
        return switch (device.kind()) {
            case CPU -> cpu("--device cpu");
            case CUDA -> gpu(device.ordinal(), "--device " + device.key());
            case AUTO -> {
                CudaDevices gpus = cuda();
                yield gpus.usable() ? gpu(0, "auto: the first usable GPU")
                        : cpu("auto: no usable GPU, " + gpus.shortProblem().orElseThrow());
            }
        };
    }

    private static FitBackend cpu(String reason) {
        return new FitBackend("cpu", "CPU (ND4J)", reason, Nd4jLinearAlgebra::new);
    }

    private FitBackend gpu(int ordinal, String reason) {
        CudaDevices gpus = cuda();
        return new FitBackend("cuda:" + ordinal, gpus.gpu(ordinal).label(), reason, () -> gpus.open(ordinal));
    }
}
