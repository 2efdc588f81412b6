package org.coar.workbench.fit.linalg.cuda;

import org.coar.workbench.WorkbenchException;

/** A CUDA, cuBLAS or cuSOLVER call that returned an error status; the message names the call and the status. */
public final class CudaException extends WorkbenchException {
    private final int status;

    CudaException(String message, int status) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
