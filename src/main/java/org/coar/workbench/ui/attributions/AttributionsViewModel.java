package org.coar.workbench.ui.attributions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.attributions.Attributions;
import org.coar.workbench.attributions.ExampleBrowser;
import org.coar.workbench.attributions.ExampleQuery;
import org.coar.workbench.data.ClassNames;
import org.coar.workbench.ui.common.BackgroundJob;
import org.coar.workbench.ui.common.ProjectState;
import org.coar.workbench.ui.common.TaskExecutor;

/**
 * The Examples page's state: the examples a query matches, the selected example's view and the
 * what-if on its components, the selected component's examples. Views and queries are computed in
 * the background, one at a time per browser, and the latest request wins.
 */
public final class AttributionsViewModel {
    public static final int TOP_K = 10;
    private static final String NOTHING_OPEN = "No attributions open: fit them in the Regression panel, or open a directory.";

    /** An entry of the label and prediction choosers; {@link #ANY} (value null) leaves the condition out. */
    public record ClassChoice(Integer value, String text) {
        public static final ClassChoice ANY = new ClassChoice(null, "any");

        @Override
        public String toString() {
            return text;
        }
    }

    /** How the component condition compares, as the chooser lists it. */
    public enum ComponentTest {
        AT_LEAST("score ≥", ExampleQuery.Kind.SCORE_AT_LEAST),
        AT_MOST("score ≤", ExampleQuery.Kind.SCORE_AT_MOST),
        STRONGEST("moves it most", ExampleQuery.Kind.STRONGEST);

        private final String text;
        private final ExampleQuery.Kind kind;

