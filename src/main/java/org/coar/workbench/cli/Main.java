package org.coar.workbench.cli;

import java.io.PrintWriter;
import org.coar.workbench.WorkbenchException;
import picocli.CommandLine;

/** Entry point of the {@code coar} command line. Exit codes: 0 success, 1 failure, 2 usage error. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new CoarCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof WorkbenchException) {
                cmd.getErr().println("error: " + e.getMessage());
            } else {
                cmd.getErr().println("error: unexpected failure, please report it with this trace:");
                e.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return commandLine.execute(args);
    }
}
