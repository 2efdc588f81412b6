package org.coar.workbench.ui.common;

import java.nio.file.Path;
import java.util.Optional;

/** Dialogs and file choosers behind an interface, so view logic is testable without real dialogs. */
public interface DialogService {
    void showError(String title, String message);

    void showInformation(String title, String message);

    Optional<Path> chooseFile(String title, String... extensions);

    Optional<Path> chooseSaveFile(String title, String initialName);

    Optional<Path> chooseDirectory(String title);
}
