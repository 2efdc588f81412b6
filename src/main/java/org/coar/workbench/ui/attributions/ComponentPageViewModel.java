package org.coar.workbench.ui.attributions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.coar.workbench.attributions.ComponentProfiles;
import org.coar.workbench.attributions.ExampleBrowser;
import org.coar.workbench.job.JobCancelledException;
import org.coar.workbench.ui.common.BackgroundJob;
import org.coar.workbench.ui.common.ProjectState;
import org.coar.workbench.ui.common.TaskExecutor;

/**
 * The Component page: one component's scores across the examples, the examples it moves most each
 * way (with their inputs where those are images) and its weights. It follows the project's focused
 * component, and has a chooser of its own (index or name). It opens once the Examples page's
 * browser has opened the attributions, and clears the moment the store or the attributions change.
 */
public final class ComponentPageViewModel {
    public static final int BINS = 30;
    public static final int TOP_K = 8;
    static final String NONE_OPEN = "No attributions open: fit them in the Regression panel, or open a directory on the Examples page.";

    /** An example in the "moved most" tables; {@code image} is null for inputs that are not images. */
    public record MovedExample(int example, float score, int label, int prediction, int tokens, float[] image, long[] imageShape) {
    }

    private record Shown(ComponentProfiles.Profile profile, List<MovedExample> raising, List<MovedExample> lowering) {
    }

    private final TaskExecutor tasks;
    private final ProjectState project;
    private final ObjectProperty<ExampleBrowser> browser;

    private final ReadOnlyObjectWrapper<ComponentProfiles.Profile> profile = new ReadOnlyObjectWrapper<>();
    private final ObservableList<MovedExample> raising = FXCollections.observableArrayList();
    private final ObservableList<MovedExample> lowering = FXCollections.observableArrayList();
    private final StringProperty query = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper queryProblem = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(NONE_OPEN);
    private final ReadOnlyObjectWrapper<ComponentProfiles> opened = new ReadOnlyObjectWrapper<>();
    /** The profiles jobs may use; null once cleared, so a job that starts late stops instead of reading a closed file. */
    private volatile ComponentProfiles current;
    private int openGeneration;
    private int showGeneration;

    public ComponentPageViewModel(TaskExecutor tasks, ProjectState project, ObjectProperty<ExampleBrowser> browser) {
        this.tasks = tasks;
        this.project = project;
        this.browser = browser;
        project.storeProperty().addListener((obs, old, now) -> clear());
        project.attributionsProperty().addListener((obs, old, now) -> clear());
        browser.addListener((obs, old, now) -> {
            clear();
            if (now != null) {
                open();
            }
        });
        project.focusedComponentProperty().addListener((obs, old, now) -> {
            if (now != null) {
                show(now);
            }
        });
    }

    private void open() {
        Path store = project.storeProperty().get();
        Path dir = project.attributionsProperty().get();
        if (store == null || dir == null) {
            return;
        }
        int generation = openGeneration;
        status.set("Reading " + dir + "…");
        tasks.submit(BackgroundJob.titled("Opening component profiles of " + dir.getFileName(), p -> ComponentProfiles.open(store, dir))
                .onSuccess(profiles -> {
                    if (generation != openGeneration) {
                        closeLater(profiles);
                        return;
                    }
                    current = profiles;
                    opened.set(profiles);
                    status.set(String.format(Locale.ROOT, "%,d components × %,d examples. Scores are the effect on the output of keeping a "
                            + "component.", profiles.components().total(), profiles.examples()));
                    Integer focused = project.focusedComponentProperty().get();
                    show(focused != null && focused < profiles.components().total() ? focused : 0);
                })
                .onError(e -> {
                    if (generation == openGeneration) {
                        status.set("Cannot show components: " + e.getMessage());
                    }
                }));
    }

    /** Forgets everything shown: the store or the attributions changed (or the new ones failed to open). */
    private void clear() {
        openGeneration++;
        showGeneration++;
        ComponentProfiles old = current;
        current = null;
        opened.set(null);
        profile.set(null);
        raising.clear();
        lowering.clear();
        queryProblem.set("");
        status.set(NONE_OPEN);
        if (old != null) {
            closeLater(old);
        }
    }

    /** Closes {@code profiles} once no job reads it (jobs hold its lock while they read). */
    private void closeLater(ComponentProfiles profiles) {
        tasks.submit(BackgroundJob.titled("Closing component profiles", p -> {
            synchronized (profiles) {
                profiles.close();
            }
            return null;
        }).unlisted());
    }

