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
    /** The questions asked ({@link #ask} as "title: message", {@link #confirm} with its button in brackets). */
    public final List<String> questions = new ArrayList<>();
    /** Answers to {@link #ask} in turn (index; -1 closes the dialog); none left fails the test. */
    public final Deque<Integer> choices = new ArrayDeque<>();
    /** Answers to {@link #confirm} in order (none left: Cancel). */
    public final Deque<Boolean> confirmations = new ArrayDeque<>();

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
    public int ask(String title, String message, String... answers) {
        questions.add(title + ": " + message);
        Integer choice = choices.poll();
        if (choice == null) {
            throw new AssertionError("unexpected question " + title + ": " + message);
        }
        return choice;
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
