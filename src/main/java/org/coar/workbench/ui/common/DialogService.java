package org.coar.workbench.ui.common;

import java.nio.file.Path;
import java.util.Optional;
import org.coar.workbench.WorkbenchException;

/** Dialogs and file choosers behind an interface, so view logic is testable without real dialogs. */
public interface DialogService {
    void showError(String title, String message);

    void showInformation(String title, String message);

    /**
     * Asks a question with two answers: {@code acceptLabel} (true) and Cancel (false), e.g. "Locate model…"
     * under a message saying the model is missing. Answers Cancel where a dialog service cannot ask.
     */
    default boolean confirm(String title, String message, String acceptLabel) {
        return false;
    }

    Optional<Path> chooseFile(String title, String... extensions);

    Optional<Path> chooseSaveFile(String title, String initialName);

    Optional<Path> chooseDirectory(String title);

    /**
     * Asks a question with the given answers (e.g. before replacing earlier results).
     *
     * @return the index of the answer chosen, or -1 when the dialog was closed without one
     */
    int ask(String title, String message, String... answers);

    /** Runs {@code action}; a refusal with a message for the user (bad settings, no store) becomes an error dialog titled {@code failureTitle}. */
    default void attempt(String failureTitle, Runnable action) {
        try {
            action.run();
        } catch (WorkbenchException e) {
            showError(failureTitle, e.getMessage());
        }
    }
}