        ComponentTest(String text, ExampleQuery.Kind kind) {
            this.text = text;
            this.kind = kind;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private final TaskExecutor tasks;
    private final ProjectState project;

    private final ObjectProperty<ExampleBrowser> browser = new SimpleObjectProperty<>();
    private final ObservableList<ExampleBrowser.ExampleRow> matching = FXCollections.observableArrayList();
    private final StringProperty search = new SimpleStringProperty("");
    private final BooleanProperty misclassifiedOnly = new SimpleBooleanProperty();
    private final ObjectProperty<ClassChoice> label = new SimpleObjectProperty<>(ClassChoice.ANY);
    private final ObjectProperty<ClassChoice> prediction = new SimpleObjectProperty<>(ClassChoice.ANY);
    private final ObservableList<ClassChoice> labelChoices = FXCollections.observableArrayList(ClassChoice.ANY);
    private final ObservableList<ClassChoice> predictionChoices = FXCollections.observableArrayList(ClassChoice.ANY);
    private final StringProperty r2Below = new SimpleStringProperty("");
    private final StringProperty componentName = new SimpleStringProperty("");
    private final ObjectProperty<ComponentTest> componentTest = new SimpleObjectProperty<>(ComponentTest.AT_LEAST);
    private final StringProperty componentValue = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper matchCount = new ReadOnlyStringWrapper("");
    private final ObjectProperty<ClassNames> classNames = new SimpleObjectProperty<>(ClassNames.NONE);

    private final ReadOnlyObjectWrapper<ExampleBrowser.ExampleRow> selected = new ReadOnlyObjectWrapper<>();
    private final ObjectProperty<ExampleBrowser.ExampleView> view = new SimpleObjectProperty<>();
    private final ReadOnlyDoubleWrapper fittedOutput = new ReadOnlyDoubleWrapper(Double.NaN);
    private final ObservableList<ExampleBrowser.Contribution> ablated = FXCollections.observableArrayList();
    private final ReadOnlyDoubleWrapper whatIfOutput = new ReadOnlyDoubleWrapper(Double.NaN);
    private final ReadOnlyStringWrapper whatIf = new ReadOnlyStringWrapper("");

    private final ObjectProperty<ExampleBrowser.Contribution> component = new SimpleObjectProperty<>();
    private final ObservableList<ExampleBrowser.Contribution> movedExamples = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(NOTHING_OPEN);
    private volatile long lastViewNanos;
    private int openGeneration;
    private int queryGeneration;
    private int selectionGeneration;
    private int componentGeneration;
    /** An example another panel asked for, shown once a query (or the opening) lists it. */
    private Integer pendingFocus;
    /** Whether the next query's first match is shown: a freshly opened set shows an example rather than an empty view. */
    private boolean showFirst;

    public AttributionsViewModel(TaskExecutor tasks, ProjectState project) {
        this.tasks = tasks;
        this.project = project;
        for (var condition : List.of(search, r2Below, componentName, componentValue)) {
            condition.addListener((obs, old, now) -> requery());
        }
        misclassifiedOnly.addListener((obs, old, now) -> requery());
        label.addListener((obs, old, now) -> requery());
        prediction.addListener((obs, old, now) -> requery());
        componentTest.addListener((obs, old, now) -> requery());
        classNames.addListener((obs, old, now) -> refreshChoices());
        ablated.addListener((javafx.collections.ListChangeListener<ExampleBrowser.Contribution>) change -> updateWhatIf());
        fittedOutput.addListener((obs, old, now) -> updateWhatIf());
        project.attributionsProperty().addListener((obs, old, now) -> open(now));
        project.storeProperty().addListener((obs, old, now) -> storeChanged(now));
        project.focusedExampleProperty().addListener((obs, old, now) -> focus(now));
    }

    /** A new store: nothing of the old one stays; its own attributions open when it has them. */
    private void storeChanged(Path store) {
        clear(NOTHING_OPEN);
        Path found = store == null ? null : Attributions.defaultFor(store).orElse(null);
        if (Objects.equals(found, project.attributionsProperty().get())) {
            open(found);
        } else {
            project.attributionsProperty().set(found);
        }
    }

    private void open(Path attributions) {
        int generation = ++openGeneration;
        Path store = project.storeProperty().get();
        clear(NOTHING_OPEN);
        if (attributions == null || store == null) {
            return;
        }
        status.set("Opening " + attributions + "…");
        tasks.submit(BackgroundJob.titled("Opening attributions " + attributions.getFileName(), p -> ExampleBrowser.open(store, attributions))
                .onSuccess(opened -> {
                    if (generation != openGeneration) {
                        opened.close(); // the store or the attributions changed while it opened
                        return;
                    }
                    browser.set(opened);
                    classNames.set(opened.classNames());
                    refreshChoices();
                    status.set(describe(attributions, opened));
                    showFirst = true;
                    requery();
                })
                .onError(e -> {
                    if (generation == openGeneration) {
                        clear("Could not open " + attributions + ": " + e.getMessage()
                                + (e instanceof WorkbenchException ? "" : " (see the log)") + ". Open another directory with Open attributions….");
                    }
                }));
    }

    private static String describe(Path attributions, ExampleBrowser opened) {
        long wrong = opened.examples().stream().filter(ExampleBrowser.ExampleRow::misclassified).count();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%s: %,d %s × %,d components", attributions,
                opened.examples().size(), opened.languageModel() ? "sequences" : "examples", opened.components().total()));
        if (opened.hasPredictions()) {
            text.append(String.format(Locale.ROOT, "; %,d %s by the clean model", wrong,
                    opened.languageModel() ? "with a mean next-token margin <= 0" : "misclassified"));
        }
        text.append(". Scores are the effect on the ").append(opened.outputName()).append(" of keeping a component.");
        for (String missing : opened.unavailable()) {
            text.append(" Without ").append(missing).append(" are unavailable.");
        }
        return text.toString();
    }

    /** Closes the open browser and empties the page. */
    private void clear(String message) {
        ExampleBrowser previous = browser.get();
        browser.set(null);
        if (previous != null) {
            synchronized (previous) { // a view or query still running on it finishes first
                previous.close();
            }
        }
        queryGeneration++;
        selectionGeneration++;
        componentGeneration++;
        matching.clear();
        matchCount.set("");
        classNames.set(ClassNames.NONE);
        refreshChoices();
        clearSelection();
        component.set(null);
        movedExamples.clear();
        status.set(message);
    }

