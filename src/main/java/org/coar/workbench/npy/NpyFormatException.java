package org.coar.workbench.npy;

import java.nio.file.Path;
import org.coar.workbench.WorkbenchException;

/** A .npy file the workbench cannot use, with the file named in the message. */
public class NpyFormatException extends WorkbenchException {
    public NpyFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
