package org.coar.workbench.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the command line, with what it printed. */
record CoarRun(int exitCode, String out, String err) {
    static CoarRun coar(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CoarRun(code, out.toString(), err.toString());
    }
}
