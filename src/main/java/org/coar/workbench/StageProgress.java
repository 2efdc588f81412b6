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
    public double fraction() {
        return total <= 0 ? 0 : (double) done / total;
    }
}
