package org.coar.workbench.cli;

import java.nio.file.Path;
import org.coar.workbench.store.RunConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options that define a store's rows (model, data, output, α, seed, components): given on its
 * first build and then recorded in run.json; given again, they must match it.
 */
final class RunOptions {
    @Option(names = "--model", paramLabel = "MODEL.pt", description = "TorchScript model (torch.jit.trace/script output, not frozen).")
    Path model;

    @ArgGroup(exclusive = false, heading = "Evaluation data (first build only; recorded in run.json):%n")
    DataOptions data;

    @Option(names = "--output", paramLabel = "FUNCTION", description = "Output per example: margin (default; correct logit minus largest other), logprob or loss.")
    String output;

    @Option(names = "--output-array", paramLabel = "NAME", description = "Store array for outputs (default: the store's only array besides masks).")
    String outputArray;

    @Option(names = "--model-output", paramLabel = "INDEX|KEY",
            description = "For a model whose forward returns a tuple/list or dict: the element holding the logits, by position "
                    + "(e.g. 1 for (features, logits)) or key (e.g. logits). Recorded in run.json.")
    String modelOutput;

    @Option(names = "--alpha", paramLabel = "A", description = "Fraction of components ablated per model, each independently (default 0.05).")
    Double alpha;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the per-row masks; row r's mask depends only on (seed, r). Default 0.")
    Long seed;

    @Option(names = "--autocast", description = "Run the forward passes under CUDA autocast (float16 mixed precision, as the reference's "
            + "torch.cuda.amp.autocast()): faster on GPUs, rows differ from float32 ones; GPU workers only. Default off.")
    Boolean autocast;

    @Mixin
    ComponentOptions components = new ComponentOptions();

    /** The requested settings; null fields mean "as recorded in run.json" (or the default on a first build). */
    RunConfig toRequest() {
        return RunConfig.builder().optModel(model == null ? null : model.toString()).optData(data == null ? null : data.toSpec())
                .optOutput(output).optOutputArray(outputArray).optAlpha(alpha).optSeed(seed).optInclude(components.include)
                .optExclude(components.exclude).optOutputElement(modelOutput).optComponents(components.preset).optAutocast(autocast)
                .build();
    }
}
