package org.coar.workbench.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.application.Application;
import javafx.stage.Stage;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.ui.common.AppSettings;
import org.coar.workbench.ui.common.FxDialogService;
import org.coar.workbench.ui.common.FxTaskExecutor;
import org.coar.workbench.ui.common.JobReporter;
import org.coar.workbench.ui.common.WorkbenchLog;
import org.coar.workbench.ui.main.Panel;

/** The JavaFX application; {@code coar gui [STORE]} launches it. */
public final class WorkbenchApp extends Application {

    private static final String PANEL_ARGUMENT = "--panel=";
    private static final String LOG_ARGUMENT = "log";

    /** Launches the GUI and blocks until its window closes. */
    public static void launch(Optional<Path> store) {
        launchWith(store.map(Path::toString).stream().toArray(String[]::new));
    }

    /** Launches the GUI on {@code store} showing {@code panel}, and blocks until its window closes. */
    public static void launch(Path store, Panel panel) {
        launchWith(store.toString(), PANEL_ARGUMENT + panel.name());
    }

    private static void launchWith(String... args) {
        // Before anything makes a logger: slf4j-simple reads where to write only once.
        String log = WorkbenchLog.sendTo(WorkbenchLog.defaultDir()).map(Path::toString).orElse("the standard error output");
        String[] withLog = java.util.Arrays.copyOf(args, args.length + 1);
        withLog[args.length] = "--" + LOG_ARGUMENT + "=" + log;
        try {
            Application.launch(WorkbenchApp.class, withLog);
        } catch (UnsupportedOperationException e) {
            throw explainToolkitFailure(e);
        }
    }

    /** JavaFX's own words for a missing GTK name no package; these name the one to install. */
    static RuntimeException explainToolkitFailure(UnsupportedOperationException e) {
        if (e.getMessage() == null || !e.getMessage().contains("GTK")) {
            return e;
        }
        return new WorkbenchException("the workbench window needs GTK 3, which this machine lacks (JavaFX: \"" + e.getMessage()
                + "\"): install it (Debian/Ubuntu: apt-get install libgtk-3-0; Fedora: dnf install gtk3), or use the command line", e);
    }

    @Override
    public void start(Stage stage) {
        List<String> stores = getParameters().getUnnamed();
        FxDialogService dialogs = new FxDialogService(stage);
        JobReporter reporter = new JobReporter(dialogs, getParameters().getNamed().getOrDefault(LOG_ARGUMENT, "the standard error output"));
        // Later, not in the handler: a dialog cannot open during a pulse's layout, where such failures may come from.
        Thread.currentThread().setUncaughtExceptionHandler((thread, error) -> javafx.application.Platform.runLater(
                () -> reporter.failed("The last action", error)));
        Workbench workbench = new Workbench(stage, dialogs, new FxTaskExecutor(reporter), AppSettings.load(AppSettings.defaultDir()));
        workbench.show(stores.isEmpty() ? Optional.empty() : Optional.of(Path.of(stores.getFirst())));
        getParameters().getRaw().stream().filter(a -> a.startsWith(PANEL_ARGUMENT)).findFirst()
                .ifPresent(a -> workbench.main().show(Panel.valueOf(a.substring(PANEL_ARGUMENT.length()))));
        if (StartupTimer.requested()) {
            StartupTimer.measure(workbench.tasks());
        }
    }
}
