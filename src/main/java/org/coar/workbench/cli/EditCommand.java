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
import picocli.CommandLine.Spec;

@Command(name = "edit", mixinStandardHelpOptions = true,
        description = {"COAR-Edit: score each component by the Welch t-statistic between the target and the reference examples' "
            + "attributions, ablate the k best, and report accuracy and mean margin of target, reference and all examples before "
            + "and after.",
            "Example sets: indices (17), ranges (10-20), misclassified, misclassified:N (the first N), correct, label:K, all; "
            + "for --reference also rest "
            + "(every example outside the target), the default.",
            "Writes report.json (with the ablated components and a PyTorch one-liner that redoes the edit), and with --sweep "
            + "sweep.csv and sweep.png, to --out."})
final class EditCommand implements Callable<Integer> {
    @Spec
    private CommandSpec commandSpec;

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "The store the attributions were fitted on.")
    private Path store;

    @Option(names = "--attributions", required = true, paramLabel = "DIR", description = "Attributions directory written by 'coar fit'.")
    private Path attributions;

    @Option(names = "--target", required = true, paramLabel = "EXAMPLES", description = "Examples whose outputs the edit should change.")
    private String target;

    @Option(names = "--reference", paramLabel = "EXAMPLES", defaultValue = "rest",
            description = "Examples whose outputs the edit should keep (default: ${DEFAULT-VALUE}, every example outside the target).")
    private String reference;

    @Option(names = "--k", required = true, paramLabel = "K", description = "Components to ablate.")
    private int k;

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
        EditRequest request = new EditRequest(store, attributions, target, reference, k, EditMode.parse(mode), sweep, save,
                out != null ? out : attributions.resolve(EditRequest.DEFAULT_OUT),
                deviceOptions.devices, deviceOptions.cpuWorkers, deviceOptions.batchSize, forceAttributions);
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
}