    /** The label and prediction choosers: "any", then each value the examples have, with its class name. */
    private void refreshChoices() {
        ExampleBrowser current = browser.get();
        List<ExampleBrowser.ExampleRow> rows = current == null ? List.of() : current.examples();
        setChoices(labelChoices, label, rows, ExampleBrowser.ExampleRow::label);
        setChoices(predictionChoices, prediction, rows, ExampleBrowser.ExampleRow::prediction);
    }

    private void setChoices(ObservableList<ClassChoice> choices, ObjectProperty<ClassChoice> chosen, List<ExampleBrowser.ExampleRow> rows,
                            Function<ExampleBrowser.ExampleRow, Integer> value) {
        List<ClassChoice> list = new ArrayList<>(List.of(ClassChoice.ANY));
        rows.stream().map(value).filter(v -> v != ExampleBrowser.ExampleRow.UNKNOWN).distinct().sorted()
                .forEach(v -> list.add(new ClassChoice(v, classNames.get().describe(v))));
        Integer kept = chosen.get() == null ? null : chosen.get().value();
        choices.setAll(list);
        chosen.set(list.stream().filter(c -> Objects.equals(c.value(), kept)).findFirst().orElse(ClassChoice.ANY));
    }

    /** Reads a file with one class name per line; it names the labels from then on. */
    public void loadClassNames(Path file) {
        classNames.set(ClassNames.read(file));
    }

    /** Every condition left out: every example listed. */
    public void clearQuery() {
        search.set("");
        misclassifiedOnly.set(false);
        label.set(ClassChoice.ANY);
        prediction.set(ClassChoice.ANY);
        r2Below.set("");
        componentName.set("");
        componentValue.set("");
    }

    /** The query the fields say, or a message saying which field does not read and how to fix it. */
    private Object readQuery(ExampleBrowser current) {
        ExampleQuery query = ExampleQuery.ALL.withMisclassified(misclassifiedOnly.get())
                .withLabel(label.get() == null ? null : label.get().value())
                .withPrediction(prediction.get() == null ? null : prediction.get().value());
        String text = search.get() == null ? "" : search.get().strip();
        if (text.chars().allMatch(Character::isDigit)) {
            query = query.withIndexPrefix(text);
        } else {
            int named = current.componentNamed(text);
            if (named < 0) {
                return "Search: no example index or component named \"" + text + "\" (type digits, or a component such as "
                        + current.components().label(0) + ")";
            }
            // a component's name finds the examples it moves most, where its |score| is the largest of all
            query = query.withComponent(new ExampleQuery.ComponentCondition(named, ExampleQuery.Kind.STRONGEST, 0));
        }
        String threshold = r2Below.get() == null ? "" : r2Below.get().strip();
        if (!threshold.isEmpty()) {
            try {
                query = query.withR2Below(Double.parseDouble(threshold));
            } catch (NumberFormatException e) {
                return "Val. R² below: \"" + threshold + "\" is not a number (e.g. 0.5)";
            }
        }
        String name = componentName.get() == null ? "" : componentName.get().strip();
        if (!name.isEmpty()) {
            if (query.component() != null) {
                return "Search names a component already; clear it or the component condition";
            }
            int c = current.componentNamed(name);
            if (c < 0) {
                return "Component: no component named \"" + name + "\" (e.g. " + current.components().label(0) + ")";
            }
            ComponentTest test = componentTest.get() == null ? ComponentTest.AT_LEAST : componentTest.get();
            double value = 0;
            if (test != ComponentTest.STRONGEST) {
                String given = componentValue.get() == null ? "" : componentValue.get().strip();
                try {
                    value = Double.parseDouble(given);
                } catch (NumberFormatException e) {
                    return "Component " + name + ": \"" + given + "\" is not a score to compare with (e.g. 0.1)";
                }
            }
            query = query.withComponent(new ExampleQuery.ComponentCondition(c, test.kind, value));
        }
        return query;
    }

