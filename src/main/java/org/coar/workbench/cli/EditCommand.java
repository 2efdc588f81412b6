package org.coar.workbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.coar.workbench.edit.EditMode;
import org.coar.workbench.edit.EditRequest;
import org.coar.workbench.edit.EditResult;
import org.coar.workbench.edit.EditService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "edit", mixinStandardHelpOptions = true,
        description = {"COAR-Edit: score each component by the Welch t-statistic between the target and the reference examples' "
            + "attributions, ablate the k best, and report accuracy and mean margin of target, reference and all examples before "
            + "and after.",
            "Example sets: indices (17), ranges (10-20), misclassified, misclassified:N (the first N), correct, label:K, all; "
            + "for --reference also rest "
            + "(every example outside the target), the default.",
            "--components 3,17,40 ablates exactly those components (mask indices) instead of the k best; --target is then "
            + "optional, and the table shows the target, the reference and all examples before and after.",
            "Writes report.json (with the ablated components and a PyTorch one-liner that redoes the edit), margins.csv (every "
            + "example's margin before and after), and with --sweep sweep.csv and sweep.png, to --out."})
final class EditCommand implements Callable<Integer> {
    @Spec
    private CommandSpec commandSpec;

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store the attributions were fitted on.")
    private Path store;

    @Option(names = "--attributions", required = true, paramLabel = "DIR", description = "Attributions directory written by 'coar fit'.")
    private Path attributions;

    @Option(names = "--target", paramLabel = "EXAMPLES",
            description = "Examples whose outputs the edit should change (required unless --components is given).")
    private String target;

    @Option(names = "--reference", paramLabel = "EXAMPLES", defaultValue = "rest",
            description = "Examples whose outputs the edit should keep (default: ${DEFAULT-VALUE}, every example outside the target).")
    private String reference;

    @Option(names = "--k", paramLabel = "K", description = "Components to ablate, the k best of the ranking (required unless --components).")
    private Integer k;

    @Option(names = "--components", paramLabel = "INDICES",
            description = "Ablate exactly these components, as mask indices separated by commas (e.g. 3,17,40), instead of the k best; "
                    + "not with --k, --mode or --sweep.")
    private String components;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "topk",
            description = "topk: ablate the highest scores, lowering the target's outputs (as the reference's default); bottomk: ablate "
                    + "the lowest, raising them, e.g. to fix a misclassified example (default ${DEFAULT-VALUE}).")
    private String mode;

    @Option(names = "--sweep", paramLabel = "MAX_K", description = "Also measure k = 1..MAX_K: sweep.csv and sweep.png in --out.")
    private Integer sweep;

    @Option(names = "--save", paramLabel = "EDITED.pt", description = "Write the edited model as TorchScript (torch.jit.load opens it).")
    private Path save;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: ATTRIBUTIONS/edit).")
    private Path out;

    @Option(names = "--force-attributions",
            description = "Use attributions fitted on another store or model (their report.json names both) instead of refusing "
                    + "them; the report records that they were forced.")
    private boolean forceAttributions;

    @Mixin
    private DeviceOptions deviceOptions;

    @Override
    public Integer call() {
        Path outDir = out != null ? out : attributions.resolve(EditRequest.DEFAULT_OUT);
        EditRequest request;
        if (components != null) {
            for (String alone : List.of("--k", "--mode", "--sweep")) {
                if (commandSpec.commandLine().getParseResult().hasMatchedOption(alone)) {
                    throw new ParameterException(commandSpec.commandLine(), "--components ablates exactly the listed components, so it "
                            + "does not go with " + alone + " (which ranks them); drop one of the two");
                }
            }
            request = EditRequest.explicit(store, attributions, componentIndices(components), target == null ? "" : target, reference,
                    save, outDir, deviceOptions.devices, deviceOptions.cpuWorkers, deviceOptions.batchSize, forceAttributions);
        } else {
            if (target == null || k == null) {
                throw new ParameterException(commandSpec.commandLine(), "give --target and --k (ablate the k best components for the "
                        + "target), or --components (ablate exactly those)");
            }
            request = new EditRequest(store, attributions, target, reference, k, EditMode.parse(mode), sweep, save, outDir,
                    deviceOptions.devices, deviceOptions.cpuWorkers, deviceOptions.batchSize, forceAttributions);
        }
        PrintWriter err = commandSpec.commandLine().getErr();
        StageProgressBar bar = new StageProgressBar(err, System.console() != null);
        EditResult result;
        try {
            result = Interruptible.run(err, "nothing is saved", cancel -> new EditService().edit(request, bar::update, cancel));
        } finally {
            bar.finish();
        }
        PrintWriter output = commandSpec.commandLine().getOut();
        output.printf(Locale.ROOT, "Ablated %d components (%s): %s%s%n", result.ablated().size(), result.mode().cliName(),
                String.join(", ", result.ablated().stream().limit(10).map(EditResult.AblatedComponent::label).toList()),
                result.ablated().size() > 10 ? ", ..." : "");
        output.println(result.table());
        result.warnings().forEach(w -> err.println("warning: " + w));
        if (result.saved() != null) {
            output.printf(Locale.ROOT, "Edited model: %s (reloaded: margins within %.2g of the edit)%n", result.saved(),
                    result.reloadMaxAbsDifference());
        }
        output.println("Report: " + result.report());
        result.figures().forEach(f -> output.println("Figure: " + f));
        return 0;
    }

    /** "3,17,40" as mask indices; anything but non-negative whole numbers is a usage error (the range is the service's check). */
    private List<Integer> componentIndices(String text) {
        List<Integer> indices = new java.util.ArrayList<>();
        for (String raw : text.split(",")) {
            String term = raw.trim();
            try {
                int index = Integer.parseInt(term);
                if (index >= 0) {
                    indices.add(index);
                    continue;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw new ParameterException(commandSpec.commandLine(), "--components: '" + term + "' is not a component index; list mask "
                    + "indices (whole numbers from 0) separated by commas, e.g. --components 3,17,40");
        }
        return indices;
    }
}
