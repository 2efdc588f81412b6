package org.coar.workbench.ui.common;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;

/**
 * Where view models run every piece of background work. {@link FxTaskExecutor} runs it on named
 * daemon threads and calls back on the FX thread; {@link CurrentThreadTaskExecutor} runs work and
 * callbacks at once on the calling thread, for view-model tests. How a job ended reaches the user
 * the same way in both: cancelled as a status line, a {@link org.coar.workbench.WorkbenchException}
 * as a dialog with its message, anything else logged and named in a dialog (see {@link JobReporter}).
 */
public interface TaskExecutor {
    /** Starts {@code job}; call on the FX thread. */
    <T> void submit(BackgroundJob<T> job);

    /** Listed jobs now running, for the status bar's TaskProgressView. */
    ObservableList<Task<?>> running();

    /** How the last listed job ended when that was not plainly a success ("Cancelled: …", "… failed"); empty otherwise. */
    ReadOnlyStringProperty statusProperty();

    /** Stops the threads (running work is interrupted); jobs submitted afterwards are dropped, as the window is closing. */
    void shutdown();
}
