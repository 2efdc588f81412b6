package org.coar.workbench.ui.spec;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.LongConsumer;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.DataLoader;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.ui.common.BackgroundJob;
import org.coar.workbench.ui.common.DialogService;
import org.coar.workbench.ui.common.ProjectState;
import org.coar.workbench.ui.common.TaskExecutor;

/**
 * The Spec panel's evaluation data: the file or folder chosen, read with the panel's
 * {@link DataSettings} in the background, again whenever a setting changes. What was read becomes
 * the project's data (what a first build records) and its example count the output width.
 */
final class DataChoice {
    private final TaskExecutor tasks;
    private final ProjectState project;
    private final DialogService dialogs;
    private final LongConsumer read;
    private final DataSettings settings = new DataSettings();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("No evaluation data chosen.");
    private final ReadOnlyStringWrapper description = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");

    /** The data chosen (path, format, labels), before the settings; null when none. */
    private DataSpec chosen;
    /** The data as last read with the settings; null while none are. */
    private DataSpec shown;
    private long examples;
    private boolean showingSettings;
    /** Only the latest read may show its result: an older one read settings no longer typed. */
    private long request;

    /** {@code read} gets the example count each time data are read, and -1 when the chosen data cannot be. */
    DataChoice(TaskExecutor tasks, ProjectState project, DialogService dialogs, LongConsumer read) {
        this.tasks = tasks;
        this.project = project;
        this.dialogs = dialogs;
        this.read = read;
        for (var field : settings.observables()) {
            field.addListener(obs -> {
                if (!showingSettings && chosen != null) {
                    readChosen(false);
                }
            });
        }
    }

    DataSettings settings() {
        return settings;
    }

    ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** The data service's description of the data read, with full paths; empty while none are read. */
    ReadOnlyStringProperty descriptionProperty() {
        return description.getReadOnlyProperty();
    }

    ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** The examples read, or null while no data are. */
    Long examples() {
        return shown == null ? null : examples;
    }

    /** Which examples were kept, e.g. {@code Limit 50}; empty for all. */
    String cut() {
        return shown == null ? "" : DataSettings.cut(shown);
    }

    void choose(Path path) {
        chosen = DataSpec.of(path.toString());
        readChosen(true);
    }

    /** Chooses {@code requested} and shows its settings, e.g. the data a store's run.json records. */
    void choose(DataSpec requested) {
        showSettings(() -> settings.show(requested));
        chosen = requested;
        readChosen(true);
    }

    void clear() {
        request++;
        chosen = null;
        showSettings(settings::clear);
        unread("");
    }

    private void showSettings(Runnable show) {
        showingSettings = true;
        try {
            show.run();
        } finally {
            showingSettings = false;
        }
    }

    /** A failure is shown beside the settings, and in a dialog when the user has just chosen the data. */
    private void readChosen(boolean justChosen) {
        long thisRequest = ++request;
        DataSpec requested;
        try {
            requested = settings.applyTo(chosen);
        } catch (WorkbenchException e) {
            unread(e.getMessage());
            return;
        }
        tasks.submit(BackgroundJob.titled("Reading evaluation data " + Path.of(requested.path()).getFileName(), progress -> {
            DataLoader loader = new DataLoader();
            try {
                DataSpec resolved = loader.resolve(requested);
                EvalData data = loader.load(resolved);
                return new Read(resolved, data.size(), data.description(), data.exampleShape(), null);
            } catch (WorkbenchException e) {
                return new Read(requested, 0, "", new long[0], e.getMessage());
            }
        }).onSuccess(result -> {
            if (thisRequest != request) {
                return;
            }
            if (result.failure() != null) {
                unread(result.failure());
                if (justChosen) {
                    dialogs.showError("Cannot use these data", result.failure());
                }
                return;
            }
            project.dataProperty().set(result.spec());
            shown = result.spec();
            examples = result.examples();
            problem.set("");
            description.set(result.description());
            summary.set(String.format(Locale.ROOT, "%,d examples of shape %s — %s", result.examples(),
                    Arrays.toString(result.exampleShape()), withFileNames(result.description(), result.spec())));
            read.accept(result.examples());
        }));
    }

    /** The build has no data until they can be read, and no output width is required. */
    private void unread(String why) {
        problem.set(why);
        project.dataProperty().set(null);
        shown = null;
        description.set("");
        summary.set(chosen == null ? "No evaluation data chosen." : "Not read: " + Path.of(chosen.path()).getFileName());
        read.accept(-1);
    }

    /** {@code text} with the data's and the labels' paths shortened to their file names, which is what fits beside the form. */
    private static String withFileNames(String text, DataSpec spec) {
        String shown = text;
        for (String path : new String[] {spec.path(), spec.labels()}) {
            if (path != null && !path.isEmpty() && Path.of(path).getFileName() != null) {
                shown = shown.replace(path, Path.of(path).getFileName().toString());
            }
        }
        return shown;
    }

    /** What the panel shows of the evaluation data, read off the FX thread; {@code failure} when they could not be read. */
    private record Read(DataSpec spec, int examples, String description, long[] exampleShape, String failure) {
    }
}
