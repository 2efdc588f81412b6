package org.coar.workbench.cli;

import org.coar.workbench.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "coar",
        mixinStandardHelpOptions = true,
        versionProvider = CoarCommand.VersionProvider.class,
        description = "COAR Workbench: estimate, evaluate and apply component attributions of PyTorch models.",
        subcommands = {InitCommand.class, InfoCommand.class, ComponentsCommand.class, DoctorCommand.class, BuildCommand.class, FitCommand.class, EvalCommand.class, EditCommand.class,
            DemoCommand.class, GuiCommand.class, SlurmCommand.class, WatchCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
final class CoarCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"COAR Workbench " + Version.workbench(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
