package org.coar.workbench.bench;

import ai.djl.Device;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.coar.workbench.build.BuildControl;
import java.util.function.Consumer;
import org.coar.workbench.build.BuildRequest;
import org.coar.workbench.build.BuildResult;
import org.coar.workbench.build.BuildService;
import org.coar.workbench.build.RowMasks;
import org.coar.workbench.data.DataLoader;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.demo.DemoProject;
import org.coar.workbench.model.AblatedEvaluator;
import org.coar.workbench.model.Ablator;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.OutputFunction;
import org.coar.workbench.model.TorchModel;

/**
 * Measures the ablation engine on the demo: models per second with and without ablation on the
 * same workers (alternating rounds, so machine noise hits both alike), and a full build.
 */
public final class AblationBenchmark {

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

    public Result run(Path workDir, int workers, int batchSize, int rowsPerRound, int rounds, int buildRows, Consumer<String> log) {
        DemoProject demo = new DemoProject(workDir);
        demo.prepare(buildRows);
        EvalData data = new DataLoader().load(demo.dataSpec());
        List<TorchModel> models = new ArrayList<>();
        List<AblatedEvaluator> evaluators = new ArrayList<>();
        try {
            for (int w = 0; w < workers; w++) {
                TorchModel model = TorchModel.load(demo.model(), Device.cpu());
                models.add(model);
                Components components = Components.select(model.parameters(), List.of(), List.of());
                evaluators.add(new AblatedEvaluator(model, components, data, batchSize, OutputFunction.MARGIN));
            }
            int total = componentsOf(models.getFirst());
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
            double ablateRestore = timeAblateRestore(models.getFirst(), total);
            for (AblatedEvaluator e : evaluators) {
                e.close();
            }
            evaluators.clear();
            models.forEach(TorchModel::close);
            models.clear();

            BuildService service = new BuildService();
            BuildRequest request = new BuildRequest(demo.store(), service.resolveRun(demo.store(), demo.run()), List.of("cpu"),
                    workers, null, null, null, batchSize, false, Duration.ofHours(1));
            BuildResult build = service.build(request, p -> { }, new BuildControl());
            return new Result(workers, batchSize, rowsPerRound, rounds, rows / plainSeconds, rows / ablatedSeconds, ablateRestore,
                    build.rowsBuilt() / (build.elapsed().toNanos() / 1e9), build.rowsBuilt());
        } finally {
            evaluators.forEach(AblatedEvaluator::close);
            models.forEach(TorchModel::close);
        }
    }

    /** Mean seconds of one ablate + restore (the in-place edit alone, no forward pass). */
    private static double timeAblateRestore(TorchModel model, int total) {
        Components components = Components.select(model.parameters(), List.of(), List.of());
        try (Ablator ablator = new Ablator(model, components)) {
            int masks = 400;
            for (int i = 0; i < 50; i++) {
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

    private static int componentsOf(TorchModel model) {
        return Components.select(model.parameters(), List.of(), List.of()).total();
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