    private void requery() {
        ExampleBrowser current = browser.get();
        if (current == null) {
            return;
        }
        int generation = ++queryGeneration;
        Object read = readQuery(current);
        if (read instanceof String problem) {
            showMatches(List.of(), problem);
            return;
        }
        ExampleQuery query = (ExampleQuery) read;
        tasks.submit(BackgroundJob.titled("Finding the examples", p -> {
            synchronized (current) {
                return current.query(query);
            }
        }).unlisted().onSuccess(found -> {
            if (generation == queryGeneration && browser.get() == current) {
                showMatches(found, String.format(Locale.ROOT, "%,d of %,d examples", found.size(), current.examples().size()));
            }
        }));
    }

    private void showMatches(List<ExampleBrowser.ExampleRow> found, String count) {
        matching.setAll(found);
        matchCount.set(count);
        if (pendingFocus != null) {
            Integer wanted = pendingFocus;
            found.stream().filter(r -> r.index() == wanted).findFirst().ifPresent(r -> {
                pendingFocus = null;
                select(r);
            });
        } else if (selected.get() != null && found.stream().noneMatch(r -> r.index() == selected.get().index())) {
            clearSelection(); // the shown example is no longer listed
        } else if (showFirst && selected.get() == null && !found.isEmpty()) {
            select(found.getFirst());
        }
        showFirst = false;
    }

    /** Shows example {@code index}, clearing the query first when it hides it. */
    private void focus(Integer index) {
        if (index == null) {
            return;
        }
        pendingFocus = index;
        ExampleBrowser current = browser.get();
        if (current == null) {
            return; // shown once the attributions open
        }
        var listed = matching.stream().filter(r -> r.index() == index).findFirst();
        if (listed.isPresent()) {
            pendingFocus = null;
            select(listed.get());
        } else if (index >= 0 && index < current.examples().size()) {
            clearQuery();
            requery();
        } else {
            pendingFocus = null;
        }
    }

    private void clearSelection() {
        selectionGeneration++;
        selected.set(null);
        view.set(null);
        fittedOutput.set(Double.NaN);
        ablated.clear();
    }

    /** Shows {@code row}'s view once computed; a later selection supersedes an earlier one still running. Null clears it. */
    public void select(ExampleBrowser.ExampleRow row) {
        ExampleBrowser current = browser.get();
        if (row == null || current == null) {
            clearSelection();
            return;
        }
        if (selected.get() != null && selected.get().index() == row.index() && view.get() != null) {
            return;
        }
        int generation = ++selectionGeneration;
        selected.set(row);
        ablated.clear();
        tasks.submit(BackgroundJob.titled("Showing example " + row.index(), p -> {
            synchronized (current) { // one read at a time per browser: it is not made for concurrent readers
                long start = System.nanoTime();
                ExampleBrowser.ExampleView computed = current.view(row.index(), TOP_K);
                double fitted = current.fittedOutput(row.index());
                lastViewNanos = System.nanoTime() - start;
                return new Shown(computed, fitted);
            }
        }).unlisted().onSuccess(shown -> {
            if (generation == selectionGeneration) {
                fittedOutput.set(shown.fitted());
                view.set(shown.view());
            }
        }));
    }

    private record Shown(ExampleBrowser.ExampleView view, double fitted) {
    }

    /** Ticks or unticks a component of the shown example for the what-if. */
    public void setAblated(ExampleBrowser.Contribution contribution, boolean ablate) {
        if (ablate && !ablated.contains(contribution)) {
            ablated.add(contribution);
        } else if (!ablate) {
            ablated.remove(contribution);
        }
    }

    public boolean isAblated(ExampleBrowser.Contribution contribution) {
        return ablated.contains(contribution);
    }

