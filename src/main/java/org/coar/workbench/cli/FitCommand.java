package org.coar.workbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.fit.FitBackend;
import org.coar.workbench.fit.FitConfig;
import org.coar.workbench.fit.FitConfigReader;
import org.coar.workbench.fit.FitRequest;
import org.coar.workbench.fit.FitDevice;
import org.coar.workbench.fit.FitDevices;
import org.coar.workbench.fit.FitResult;
import org.coar.workbench.fit.FitWarnings;
import org.coar.workbench.fit.RowCount;
import org.coar.workbench.fit.Solver;
import org.coar.workbench.job.Progress;
import org.coar.workbench.job.ProgressThrottle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "fit", mixinStandardHelpOptions = true,
        description = {"Fit component attributions from a store's completed rows: one linear model per example, "
                + "from one streamed pass over the store. Writes weight.npy, bias.npy, lam.npy, raw_weight.npy, mask_mean.npy, "
                + "mask_std.npy and report.json.",
            "The reference regression YAML (data.*, cfg.*, early_stopping.*) is read as it is; its usual k: 1, "
                + "manual_max_lambda: 0 means least squares, solved exactly."})
final class FitCommand implements Callable<Integer> {
    @Spec
    private CommandSpec commandSpec;

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "Store directory (masks.npy, outputs, _completed.npy).")
    private Path storeDir;

    @Option(names = "--config", paramLabel = "regression_config.yaml",
            description = "Regression config in the reference layout, plus an optional 'workbench:' section (solver, lambdas, "
                    + "output_array, exclude_non_finite, tolerance, max_sweeps, block_rows).")
    private Path configFile;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Attributions directory to create (default: cfg.out_dir, else DIR/attributions inside the store). "
                    + "Must not exist or be empty; written all or nothing.")
    private Path outDir;

    @Option(names = "--solver", paramLabel = "ols|lasso|ridge",
            description = "ols (least squares, default), lasso (the reference's λ path) or ridge. Overrides the config.")
    private String solver;

    @Option(names = "--output-array", paramLabel = "NAME",
            description = "Store array to fit (default: the only array besides masks).")
    private String outputArray;

    @Option(names = "--num-train", paramLabel = "N|FRACTION",
            description = "Training rows: a count (45000; 1 is one row), or, written with a decimal point, a fraction of the "
                    + "completed rows in [0, 1] (0.9; 1.0 = all).")
    private String numTrain;

    @Option(names = "--num-val", paramLabel = "N|FRACTION",
            description = "Validation rows: a count (5000; 0 = none), or a fraction of the completed rows written with a "
                    + "decimal point (0.1).")
    private String numVal;

    @Option(names = "--seed", paramLabel = "SEED",
            description = "Shuffle completed rows with this seed before splitting (default: data.seed; none = ordered split).")
    private Long seed;

    @Option(names = "--lambdas", split = ",", paramLabel = "λ[,λ...]",
            description = "Explicit λ grid for lasso/ridge, replacing the k/eps grid.")
    private List<Double> lambdas;

    @Option(names = "--memory", paramLabel = "SIZE",
            description = "Memory the fit may plan with, e.g. 16g or 512m (default: the machine's available memory less a margin; "
                    + "workbench.memory in the config). The plan splits the outputs into blocks, or uses float32, to fit; "
                    + "it refuses before reading a row when nothing fits.")
    private String memory;

    @Option(names = "--plan", description = "Print the memory plan (method, precision, output blocks, allocations) and exit without fitting.")
    private boolean planOnly;

    @Option(names = "--device", paramLabel = "cpu|cuda:N|auto", defaultValue = "auto",
            description = "Where the linear algebra runs: cpu (ND4J), cuda:N (cuBLAS/cuSOLVER on GPU N), or auto, the default: "
                    + "the first usable GPU, else the CPU.")
    private String device;

    @Option(names = "--cuda-libs", paramLabel = "DIR",
            description = "Folder with libcudart, libcublas, libcublasLt and libcusolver (or a Python site-packages with NVIDIA's "
                    + "pip packages). Default: COAR_CUDA_LIBS, CUDA_HOME, LD_LIBRARY_PATH, Python environments, ldconfig, /usr/local/cuda.")
    private Path cudaLibs;

    @Option(names = "--exclude-non-finite",
            description = "Fit without rows whose outputs are NaN/Inf (they are listed in report.json) instead of failing.")
    private boolean excludeNonFinite;

    @Override
    public Integer call() {
        PrintWriter out = commandSpec.commandLine().getOut();
        PrintWriter err = commandSpec.commandLine().getErr();
        FitConfig config = configFile == null ? FitConfig.defaults() : new FitConfigReader().read(configFile);
        config = applyOverrides(config);
        config.warnings().forEach(w -> err.println("warning: " + w));
        Path target = outDir != null ? outDir : config.outDir() != null ? Path.of(config.outDir()) : storeDir.resolve(org.coar.workbench.attributions.Attributions.DEFAULT_DIR);
        err.println("fit: solver " + config.solver().key() + " (" + config.solverReason() + ")");
        FitBackend backend = new FitDevices(cudaLibs).select(FitDevice.parse(device));
        err.println("fit: device " + backend.description() + " (" + backend.reason() + ")");
        if (planOnly) {
            out.println(backend.service().plan(new FitRequest(storeDir, target, config)).describe());
            return 0;
        }

        FitRequest request = new FitRequest(storeDir, target, config);
        FitResult result = Interruptible.run(err, "nothing is written",
                cancel -> backend.service().fit(request, new ProgressLine(err), cancel));
        out.printf(Locale.ROOT, "Wrote %s%n", result.outDir());
        out.printf(Locale.ROOT, "  solver %s; %d examples x %d components (%d constant, weight 0)%n", result.solver().key(),
                result.examples(), result.components(), result.zeroVarianceComponents());
        out.printf(Locale.ROOT, "  rows: %d train, %d validation, final fit on %d%n", result.trainRows(), result.validationRows(),
                result.finalRows());
        if (!Double.isNaN(result.medianValidationR2())) {
            out.printf(Locale.ROOT, "  validation R^2 (median over examples): %.4f%n", result.medianValidationR2());
        }
        out.printf(Locale.ROOT, "  time: %s%n", timings(result));
        out.printf(Locale.ROOT, "  memory: peak %.2f GiB resident; the plan held %.2f GiB of its %.2f GiB budget (%s)%n",
                result.peakRssBytes() / (double) (1L << 30), result.plan().peakBytes() / (double) (1L << 30),
                result.plan().budget().bytes() / (double) (1L << 30), result.plan().budget().source());
        List<String> printed = config.warnings();
        result.warnings().stream().filter(w -> !printed.contains(w)).forEach(w -> err.println("warning: " + w));
        FitWarnings.forResult(result).forEach(w -> err.println("warning: " + w));
        return 0;
    }

    private FitConfig applyOverrides(FitConfig config) {
        FitConfig.Builder c = config.toBuilder();
        if (solver != null) {
            Solver s = Solver.fromKey(solver).orElseThrow(() -> new WorkbenchException("--solver: must be ols, lasso or ridge, found \"" + solver + "\""));
            c.optSolver(s, "--solver");
        }
        if (numTrain != null) {
            c.optNumTrain(RowCount.parse(numTrain, "--num-train"));
        }
        if (numVal != null) {
            c.optNumVal(RowCount.parse(numVal, "--num-val"));
        }
        if (seed != null) {
            c.optSeed(seed);
        }
        if (lambdas != null) {
            if (lambdas.stream().anyMatch(v -> !(v >= 0) || v.isInfinite())) {
                throw new WorkbenchException("--lambdas: every λ must be a number ≥ 0, found " + lambdas);
            }
            c.optLambdas(lambdas);
        }
        if (outputArray != null) {
            c.optOutputArray(outputArray);
        }
        if (excludeNonFinite) {
            c.optExcludeNonFinite(true);
        }
        if (memory != null) {
            c.optPlan(config.plan().withMemory(org.coar.workbench.fit.PlanOptions.parseSize(memory, "--memory")));
        }
        return c.build();
    }

    private static String timings(FitResult r) {
        StringBuilder s = new StringBuilder();
        r.stageSeconds().entrySet().stream()
                .sorted(java.util.Map.Entry.comparingByKey(java.util.Comparator.comparingInt(k -> List.of("open", "reading",
                        "solving", "writing", "total").indexOf(k))))
                .forEach(e -> s.append(s.isEmpty() ? "" : ", ").append(e.getKey()).append(' ')
                        .append(String.format(Locale.ROOT, "%.1f s", e.getValue())));
        return s.toString();
    }

    /** Progress on stderr: a line per stage change and per stage's end, and at most one every two seconds within a stage. */
    static final class ProgressLine implements java.util.function.Consumer<Progress> {
        private static final Duration INTERVAL = Duration.ofSeconds(2);
        private final PrintWriter err;
        private final ProgressThrottle<Progress> throttle;
        private String stage;

        ProgressLine(PrintWriter err) {
            this.err = err;
            this.throttle = new ProgressThrottle<>(INTERVAL, this::print);
        }

        @Override
        public synchronized void accept(Progress p) {
            if (!p.stage().equals(stage) || p.fraction() == 1) {
                stage = p.stage();
                throttle.acceptNow(p);
            } else {
                throttle.accept(p);
            }
        }

        private void print(Progress p) {
            err.printf(Locale.ROOT, "fit: %-13s %5.1f%%  %s%n", p.stage(), 100 * Math.max(0, p.fraction()), p.message());
            err.flush();
        }
    }
}
