package org.coar.workbench.ui.attributions;

import java.nio.file.Path;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import org.coar.workbench.attributions.ExampleBrowser;
import org.coar.workbench.ui.common.BackgroundJob;
import org.coar.workbench.ui.common.ProjectState;
import org.coar.workbench.ui.common.TaskExecutor;

/**
 * The Attributions panel's state: the examples (filtered by search, misclassified, label), the
 * selected example's view and the selected component's examples. Views are computed in the
 * background, one job per selection, one at a time per browser, and the latest selection wins.
 */
public final class AttributionsViewModel {
    public static final int TOP_K = 10;

    private final TaskExecutor tasks;
    private final ProjectState project;

    private final ObjectProperty<ExampleBrowser> browser = new SimpleObjectProperty<>();
    private final ObservableList<ExampleBrowser.ExampleRow> rows = FXCollections.observableArrayList();
    private final FilteredList<ExampleBrowser.ExampleRow> filtered = new FilteredList<>(rows, r -> true);
    private final StringProperty search = new SimpleStringProperty("");
    private final BooleanProperty misclassifiedOnly = new SimpleBooleanProperty();
    private final ObjectProperty<Integer> label = new SimpleObjectProperty<>();
    private final ObservableList<Integer> labels = FXCollections.observableArrayList();
    private final ObjectProperty<ExampleBrowser.ExampleView> view = new SimpleObjectProperty<>();
    private final ObjectProperty<ExampleBrowser.Contribution> component = new SimpleObjectProperty<>();
    private final ObservableList<ExampleBrowser.Contribution> movedExamples = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("No attributions open: fit them in the Regression panel, or open a directory.");
    private volatile long lastViewNanos;
    private int selectionGeneration;
    private int componentGeneration;

    public AttributionsViewModel(TaskExecutor tasks, ProjectState project) {
        this.tasks = tasks;
        this.project = project;
        search.addListener((obs, old, now) -> refilter());
        misclassifiedOnly.addListener((obs, old, now) -> refilter());
        label.addListener((obs, old, now) -> refilter());
        project.attributionsProperty().addListener((obs, old, now) -> open(now));
        project.storeProperty().addListener((obs, old, now) -> {
            if (now != null) {
                org.coar.workbench.attributions.Attributions.defaultFor(now).ifPresent(project.attributionsProperty()::set);
            }
        });
    }

    private void open(Path attributions) {
        Path store = project.storeProperty().get();
        if (attributions == null || store == null) {
            return;
        }
        status.set("Opening " + attributions + "...");
        tasks.submit(BackgroundJob.titled("Opening attributions " + attributions.getFileName(), p -> ExampleBrowser.open(store, attributions))
                .onSuccess(opened -> {
            ExampleBrowser previous = browser.get();
            browser.set(opened);
            if (previous != null) {
                previous.close();
            }
            rows.setAll(opened.examples());
            labels.setAll(opened.examples().stream().map(ExampleBrowser.ExampleRow::label).distinct().sorted().toList());
            long wrong = opened.examples().stream().filter(ExampleBrowser.ExampleRow::misclassified).count();
            status.set(String.format(java.util.Locale.ROOT, "%s: %,d %s × %,d components; %,d %s by the clean model. "
                    + "Scores are the effect on the %s of keeping a component.", attributions, opened.examples().size(),
                    opened.languageModel() ? "sequences" : "examples", opened.components().total(), wrong,
                    opened.languageModel() ? "with a mean next-token margin <= 0" : "misclassified", opened.outputName()));
        }));
    }

    private void refilter() {
        String text = search.get() == null ? "" : search.get().trim();
        filtered.setPredicate(row -> (text.isEmpty() || Integer.toString(row.index()).startsWith(text))
                && (!misclassifiedOnly.get() || row.misclassified())
                && (label.get() == null || row.label() == label.get()));
    }

    /** Shows {@code row}'s view once computed; a later selection supersedes an earlier one still running. */
    public void select(ExampleBrowser.ExampleRow row) {
        ExampleBrowser current = browser.get();
        if (row == null || current == null) {
            return;
        }
        int generation = ++selectionGeneration;
        tasks.submit(BackgroundJob.titled("Showing example " + row.index(), p -> {
            synchronized (current) { // one read at a time per browser: it is not made for concurrent readers
                long start = System.nanoTime();
                ExampleBrowser.ExampleView computed = current.view(row.index(), TOP_K);
                lastViewNanos = System.nanoTime() - start;
                return computed;
            }
        }).onSuccess(computed -> {
            if (generation == selectionGeneration) {
                view.set(computed);
            }
        }));
    }

    public void selectComponent(ExampleBrowser.Contribution contribution) {
        ExampleBrowser current = browser.get();
        if (contribution == null || current == null) {
            return;
        }
        component.set(contribution);
        int generation = ++componentGeneration;
        tasks.submit(BackgroundJob.titled("Finding the examples " + contribution.name() + " moves", p -> {
            synchronized (current) {
                return current.examplesMovedBy(contribution.component(), 20);
            }
        }).onSuccess(moved -> {
            if (generation == componentGeneration) {
                movedExamples.setAll(moved);
            }
        }));
    }

    /** Nanoseconds the last example view took to compute (for the responsiveness measurement). */
    public long lastViewNanos() {
        return lastViewNanos;
    }

    public String csv() {
        return view.get() == null ? "" : ExampleBrowser.csv(view.get());
    }

    public ObjectProperty<ExampleBrowser> browserProperty() { return browser; }
    public FilteredList<ExampleBrowser.ExampleRow> examples() { return filtered; }
    public StringProperty searchProperty() { return search; }
    public BooleanProperty misclassifiedOnlyProperty() { return misclassifiedOnly; }
    public ObjectProperty<Integer> labelProperty() { return label; }
    public ObservableList<Integer> labels() { return labels; }
    public ObjectProperty<ExampleBrowser.ExampleView> viewProperty() { return view; }
    public ObjectProperty<ExampleBrowser.Contribution> componentProperty() { return component; }
    public ObservableList<ExampleBrowser.Contribution> movedExamples() { return movedExamples; }
    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }
}
