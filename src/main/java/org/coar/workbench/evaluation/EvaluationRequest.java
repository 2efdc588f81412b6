package org.coar.workbench.evaluation;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One evaluation of attributions against fresh ablations of the store's model.
 *
 * @param storeDir        the store the attributions were fitted on (its run.json names model, data, output)
 * @param attributionsDir the attributions to evaluate
 * @param outDir          where report.json, the arrays and the figures go
 * @param alphas          ablated fractions to evaluate at, each in (0, 1)
 * @param runs            fresh ablated models per α
 * @param seed            evaluation seed; null derives one from the store's seed (recorded in the report)
 * @param baselines       baselines to score beside COAR
 * @param devices         "cpu", "cuda:0", ...; empty for every GPU, else the CPU
 * @param cpuWorkers      model replicas on the CPU (0: one per core)
 * @param batchSize       examples per forward pass
 * @param scatterExample  example for the predicted-vs-actual figure; null picks the one with COAR's median correlation
 * @param forceAttributions use attributions fitted on another store or model (recorded in the report) instead of refusing them
 */
public record EvaluationRequest(Path storeDir, Path attributionsDir, Path outDir, List<Double> alphas, int runs, Long seed,
                                Set<Baseline> baselines, List<String> devices, int cpuWorkers, int batchSize, Integer scatterExample,
                                boolean forceAttributions) {
    public static final List<Double> DEFAULT_ALPHAS = List.of(0.025, 0.05, 0.1);
    public static final int DEFAULT_RUNS = 100;
    public static final String DEFAULT_OUT = "eval";

    public EvaluationRequest {
        alphas = List.copyOf(alphas);
        baselines = baselines.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(baselines));
        devices = List.copyOf(devices);
    }

    /** An evaluation that refuses attributions fitted on another store or model. */
    public EvaluationRequest(Path storeDir, Path attributionsDir, Path outDir, List<Double> alphas, int runs, Long seed,
                             Set<Baseline> baselines, List<String> devices, int cpuWorkers, int batchSize, Integer scatterExample) {
        this(storeDir, attributionsDir, outDir, alphas, runs, seed, baselines, devices, cpuWorkers, batchSize, scatterExample, false);
    }

    /** The defaults: α 0.025, 0.05, 0.1, 100 runs each, every baseline, output in ATTRIBUTIONS/eval. */
    public static EvaluationRequest defaults(Path storeDir, Path attributionsDir) {
        return new EvaluationRequest(storeDir, attributionsDir, attributionsDir.resolve(DEFAULT_OUT), DEFAULT_ALPHAS, DEFAULT_RUNS,
                null, EnumSet.allOf(Baseline.class), List.of(), 0, 100, null);
    }
}
