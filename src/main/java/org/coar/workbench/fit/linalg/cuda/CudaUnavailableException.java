package org.coar.workbench.fit.linalg.cuda;

import org.coar.workbench.WorkbenchException;

/** No usable GPU: libraries missing, no device, or a driver too old. The message says what was looked for, where, and the fix. */
public final class CudaUnavailableException extends WorkbenchException {
    public CudaUnavailableException(String message) {
        super(message);
    }

    public CudaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
