package org.coar.workbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.coar.workbench.evaluation.Baseline;
import org.coar.workbench.evaluation.EvaluationRequest;
import org.coar.workbench.evaluation.EvaluationResult;
import org.coar.workbench.evaluation.EvaluationService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate attributions as the paper does: ablate fresh random alpha-fractions of components (seeded, never the "
            + "store's masks), run the model on every evaluation example, and report per example the Pearson correlation between "
            + "actual and predicted outputs over the runs, for COAR and the baselines.",
            "Also checks, without running the model, the correlation on the store rows the fit held out.",
            "Writes report.json, the runs, every method's predictions and the per-example correlations as .npy, and PNG figures to --out."})
final class EvalCommand implements Callable<Integer> {
    @Spec
    private CommandSpec commandSpec;

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store the attributions were fitted on (its run.json names model, data and output).")
    private Path store;

    @Option(names = "--attributions", required = true, paramLabel = "DIR", description = "Attributions directory written by 'coar fit'.")
    private Path attributions;

    @Option(names = "--alphas", split = ",", paramLabel = "A", defaultValue = "0.025,0.05,0.1",
            description = "Ablated fractions to evaluate at (default ${DEFAULT-VALUE}).")
    private List<Double> alphas;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "" + EvaluationRequest.DEFAULT_RUNS,
            description = "Fresh ablated models per alpha (default ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--seed", paramLabel = "S", description = "Evaluation seed (default: derived from the store's seed; recorded in report.json).")
    private Long seed;

    @Option(names = "--baselines", split = ",", paramLabel = "LIST", defaultValue = "loo,grad-x-param,weight-norm",
            description = "Baselines to score beside COAR: loo (leave-one-out, cached in STORE/loo), grad-x-param, weight-norm, "
                    + "or none (default ${DEFAULT-VALUE}).")
    private List<String> baselines;

    @Option(names = "--example", paramLabel = "J", description = "Example for the predicted-vs-actual figure (default: the one with COAR's median correlation).")
    private Integer example;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: ATTRIBUTIONS/eval).")
    private Path out;

    @Option(names = "--force-attributions",
            description = "Use attributions fitted on another store or model (their report.json names both) instead of refusing "
                    + "them; the report records that they were forced.")
    private boolean forceAttributions;

    @Mixin
    private DeviceOptions deviceOptions;

    @Override
    public Integer call() {
        Set<Baseline> chosen = EnumSet.noneOf(Baseline.class);
        for (String name : baselines) {
            if (!name.equalsIgnoreCase("none")) {
                chosen.add(Baseline.parse(name));
            }
        }
        EvaluationRequest request = new EvaluationRequest(store, attributions,
                out != null ? out : attributions.resolve(EvaluationRequest.DEFAULT_OUT), alphas, runs, seed, chosen,
                deviceOptions.devices, deviceOptions.cpuWorkers,
                deviceOptions.batchSize, example, forceAttributions);
        PrintWriter err = commandSpec.commandLine().getErr();
        StageProgressBar bar = new StageProgressBar(err, System.console() != null);
        EvaluationResult result;
        try {
            result = Interruptible.run(err, "the leave-one-out rows computed so far stay cached",
                    cancel -> new EvaluationService().evaluate(request, bar::update, cancel));
        } finally {
            bar.finish();
        }
        PrintWriter output = commandSpec.commandLine().getOut();
        output.println("Per-example correlation between actual and predicted outputs, mean (median), " + result.runs()
                + " runs per alpha:");
        output.println(result.table());
        output.println("Report: " + result.report());
        result.figures().forEach(f -> output.println("Figure: " + f));
        return 0;
    }
}
