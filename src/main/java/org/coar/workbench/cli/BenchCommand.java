package org.coar.workbench.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.coar.workbench.bench.AblationBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (on the bundled demo unless a model is given); results go to docs/BENCHMARKS.md by hand, with the machine's details.",
        subcommands = {BenchCommand.Ablation.class, BenchCommand.Browse.class, BenchFitCommand.class})
final class BenchCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a benchmark, e.g. 'coar bench ablation'");
    }

    @Command(name = "ablation", mixinStandardHelpOptions = true,
            description = {"Models per second with and without ablation (alternating rounds on the same workers), ablate + restore alone,",
                "and a full build; on the demo, or on --model with --data (and --components)."})
    static final class Ablation implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--model", paramLabel = "MODEL.pt", description = "TorchScript model to measure instead of the demo's (give --data too).")
        private Path model;

        @picocli.CommandLine.ArgGroup(exclusive = false, heading = "Evaluation data of --model:%n")
        private DataOptions data;

        @picocli.CommandLine.Mixin
        private ComponentOptions components = new ComponentOptions();

        @Option(names = "--workers", defaultValue = "0", description = "CPU workers (default: one per core).")
        private int workers;

        @Option(names = "--batch-size", defaultValue = "100", description = "Examples per forward pass (default ${DEFAULT-VALUE}).")
        private int batchSize;

        @Option(names = "--rows", defaultValue = "10", description = "Rows per worker per round (default ${DEFAULT-VALUE}).")
        private int rows;

        @Option(names = "--rounds", defaultValue = "3", description = "Alternating plain/ablated rounds (default ${DEFAULT-VALUE}).")
        private int rounds;

        @Option(names = "--build-rows", defaultValue = "100", description = "Rows of the full build timed at the end, 0 for none (default ${DEFAULT-VALUE}).")
        private int buildRows;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            int workerCount = workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
            if ((model == null) != (data == null)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--model and --data go together");
            }
            Path dir = Files.createTempDirectory("coar-bench");
            try {
                java.util.function.Consumer<String> log = line -> spec.commandLine().getErr().println(line);
                AblationBenchmark.Result r = model == null
                        ? new AblationBenchmark().run(dir, workerCount, batchSize, rows, rounds, buildRows, log)
                        : new AblationBenchmark().run(new AblationBenchmark.Subject(model.toAbsolutePath(), data.toSpec(),
                                org.coar.workbench.model.ComponentPreset.parse(components.preset)), dir, workerCount, batchSize, rows,
                                rounds, buildRows, log);
                out.printf(Locale.ROOT, "workers %d, batch size %d, %d rounds of %d rows per worker%n", r.workers(), r.batchSize(),
                        r.rounds(), r.rowsPerRound());
                out.printf(Locale.ROOT, "plain forward:              %.2f models/s%n", r.plainRowsPerSecond());
                out.printf(Locale.ROOT, "ablate + forward + restore: %.2f models/s (throughput overhead %.1f%%)%n", r.ablatedRowsPerSecond(),
                        100 * r.throughputOverhead());
                out.printf(Locale.ROOT, "ablate + restore alone:     %.3f ms per model = %.2f%% of a plain pass over the data%n",
                        1000 * r.ablateRestoreSeconds(), 100 * r.ablateRestoreOverhead());
                if (r.buildRows() > 0) {
                    out.printf(Locale.ROOT, "full build (%d rows, store writes included): %.2f models/s%n", r.buildRows(), r.buildRowsPerSecond());
                }
            } finally {
                deleteTree(dir);
            }
            return 0;
        }
    }

    @Command(name = "browse", mixinStandardHelpOptions = true,
            description = "Milliseconds to select an example in the Attributions panel (read its scores, top-k, mass per layer).")
    static final class Browse implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @Option(names = "--components", defaultValue = "2304", description = "Components (default ${DEFAULT-VALUE}).")
        private int components;

        @Option(names = "--examples", defaultValue = "10000", description = "Examples (default ${DEFAULT-VALUE}).")
        private int examples;

        @Option(names = "--selections", defaultValue = "200", description = "Selections timed (default ${DEFAULT-VALUE}).")
        private int selections;

        @Override
        public Integer call() throws Exception {
            Path dir = Files.createTempDirectory("coar-bench-browse");
            try {
                org.coar.workbench.bench.BrowseBenchmark.Result r = new org.coar.workbench.bench.BrowseBenchmark()
                        .run(dir, components, examples, selections);
                spec.commandLine().getOut().printf(Locale.ROOT,
                        "%d components x %d examples: first selection %.2f ms, then median %.3f ms, max %.3f ms (%d selections)%n",
                        r.components(), r.examples(), r.firstMillis(), r.medianMillis(), r.maxMillis(), selections);
            } finally {
                deleteTree(dir);
            }
            return 0;
        }
    }

    /** Benchmarks work in a temporary directory and leave nothing behind. */
    static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
