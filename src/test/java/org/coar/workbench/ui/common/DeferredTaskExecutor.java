package org.coar.workbench.ui.common;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;

/**
 * Holds submitted jobs until the test runs them (on the test's thread, as {@link CurrentThreadTaskExecutor}
 * does): what a view model shows between submitting a job and its end is what the window shows
 * while the work runs off the FX thread, and work never submitted never ran.
 */
public final class DeferredTaskExecutor implements TaskExecutor {
    private final CurrentThreadTaskExecutor runner;
    private final List<BackgroundJob<?>> pending = new ArrayList<>();

    public DeferredTaskExecutor(JobReporter reporter) {
        this.runner = new CurrentThreadTaskExecutor(reporter);
    }

    @Override
    public <T> void submit(BackgroundJob<T> job) {
        pending.add(job);
    }

    public List<String> pendingTitles() {
        return pending.stream().map(BackgroundJob::title).toList();
    }

    /** Runs, in order, the pending jobs whose title starts with {@code prefix} (and jobs they submit); returns how many ran. */
    public int run(String prefix) {
        int ran = 0;
        for (int i = 0; i < pending.size(); i++) {
            if (pending.get(i).title().startsWith(prefix)) {
                runner.submit(pending.remove(i--));
                ran++;
            }
        }
        return ran;
    }

    @Override
    public ObservableList<Task<?>> running() {
        return FXCollections.emptyObservableList();
    }

    @Override
    public ReadOnlyStringProperty statusProperty() {
        return runner.statusProperty();
    }

    @Override
    public void shutdown() {
        pending.clear();
    }
}
