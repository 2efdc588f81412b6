package org.coar.workbench.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole workflow on the bundled Fashion-MNIST demo.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    private CommandSpec commandSpec;

    @Override
    public Integer call() {
        commandSpec.commandLine().getErr().println("The demo arrives with the ablation engine (model loading and store "
                + "building), which is not built yet. Available now: 'coar init' and 'coar info'.");
        return 1;
    }
}
