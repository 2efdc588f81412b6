package org.coar.workbench.ui;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.coar.workbench.WorkbenchException;
import org.junit.jupiter.api.Test;

class WorkbenchAppTest {
    @Test
    void missingGtkNamesThePackageToInstall() {
        // JavaFX 25's words on a Linux machine without libgtk-3 (seen with libgtk-3-0 removed).
        var javafx = new UnsupportedOperationException("Unable to load glass GTK library.");
        RuntimeException explained = WorkbenchApp.explainToolkitFailure(javafx);
        assertInstanceOf(WorkbenchException.class, explained);
        assertTrue(explained.getMessage().contains("apt-get install libgtk-3-0"), explained.getMessage());
        assertSame(javafx, explained.getCause());
    }

    @Test
    void otherToolkitFailuresPassThroughUnchanged() {
        var other = new UnsupportedOperationException("Internal Error");
        assertSame(other, WorkbenchApp.explainToolkitFailure(other));
    }
}
