package org.coar.workbench.ui.common;

import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** Run in a fresh JVM by {@link WorkbenchLogTest}: slf4j-simple reads its settings once per process. */
public final class WorkbenchLogProbe {
    private WorkbenchLogProbe() {
    }

    public static void main(String[] args) {
        Path file = WorkbenchLog.sendTo(Path.of(args[0])).orElseThrow();
        System.out.println(file);
        LoggerFactory.getLogger("org.coar.workbench.ui").error("Fitting failed", new IllegalStateException("index 7 out of bounds"));
    }
}
