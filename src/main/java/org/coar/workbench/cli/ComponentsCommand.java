package org.coar.workbench.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.coar.workbench.model.ComponentGroup;
import org.coar.workbench.model.ComponentPreset;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.ParameterInfo;
import org.coar.workbench.model.TorchModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "components", mixinStandardHelpOptions = true,
        description = {"List a TorchScript model's component groups (conv/linear weights: one component per slice along dim 0, i.e.",
            "an output channel or neuron; an input row of an HF Conv1D), which ones --components/--include/--exclude select, how many",
            "each preset selects, the component count (the mask width of the store's spec) and a recommended number of models.",
            "Loads the model only; writes nothing."})
final class ComponentsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec commandSpec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "TorchScript model (.pt), saved with torch.jit.trace or torch.jit.script, not frozen.")
    private Path model;

    @Mixin
    private ComponentOptions components = new ComponentOptions();

    @Override
    public Integer call() {
        PrintWriter out = commandSpec.commandLine().getOut();
        List<ParameterInfo> parameters;
        try (TorchModel loaded = TorchModel.load(model, Device.cpu())) {
            parameters = loaded.parameters();
        }
        List<ParameterInfo> candidates = Components.candidates(parameters);
        String head = Components.headName(parameters);
        ComponentPreset preset = ComponentPreset.parse(components.preset);
        Components selected = Components.select(model, parameters, preset, components.include, components.exclude);
        List<String> chosen = selected.groups().stream().map(ComponentGroup::name).toList();
        out.printf("%s: %d parameters, %d candidate component groups (weights with 2 or more dimensions)%n",
                model.toAbsolutePath().normalize(), parameters.size(), candidates.size());
        out.printf("  %-3s %-40s %-22s %s%n", "use", "parameter", "shape", "components");
        for (ParameterInfo p : candidates) {
            boolean used = chosen.contains(p.name());
            String note = p.name().equals(head) && preset == ComponentPreset.DEFAULT ? "  (classifier head: left out by default)" : "";
            out.printf(Locale.ROOT, "  %-3s %-40s %-22s %,d%s%n", used ? "yes" : "no", p.name(),
                    Arrays.stream(p.shape()).mapToObj(Long::toString).collect(Collectors.joining(", ", "[", "]")), p.shape()[0], note);
        }
        int total = selected.total();
        out.printf(Locale.ROOT, "Components: %,d in %d groups. In the spec: \"masks\": {\"dtype\": \"bool_\", \"shape\": [%d]}%n",
                total, selected.groups().size(), total);
        out.printf(Locale.ROOT, "Recommended: at least %,d models (about 8 per component; the paper used 50,000 for 2,304 components).%n",
                Components.recommendedModels(total));
        out.println("Presets on this model (a reference spec's mask width tells which one it was made with):");
        Components.presetTotals(parameters).forEach((p, count) -> out.printf(Locale.ROOT, "  %-17s %9s  %s%n", p.cliName(),
                count == 0 ? "none" : String.format(Locale.ROOT, "%,d", count), p.description()));
        if (preset != ComponentPreset.DEFAULT || !components.include.isEmpty() || !components.exclude.isEmpty()) {
            out.println("Give the same --components/--include/--exclude to 'coar build' (they are recorded in the store's run.json).");
        }
        return 0;
    }
}
