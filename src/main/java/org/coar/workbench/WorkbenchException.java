package org.coar.workbench;

/**
 * A failure the user can act on: the message names the file, the field and the fix.
 * The CLI prints it without a stack trace and exits with status 1; the GUI shows it in a dialog.
 */
public class WorkbenchException extends RuntimeException {
    public WorkbenchException(String message) {
        super(message);
    }

    public WorkbenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
