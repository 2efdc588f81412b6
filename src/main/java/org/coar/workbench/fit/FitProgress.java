package org.coar.workbench.fit;

/**
 * A snapshot of a running fit, for the CLI progress line and the GUI.
 *
 * @param stage   what runs now
 * @param done    units of the stage done (rows read, λ's solved, files written)
 * @param total   units in the stage
 * @param message a short human line, e.g. "λ 3/20 (0.0123 × λ_max), 9,812 examples still on the path"
 */
public record FitProgress(Stage stage, long done, long total, String message) {

    public enum Stage {
        READING("reading rows"), SOLVING("solving"), WRITING("writing"), DONE("done");

        private final String label;

        Stage(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    static FitProgress reading(long done, long total, String message) {
        return new FitProgress(Stage.READING, done, total, message);
    }

    static FitProgress solving(long done, long total, String message) {
        return new FitProgress(Stage.SOLVING, done, total, message);
    }

    public double fraction() {
        return total <= 0 ? 1 : Math.min(1, (double) done / total);
    }
}
