package org.coar.workbench.job;

import java.util.concurrent.CancellationException;

/**
 * How every cancelled job ends. It is not a {@link org.coar.workbench.WorkbenchException}: a
 * cancel is what the user asked for, so the CLI exits quietly (status 130) and the GUI shows
 * "Cancelled" instead of an error dialog. What the job had finished stays as each service
 * documents (a build keeps its completed rows; a fit, evaluation or edit writes nothing).
 */
public final class JobCancelledException extends CancellationException {
    public JobCancelledException() {
        super("cancelled");
    }

    /** For the user: {@code whatStays} says what the cancelled job leaves, e.g. "nothing is written". */
    public JobCancelledException(String whatStays) {
        super("cancelled; " + whatStays);
    }
}
