package org.coar.workbench.ui;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.application.Application;
import javafx.stage.Stage;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.ui.common.AppSettings;
import org.coar.workbench.ui.common.FxDialogService;
import org.coar.workbench.ui.main.Panel;

/** The JavaFX application; {@code coar gui [STORE]} launches it. */
public final class WorkbenchApp extends Application {

    private static final String PANEL_ARGUMENT = "--panel=";

    /** Launches the GUI and blocks until its window closes. */
    public static void launch(Optional<Path> store) {
        launchWith(store.map(Path::toString).stream().toArray(String[]::new));
    }

    /** Launches the GUI on {@code store} showing {@code panel}, and blocks until its window closes. */
    public static void launch(Path store, Panel panel) {
        launchWith(store.toString(), PANEL_ARGUMENT + panel.name());
    }

    private static void launchWith(String... args) {
        try {
            Application.launch(WorkbenchApp.class, args);
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
        List<String> args = getParameters().getRaw();
        Workbench workbench = new Workbench(stage, new FxDialogService(stage), AppSettings.load(AppSettings.defaultDir()));
        workbench.show(args.isEmpty() ? Optional.empty() : Optional.of(Path.of(args.getFirst())));
        args.stream().filter(a -> a.startsWith(PANEL_ARGUMENT)).findFirst()
                .ifPresent(a -> workbench.main().show(Panel.valueOf(a.substring(PANEL_ARGUMENT.length()))));
        if (StartupTimer.requested()) {
            StartupTimer.measure(workbench.tasks());
        }
    }
}
