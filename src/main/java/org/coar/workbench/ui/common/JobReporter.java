package org.coar.workbench.ui.common;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.coar.workbench.WorkbenchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the user how a background job ended: a refusal with a message ({@link WorkbenchException})
 * as a dialog with that message; anything else, which is a defect, into the log with its stack
 * trace and a dialog naming the log file (an installed app has no terminal); a cancel only as the
 * status line, since the user asked for it.
 */
public final class JobReporter {
    private static final Logger LOG = LoggerFactory.getLogger(JobReporter.class);

    private final DialogService dialogs;
    private final String logLocation;
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");

    /** {@code logLocation}: where this process's log goes (the file {@link WorkbenchLog#sendTo} set), as the dialogs name it. */
    public JobReporter(DialogService dialogs, String logLocation) {
        this.dialogs = dialogs;
        this.logLocation = logLocation;
    }

    void succeeded(String title) {
        status.set("");
    }

    void cancelled(String title, boolean listed) {
        if (listed) {
            status.set("Cancelled: " + title);
        }
    }

    /** Reports a failure outside any job (an event handler's, caught by the FX thread's uncaught-exception handler). */
    public void failed(String title, Throwable error) {
        failed(title, error, true);
    }

    /** An unlisted job (a periodic refresh) is only logged: a dialog every refresh would bury the window. */
    void failed(String title, Throwable error, boolean listed) {
        String heading = title + " failed";
        if (!listed) {
            LOG.warn(heading, error);
            return;
        }
        if (error instanceof WorkbenchException) {
            dialogs.showError(heading, error.getMessage());
        } else {
            LOG.error(heading, error);
            dialogs.showError(heading, "Unexpected failure (" + error + "). Please report it; the details are in " + logLocation + ".");
        }
        status.set(heading);
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }
}
