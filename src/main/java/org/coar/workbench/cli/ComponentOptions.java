package org.coar.workbench.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** Which of a model's parameter groups are components (for build, slurm and components). */
final class ComponentOptions {
    @Option(names = "--include", paramLabel = "GLOB", split = ",", description = "Component groups to use, by parameter-name glob (default: every conv/linear weight but the classifier head).")
    List<String> include = List.of();

    @Option(names = "--exclude", paramLabel = "GLOB", split = ",", description = "Component groups to leave out, by parameter-name glob.")
    List<String> exclude = List.of();
}
