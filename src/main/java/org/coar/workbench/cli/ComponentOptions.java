package org.coar.workbench.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** Which of a model's parameter groups are components (for build, slurm and components). */
final class ComponentOptions {
    @Option(names = "--components", paramLabel = "PRESET", description = "Component preset: default (every conv/linear weight but the "
            + "classifier head), or the reference setups' selections: reference-resnet (Conv2d layers whose name contains conv), "
            + "reference-vit (linear weights and attention in_proj_weight outside heads), reference-gpt2 (attn.c_attn, attn.c_proj, "
            + "mlp.c_fc, mlp.c_proj of every block).")
    String preset;

    @Option(names = "--include", paramLabel = "GLOB", split = ",", description = "Component groups to use, by parameter-name glob, instead of a preset (default: every conv/linear weight but the classifier head).")
    List<String> include = List.of();

    @Option(names = "--exclude", paramLabel = "GLOB", split = ",", description = "Component groups to leave out, by parameter-name glob (also narrows a preset).")
    List<String> exclude = List.of();
}
