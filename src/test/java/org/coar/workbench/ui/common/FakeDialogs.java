package org.coar.workbench.ui.common;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** Answers file choosers with prepared paths and records every message shown. */
public class FakeDialogs implements DialogService {
    public final Deque<Path> answers = new ArrayDeque<>();
    public final List<String> errors = new ArrayList<>();
    public final List<String> informations = new ArrayList<>();
    /** Answers to {@link #confirm} in order (none left: Cancel), and the questions asked. */
    public final Deque<Boolean> confirmations = new ArrayDeque<>();
    public final List<String> questions = new ArrayList<>();

    /** For tests where any error dialog is a failure: it fails at once, naming the message. */
    public static DialogService failingOnError() {
        return new FakeDialogs() {
            @Override
            public void showError(String title, String message) {
                throw new AssertionError(title + ": " + message);
            }
        };
    }

    @Override
    public void showError(String title, String message) {
        errors.add(title + ": " + message);
    }

    @Override
    public void showInformation(String title, String message) {
        informations.add(title + ": " + message);
    }

    @Override
    public boolean confirm(String title, String message, String acceptLabel) {
        questions.add(title + ": " + message + " [" + acceptLabel + "]");
        return Boolean.TRUE.equals(confirmations.poll());
    }

    @Override
    public Optional<Path> chooseFile(String title, String... extensions) {
        return Optional.ofNullable(answers.poll());
    }

    @Override
    public Optional<Path> chooseSaveFile(String title, String initialName) {
        return Optional.ofNullable(answers.poll());
    }

    @Override
    public Optional<Path> chooseDirectory(String title) {
        return Optional.ofNullable(answers.poll());
    }
}
