package org.coar.workbench.bench;

import ai.djl.Device;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.coar.workbench.ablation.BuildRequest;
import org.coar.workbench.ablation.BuildResult;
import org.coar.workbench.ablation.BuildService;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.store.RowMasks;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.data.DataLoader;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.demo.DemoProject;
import org.coar.workbench.model.AblatedEvaluator;
import org.coar.workbench.model.Ablator;
import org.coar.workbench.model.ComponentPreset;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.OutputFunction;
import org.coar.workbench.model.TorchModel;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.spec.ArraySpec;
import org.coar.workbench.spec.StoreSpec;
import org.coar.workbench.store.Store;

/**
 * Measures the ablation engine on the demo, or on any model and evaluation data: models per second
 * with and without ablation on the same workers (alternating rounds, so machine noise hits both
 * alike), ablate + restore alone, and a full build.
 */
public final class AblationBenchmark {

    /** What is measured: a model, its evaluation data and the component preset. */
    public record Subject(Path model, DataSpec data, ComponentPreset preset) {
    }

    /** Results; rates are ablated models (rows) per second over all workers. */
    public record Result(int workers, int batchSize, int rowsPerRound, int rounds, double plainRowsPerSecond,
                         double ablatedRowsPerSecond, double ablateRestoreSeconds, double buildRowsPerSecond, long buildRows) {
        /** Throughput lost to ablation in the alternating rounds (noisy on a shared machine). */
        public double throughputOverhead() {
            return plainRowsPerSecond / ablatedRowsPerSecond - 1;
        }

        /** Time of ablate + restore alone relative to one worker's plain pass over the data. */
        public double ablateRestoreOverhead() {
            return ablateRestoreSeconds / (workers / plainRowsPerSecond);
        }
    }

    /** The benchmark on the bundled demo, unpacked into {@code workDir}. */
    public Result run(Path workDir, int workers, int batchSize, int rowsPerRound, int rounds, int buildRows, Consumer<String> log) {
        DemoProject demo = new DemoProject(workDir);
        demo.prepare(1);
        return run(new Subject(demo.model(), demo.dataSpec(), ComponentPreset.DEFAULT), workDir, workers, batchSize, rowsPerRound,
                rounds, buildRows, log);
    }

    /** The benchmark on {@code subject}; the build (skipped for {@code buildRows} 0) fills a store made in {@code workDir}. */
    public Result run(Subject subject, Path workDir, int workers, int batchSize, int rowsPerRound, int rounds, int buildRows,
                      Consumer<String> log) {
        EvalData data = new DataLoader().load(subject.data());
        List<TorchModel> models = new ArrayList<>();
        List<AblatedEvaluator> evaluators = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                TorchModel model = TorchModel.load(subject.model(), Device.cpu());
                models.add(model);
                evaluators.add(new AblatedEvaluator(model, components(model, subject), data, batchSize, OutputFunction.MARGIN));
            }
            int total = components(models.getFirst(), subject).total();
            boolean[] keepAll = new boolean[total];
            Arrays.fill(keepAll, true);
            timeRound(evaluators, w -> keepAll, rowsPerRound); // warm-up
            double plainSeconds = 0;
            double ablatedSeconds = 0;
            for (int round = 0; round < rounds; round++) {
                int offset = round * rowsPerRound * workers;
                plainSeconds += timeRound(evaluators, r -> keepAll, rowsPerRound);
                ablatedSeconds += timeRound(evaluators, r -> RowMasks.keepMask(1, offset + r, total, DemoProject.ALPHA), rowsPerRound);
                log.accept(String.format(java.util.Locale.ROOT, "round %d/%d: plain %.2f rows/s, ablated %.2f rows/s", round + 1, rounds,
                        (round + 1.0) * rowsPerRound * workers / plainSeconds, (round + 1.0) * rowsPerRound * workers / ablatedSeconds));
            }
            double rows = (double) rounds * rowsPerRound * workers;
            double ablateRestore = timeAblateRestore(models.getFirst(), components(models.getFirst(), subject));
            for (AblatedEvaluator e : evaluators) {
                e.close();
            }
            evaluators.clear();
            models.forEach(TorchModel::close);
            models.clear();

            if (buildRows == 0) {
                return new Result(workers, batchSize, rowsPerRound, rounds, rows / plainSeconds, rows / ablatedSeconds, ablateRestore,
                        Double.NaN, 0);
            }
            Path store = workDir.resolve("bench-store");
            Map<String, ArraySpec> schema = new LinkedHashMap<>();
            schema.put("masks", new ArraySpec(Dtype.BOOL, List.of((long) total)));
            schema.put("margins", new ArraySpec(Dtype.FLOAT16, List.of((long) data.size())));
            Store.create(store, new StoreSpec(buildRows, schema));
            BuildService service = new BuildService();
            RunConfig run = RunConfig.builder().optModel(subject.model().toString()).optData(subject.data()).optOutput("margin")
                    .optMaskArray("masks").optOutputArray("margins").optAlpha(DemoProject.ALPHA).optSeed(0L)
                    .optComponents(subject.preset().cliName()).build();
            BuildRequest request = new BuildRequest(store, service.resolveRun(store, run), List.of("cpu"),
                    workers, null, null, null, batchSize, false, Duration.ofHours(1));
            BuildResult build = service.build(request, p -> { }, new Cancellation());
            return new Result(workers, batchSize, rowsPerRound, rounds, rows / plainSeconds, rows / ablatedSeconds, ablateRestore,
                    build.rowsBuilt() / (build.elapsed().toNanos() / 1e9), build.rowsBuilt());
        } finally {
            evaluators.forEach(AblatedEvaluator::close);
            models.forEach(TorchModel::close);
        }
    }

    private static Components components(TorchModel model, Subject subject) {
        return Components.select(model.parameters(), subject.preset(), List.of(), List.of());
    }

    /** Mean seconds of one ablate + restore (the in-place edit alone, no forward pass). */
    private static double timeAblateRestore(TorchModel model, Components components) {
        int total = components.total();
        try (Ablator ablator = new Ablator(model, components)) {
            int masks = 100;
            for (int i = 0; i < 10; i++) {
                ablator.ablate(RowMasks.keepMask(2, i, total, DemoProject.ALPHA));
                ablator.restore();
            }
            long start = System.nanoTime();
            for (int i = 0; i < masks; i++) {
                ablator.ablate(RowMasks.keepMask(3, i, total, DemoProject.ALPHA));
                ablator.restore();
            }
            return (System.nanoTime() - start) / 1e9 / masks;
        }
    }

    /** Seconds for every worker to evaluate {@code rows} masks concurrently. */
    private static double timeRound(List<AblatedEvaluator> evaluators, java.util.function.IntFunction<boolean[]> mask, int rows) {
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < evaluators.size(); w++) {
            AblatedEvaluator evaluator = evaluators.get(w);
            int worker = w;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int r = 0; r < rows; r++) {
                    evaluator.evaluate(mask.apply(worker * rows + r), () -> false);
                }
            }));
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
