package org.coar.workbench.ui.common;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import org.coar.workbench.job.Progress;

/**
 * Runs each job's work and then its callbacks at once on the calling thread, for view-model tests
 * (as JabRef's CurrentThreadTaskExecutor): a test sees the state after the job when submit returns.
 * Outcomes reach the dialogs as with {@link FxTaskExecutor}. Errors ({@link AssertionError} from a
 * test's fake service) are not outcomes and propagate.
 */
public final class CurrentThreadTaskExecutor implements TaskExecutor {
    private final JobReporter reporter;
    private final ObservableList<Task<?>> running = FXCollections.unmodifiableObservableList(FXCollections.observableArrayList());
    private final List<String> titles = new ArrayList<>();
    private final List<Progress> progress = new ArrayList<>();

    public CurrentThreadTaskExecutor(JobReporter reporter) {
        this.reporter = reporter;
    }

    @Override
    public <T> void submit(BackgroundJob<T> job) {
        titles.add(job.title());
        T value;
        try {
            value = job.work().run(progress::add);
        } catch (Exception e) {
            job.failed(e, reporter);
            return;
        }
        job.succeeded(value, reporter);
    }

    /** Titles of the jobs run so far, in order. */
    public List<String> titles() {
        return List.copyOf(titles);
    }

    /** Every progress event the jobs reported, in order. */
    public List<Progress> progress() {
        return List.copyOf(progress);
    }

    /** Always empty: a job has ended when submit returns. */
    @Override
    public ObservableList<Task<?>> running() {
        return running;
    }

    @Override
    public ReadOnlyStringProperty statusProperty() {
        return reporter.statusProperty();
    }

    @Override
    public void shutdown() {
    }
}
