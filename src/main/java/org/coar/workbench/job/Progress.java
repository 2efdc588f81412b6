package org.coar.workbench.job;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * A snapshot of a running job (build, fit, evaluation, edit, leave-one-out, demo), the one progress
 * record every service reports and every view (CLI bar, GUI bar) shows.
 *
 * @param stage   what runs now, e.g. "reading rows" or "ablations at alpha 0.05"
 * @param done    units of this stage finished
 * @param total   units in this stage; {@link #UNKNOWN} when not known, 0 when the stage has nothing to do
 * @param unit    what a unit is ("rows", "models", "examples"), for the line a view prints
 * @param message a short extra line for the user, e.g. "λ 3/20, 9,812 examples on the path"; may be empty
 */
public record Progress(String stage, long done, long total, String unit, String message) {
    /** The total of a stage whose size is not known. */
    public static final long UNKNOWN = -1;

    public Progress {
        stage = stage == null ? "" : stage;
        unit = unit == null ? "" : unit;
        message = message == null ? "" : message;
    }

    public Progress(String stage, long done, long total, String unit) {
        this(stage, done, total, unit, "");
    }

    /** A stage that has started and whose size is not known. */
    public static Progress indeterminate(String stage, String message) {
        return new Progress(stage, 0, UNKNOWN, "", message);
    }

    /**
     * The listener, called one event at a time whatever thread reports: services call it from their
     * worker threads, and listeners (a list in a test, a field the GUI polls) need not lock.
     */
    public static Consumer<Progress> serialised(Consumer<Progress> listener) {
        Object lock = new Object();
        return event -> {
            synchronized (lock) {
                listener.accept(event);
            }
        };
    }

    public boolean isDeterminate() {
        return total >= 0;
    }

    /**
     * The finished share of this stage in [0, 1], or -1 while the total is unknown (JavaFX's
     * indeterminate value); a stage with nothing to do (total 0) is finished.
     */
    public double fraction() {
        if (total < 0) {
            return -1;
        }
        return total == 0 ? 1 : Math.min(1, (double) done / total);
    }

    /** "stage: 1,234 / 5,000 unit · message", the line both the CLI and the GUI show. */
    public String describe() {
        StringBuilder line = new StringBuilder(stage);
        if (total >= 0) {
            line.append(String.format(Locale.ROOT, ": %,d / %,d", done, total));
            if (!unit.isEmpty()) {
                line.append(' ').append(unit);
            }
        }
        if (!message.isEmpty()) {
            line.append(line.isEmpty() ? "" : " · ").append(message);
        }
        return line.toString();
    }
}
