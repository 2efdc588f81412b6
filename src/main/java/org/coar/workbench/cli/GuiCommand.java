package org.coar.workbench.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.ui.WorkbenchApp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "gui", mixinStandardHelpOptions = true,
        description = {"Open the workbench window: spec authoring, building stores with live progress, SLURM scripts.",
            "Opens STORE_DIR if given, else the most recent store, else (first start) the bundled demo."})
final class GuiCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "STORE_DIR", description = "Store to open.")
    private Path store;

    @Override
    public Integer call() {
        if (!hasDisplay()) {
            throw new WorkbenchException("no display: the workbench window needs a desktop session (DISPLAY or WAYLAND_DISPLAY); "
                    + "on a headless machine use the command line, or run under xvfb-run");
        }
        WorkbenchApp.launch(Optional.ofNullable(store));
        return 0;
    }

    static boolean hasDisplay() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        return !os.contains("linux") || System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null;
    }
}