    private void updateWhatIf() {
        ExampleBrowser current = browser.get();
        double fitted = fittedOutput.get();
        if (current == null || Double.isNaN(fitted)) {
            whatIfOutput.set(Double.NaN);
            whatIf.set("");
            return;
        }
        String output = current.outputName();
        if (ablated.isEmpty()) {
            whatIfOutput.set(fitted);
            whatIf.set(String.format(Locale.ROOT, "Fitted %s with every component kept: %.3f. Tick components to see it without them.",
                    output, fitted));
            return;
        }
        double without = ExampleBrowser.outputWithout(fitted, ablated);
        whatIfOutput.set(without);
        String verdict = "";
        if (output.equals("margin")) {
            verdict = without < 0 == fitted < 0 ? "" : without < 0 ? "; the prediction would turn wrong (margin < 0)"
                    : "; the prediction would turn right (margin > 0)";
        }
        whatIf.set(String.format(Locale.ROOT, "Without %d ticked component%s the fitted %s goes from %.3f to %.3f (%+.3f)%s.",
                ablated.size(), ablated.size() == 1 ? "" : "s", output, fitted, without, without - fitted, verdict));
    }

    /** Hands the ticked components to the Edit tab, to ablate them in the model. */
    public void sendToEdit() {
        project.componentsToAblateProperty().set(ablated.stream().map(ExampleBrowser.Contribution::component).sorted().toList());
    }

    /** Asks the window for {@code contribution}'s component page. */
    public void showComponentPage(ExampleBrowser.Contribution contribution) {
        if (contribution != null) {
            project.focusedComponentProperty().set(contribution.component());
        }
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
        }).unlisted().onSuccess(moved -> {
            if (generation == componentGeneration) {
                movedExamples.setAll(moved);
            }
        }));
    }

    /** Selects example {@code index} when the query lists it (as the moved-examples table asks). */
    public void selectIndex(int index) {
        matching.stream().filter(r -> r.index() == index).findFirst().ifPresentOrElse(this::select, () -> focus(index));
    }

    /** Nanoseconds the last example view took to compute (for the responsiveness measurement). */
    public long lastViewNanos() {
        return lastViewNanos;
    }

    public String csv() {
        return view.get() == null ? "" : ExampleBrowser.csv(view.get());
    }

    /** {@code value} (a label or a prediction) as the page shows it: with its class name where known, blank when unknown. */
    public String classText(int value) {
        return value == ExampleBrowser.ExampleRow.UNKNOWN ? "" : classNames.get().describe(value);
    }

    public ObjectProperty<ExampleBrowser> browserProperty() { return browser; }
    /** The examples the query matches. */
    public ObservableList<ExampleBrowser.ExampleRow> examples() { return matching; }
    public StringProperty searchProperty() { return search; }
    public BooleanProperty misclassifiedOnlyProperty() { return misclassifiedOnly; }
    public ObjectProperty<ClassChoice> labelProperty() { return label; }
    public ObservableList<ClassChoice> labels() { return labelChoices; }
    public ObjectProperty<ClassChoice> predictionProperty() { return prediction; }
    public ObservableList<ClassChoice> predictions() { return predictionChoices; }
    public StringProperty r2BelowProperty() { return r2Below; }
    public StringProperty componentNameProperty() { return componentName; }
    public ObjectProperty<ComponentTest> componentTestProperty() { return componentTest; }
    public StringProperty componentValueProperty() { return componentValue; }
    /** "37 of 10,000 examples", or what in the query does not read. */
    public ReadOnlyStringProperty matchCountProperty() { return matchCount.getReadOnlyProperty(); }
    public ObjectProperty<ClassNames> classNamesProperty() { return classNames; }
    public ReadOnlyObjectProperty<ExampleBrowser.ExampleRow> selectedProperty() { return selected.getReadOnlyProperty(); }
    public ObjectProperty<ExampleBrowser.ExampleView> viewProperty() { return view; }
    public ReadOnlyDoubleProperty fittedOutputProperty() { return fittedOutput.getReadOnlyProperty(); }
    public ObservableList<ExampleBrowser.Contribution> ablated() { return ablated; }
    public ReadOnlyDoubleProperty whatIfOutputProperty() { return whatIfOutput.getReadOnlyProperty(); }
    public ReadOnlyStringProperty whatIfProperty() { return whatIf.getReadOnlyProperty(); }
    public ObjectProperty<ExampleBrowser.Contribution> componentProperty() { return component; }
    public ObservableList<ExampleBrowser.Contribution> movedExamples() { return movedExamples; }
    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }
}
