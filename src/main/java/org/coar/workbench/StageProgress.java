package org.coar.workbench;

/**
 * Progress of a job made of stages (evaluation, editing), for the CLI and the GUI.
 *
 * @param stage  what is running now, e.g. "leave-one-out" or "ablations at alpha 0.05"
 * @param done   units of this stage finished
 * @param total  units in this stage (0 when unknown)
 * @param unit   what a unit is, e.g. "models" or "examples"
 */
public record StageProgress(String stage, long done, long total, String unit) {
    /**
     * The listener, called one event at a time whatever thread reports: services call it from their
     * worker threads, and listeners (a list in a test, a field the GUI polls) need not lock.
     */
    public static java.util.function.Consumer<StageProgress> serialised(java.util.function.Consumer<StageProgress> listener) {
        Object lock = new Object();
        return event -> {
            synchronized (lock) {
                listener.accept(event);
            }
        };
    }

    public double fraction() {
        return total <= 0 ? 0 : (double) done / total;
    }
}
