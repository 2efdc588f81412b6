package org.coar.workbench.ui.common;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import org.coar.workbench.WorkbenchException;

/**
 * Runs work off the FX thread on named daemon threads; every task is listed (for the status
 * bar's task view) while it runs, and a failure reaches the user as a dialog saying what to do.
 */
public final class BackgroundTasks {
    /** Work that reports progress; {@code progress.accept(fraction)} may be called from any thread. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Consumer<Double> progress) throws Exception;
    }

    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "coar-ui-background");
        thread.setDaemon(true);
        return thread;
    });
    private final ObservableList<Task<?>> running = FXCollections.observableArrayList();
    private final DialogService dialogs;

    public BackgroundTasks(DialogService dialogs) {
        this.dialogs = dialogs;
    }

    /** Tasks now running, for ControlsFX's TaskProgressView. */
    public ObservableList<Task<?>> running() {
        return running;
    }

    public <T> Task<T> run(String title, Work<T> work, Consumer<T> onSuccess) {
        return run(title, work, onSuccess, () -> { });
    }

    /** Runs {@code work}; {@code onSuccess} and {@code andFinally} run on the FX thread. */
    public <T> Task<T> run(String title, Work<T> work, Consumer<T> onSuccess, Runnable andFinally) {
        Task<T> task = new Task<>() {
            @Override
            protected T call() throws Exception {
                updateTitle(title);
                updateMessage(title + "...");
                return work.run(fraction -> updateProgress(fraction, 1.0));
            }
        };
        task.setOnSucceeded(e -> {
            running.remove(task);
            onSuccess.accept(task.getValue());
            andFinally.run();
        });
        task.setOnFailed(e -> {
            running.remove(task);
            Throwable error = task.getException();
            dialogs.showError(title + " failed", error instanceof WorkbenchException ? error.getMessage()
                    : "Unexpected failure (" + error + "). Please report it; the details are in the terminal.");
            if (!(error instanceof WorkbenchException)) {
                error.printStackTrace();
            }
            andFinally.run();
        });
        task.setOnCancelled(e -> {
            running.remove(task);
            andFinally.run();
        });
        running.add(task);
        executor.submit(task);
        return task;
    }

    public void shutdown() {
        executor.shutdownNow();
    }
}
