package org.coar.workbench.fit;

import org.coar.workbench.WorkbenchException;

/** The fit was cancelled; nothing was written. */
public final class FitCancelledException extends WorkbenchException {
    public FitCancelledException() {
        super("fit cancelled; nothing was written");
    }
}
