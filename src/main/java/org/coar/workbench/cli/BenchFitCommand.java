package org.coar.workbench.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.coar.workbench.bench.FitBenchmark;
import org.coar.workbench.fit.FitDevice;
import org.coar.workbench.fit.FitDevices;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "fit", mixinStandardHelpOptions = true,
        description = {"Regression benchmark pieces: make a synthetic store in the reference layout (CIFAR scale by "
                + "default: 50,000 rows x 2,304 components, 10,000 float16 outputs, about 1.1 GB) and measure this machine's "
                + "GEMM peak. tools/bench_fit.sh runs the fits and the numpy/SAGA comparisons around it."})
final class BenchFitCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "Where the synthetic store is (made if absent).")
    private Path store;

    @Option(names = "--rows", defaultValue = "50000", description = "Rows (default ${DEFAULT-VALUE}).")
    private int rows;

    @Option(names = "--components", defaultValue = "2304", description = "Components (default ${DEFAULT-VALUE}).")
    private int components;

    @Option(names = "--examples", defaultValue = "10000", description = "Outputs per row (default ${DEFAULT-VALUE}).")
    private int examples;

    @Option(names = "--keep", defaultValue = "0.9", description = "Keep probability (default ${DEFAULT-VALUE}).")
    private double keep;

    @Option(names = "--weight-std", defaultValue = "0.12",
            description = "Std of the true weights; with noise std 1 the default gives R² ≈ 0.75 (default ${DEFAULT-VALUE}).")
    private double weightStd;

    @Option(names = "--peak-only", description = "Only measure the GEMM peak.")
    private boolean peakOnly;

    @Option(names = "--device", paramLabel = "cpu|cuda:N|auto", defaultValue = "cpu",
            description = "Where the GEMMs run (default ${DEFAULT-VALUE}); as for 'coar fit'.")
    private String device;

    @Option(names = "--cuda-libs", paramLabel = "DIR", description = "Folder with the CUDA libraries; as for 'coar fit'.")
    private Path cudaLibs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (LinearAlgebra la = new FitDevices(cudaLibs).select(FitDevice.parse(device)).linearAlgebra().get()) {
            out.println("linear algebra: " + la.description());
            out.println("cpus: " + Runtime.getRuntime().availableProcessors() + ", java " + Runtime.version());
            if (!peakOnly) {
                if (Files.exists(store.resolve("_completed.npy"))) {
                    out.println("store: " + store + " exists, reused");
                } else {
                    long t = System.nanoTime();
                    FitBenchmark.writeStore(store, new FitBenchmark.StoreShape(rows, components, examples, keep, weightStd, 42), la,
                            err::println);
                    out.printf(Locale.ROOT, "store: wrote %s in %.1f s%n", store, (System.nanoTime() - t) / 1e9);
                }
            }
            FitBenchmark.GemmPeak peak = FitBenchmark.measurePeak(la, 2048, components, examples);
            out.printf(Locale.ROOT, "GEMM peak (best of 4): sgemm %dx%d^T x %dx%d %.1f GFLOP/s; ssyrk %.1f GFLOP/s (GEMM-equivalent %.1f); "
                    + "dgemm 2048^3 %.1f GFLOP/s%n", 2048, examples, 2048, components, peak.sgemmGflops(), peak.ssyrkGflops(),
                    2 * peak.ssyrkGflops(), peak.dgemmGflops());
        }
        return 0;
    }
}