    /** Shows the component typed in {@link #queryProperty()}: an index or a name such as "conv1 #3". */
    public void choose() {
        ComponentProfiles profiles = current;
        if (profiles == null) {
            queryProblem.set("No attributions are open.");
            return;
        }
        OptionalInt found = profiles.find(query.get());
        if (found.isEmpty()) {
            queryProblem.set(String.format(Locale.ROOT, "No component \"%s\": type an index from 0 to %d, or a name such as %s.",
                    query.get() == null ? "" : query.get().trim(), profiles.components().total() - 1, profiles.components().label(0)));
            return;
        }
        show(found.getAsInt());
    }

    public void previous() {
        ComponentProfiles.Profile shown = profile.get();
        if (shown != null && shown.component() > 0) {
            show(shown.component() - 1);
        }
    }

    public void next() {
        ComponentProfiles.Profile shown = profile.get();
        if (shown != null && current != null && shown.component() + 1 < current.components().total()) {
            show(shown.component() + 1);
        }
    }

    /** Shows {@code component} once computed; a later choice supersedes one still running. */
    public void show(int component) {
        ComponentProfiles profiles = current;
        if (profiles == null) {
            return; // shown once the attributions open: open() picks up the focused component
        }
        if (component < 0 || component >= profiles.components().total()) {
            queryProblem.set(String.format(Locale.ROOT, "No component %d: these attributions have components 0 to %d.", component,
                    profiles.components().total() - 1));
            return;
        }
        queryProblem.set("");
        query.set(profiles.components().label(component));
        int generation = ++showGeneration;
        ExampleBrowser examples = browser.get();
        tasks.submit(BackgroundJob.titled("Showing component " + profiles.components().label(component), p -> {
            ComponentProfiles.Profile computed;
            synchronized (profiles) {
                if (profiles != current) {
                    throw new JobCancelledException();
                }
                computed = profiles.profile(component, BINS, TOP_K);
            }
            return new Shown(computed, withInputs(computed.raising(), examples), withInputs(computed.lowering(), examples));
        }).onSuccess(shown -> {
            if (generation == showGeneration) {
                profile.set(shown.profile());
                raising.setAll(shown.raising());
                lowering.setAll(shown.lowering());
            }
        }));
    }

    /** The examples with their labels, predictions and inputs from the browser (off the FX thread). */
    private static List<MovedExample> withInputs(List<ComponentProfiles.Moved> moved, ExampleBrowser examples) {
        List<MovedExample> rows = new ArrayList<>();
        for (ComponentProfiles.Moved m : moved) {
            if (examples == null || m.example() >= examples.examples().size()) {
                rows.add(new MovedExample(m.example(), m.score(), -1, -1, -1, null, null));
                continue;
            }
            ExampleBrowser.ExampleRow row = examples.examples().get(m.example());
            if (examples.languageModel()) {
                rows.add(new MovedExample(m.example(), m.score(), row.label(), row.prediction(), examples.tokens(m.example()), null, null));
                continue;
            }
            ExampleBrowser.ExampleView view;
            synchronized (examples) { // the browser is not made for concurrent readers
                view = examples.view(m.example(), 0);
            }
            rows.add(new MovedExample(m.example(), m.score(), row.label(), row.prediction(), -1, view.image(), view.imageShape()));
        }
        return rows;
    }

    /** Asks the window to show {@code example}'s page (the Examples page). */
    public void focusExample(int example) {
        // reset first, so asking for the example already focused shows it again
        project.focusedExampleProperty().set(null);
        project.focusedExampleProperty().set(example);
    }

    public ReadOnlyObjectProperty<ComponentProfiles.Profile> profileProperty() { return profile.getReadOnlyProperty(); }
    /** The open profiles (null while none): for the chooser's bounds. */
    public ReadOnlyObjectProperty<ComponentProfiles> openedProperty() { return opened.getReadOnlyProperty(); }
    public ObservableList<MovedExample> raising() { return raising; }
    public ObservableList<MovedExample> lowering() { return lowering; }
    public StringProperty queryProperty() { return query; }
    public ReadOnlyStringProperty queryProblemProperty() { return queryProblem.getReadOnlyProperty(); }
    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }
    public ExampleBrowser browser() { return browser.get(); }
}
