package org.coar.workbench.fit;

import org.coar.workbench.job.Progress;

/** The stages a fit reports as {@link Progress#stage()}, in the order it runs them. */
public final class FitStages {
    public static final String READING = "reading rows";
    public static final String SOLVING = "solving";
    public static final String WRITING = "writing";
    public static final String DONE = "done";

    private FitStages() {
    }

    static Progress reading(long done, long total, String message) {
        return new Progress(READING, done, total, "rows", message);
    }

    /** Solving steps (λ's, output blocks, factorisations); the message says which. */
    static Progress solving(long done, long total, String message) {
        return new Progress(SOLVING, done, total, "steps", message);
    }
}
