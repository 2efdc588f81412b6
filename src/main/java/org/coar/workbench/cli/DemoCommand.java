package org.coar.workbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.coar.workbench.build.BuildRequest;
import org.coar.workbench.build.BuildResult;
import org.coar.workbench.build.BuildService;
import org.coar.workbench.build.RunConfig;
import org.coar.workbench.demo.DemoProject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the workflow on the bundled demo: a Fashion-MNIST CNN with 240 components and 1,000 test images.",
            "Unpacks it into --dir, writes spec.json, initialises the store (2,000 models, alpha 0.05) and builds it on the local devices.",
            "Running it again resumes an unfinished build."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    private CommandSpec commandSpec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "coar-demo", description = "Project directory (default: ./${DEFAULT-VALUE}).")
    private Path dir;

    @Option(names = "--models", paramLabel = "N", defaultValue = "" + DemoProject.DEFAULT_MODELS,
            description = "Ablated models (store rows) of a new demo store (default ${DEFAULT-VALUE}).")
    private int models;

    @Option(names = "--devices", paramLabel = "LIST", split = ",", description = "Devices, e.g. cpu or cuda:0 (default: every GPU, else the CPU).")
    private List<String> devices = List.of();

    @Override
    public Integer call() {
        if (models <= 0) {
            throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(), "--models must be at least 1");
        }
        PrintWriter out = commandSpec.commandLine().getOut();
        DemoProject demo = new DemoProject(dir);
        boolean fresh = demo.prepare(models);
        out.printf("%s demo store in %s%n", fresh ? "Initialised a new" : "Resuming the", demo.store());
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(demo.store(), demo.run());
        BuildRequest request = new BuildRequest(demo.store(), run, devices, 0, null, null, null, 100, false, Duration.ofHours(1));
        BuildResult result = BuildCommand.runWithProgress(service, request, commandSpec.commandLine().getErr());
        out.printf("%nDemo %s: %d rows built in %s; %d / %d rows completed.%n", result.cancelled() ? "interrupted" : "build finished",
                result.rowsBuilt(), ProgressBar.formatDuration(result.elapsed()), result.rowsCompletedInPlan(), result.rowsInPlan());
        out.printf("  inputs      %s (model, evaluation images, licence)%n", demo.model().getParent());
        out.printf("  spec        %s%n", demo.spec());
        out.printf("  store       %s (masks.npy, margins.npy, _completed.npy, components.json, run.json)%n", demo.store());
        out.printf("Inspect it with './coar info %s' or numpy: np.load('%s/margins.npy', mmap_mode='r').%n", demo.store(), demo.store());
        out.printf("Fitting and evaluating attributions arrive with the regression and evaluation stages (not built yet).%n");
        return result.cancelled() ? 1 : 0;
    }
}
