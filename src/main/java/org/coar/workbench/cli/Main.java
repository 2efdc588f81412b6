package org.coar.workbench.cli;

import java.io.PrintWriter;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.job.JobCancelledException;
import picocli.CommandLine;

/** Entry point of the {@code coar} command line. Exit codes: 0 success, 1 failure, 2 usage error, 130 cancelled. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** The exit status of a cancelled command, as a shell reports a command ended by Ctrl-C. */
    public static final int CANCELLED = 130;

    /** Runs one command line with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new CoarCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> exitCodeOf(e, cmd.getErr()));
        return commandLine.execute(args);
    }

    /** What a command that threw {@code e} tells the user, and its exit status. */
    static int exitCodeOf(Exception e, PrintWriter err) {
        if (e instanceof JobCancelledException) {
            // what the user asked for: one line saying what stays, no trace
            err.println("coar: " + e.getMessage());
            return CANCELLED;
        }
        if (e instanceof WorkbenchException) {
            err.println("error: " + e.getMessage());
        } else {
            err.println("error: unexpected failure, please report it with this trace:");
            e.printStackTrace(err);
        }
        return 1;
    }
}
