package org.coar.workbench.ablation;

import java.time.Duration;
import java.util.List;
import org.coar.workbench.job.Progress;
import org.coar.workbench.model.WorkerStatus;

/**
 * A snapshot of a running build, for the CLI progress bar and the GUI: the job's {@link Progress}
 * (rows of the plan) and the figures only a build has.
 *
 * @param progress        completed rows of this process's plan (including rows completed before it
 *                        started) out of the plan's rows, stage {@link #STAGE}, unit "rows"
 * @param rowsPerSecond   rows this process completed per second of running time since it started (pauses excluded)
 * @param eta             estimated running time to finish the plan at that rate, or null while unknown
 * @param workers         per-device state
 * @param latestMeanOutput mean output (e.g. margin) of the most recent row, NaN before the first
 * @param latestAccuracy  accuracy of the ablated model of the most recent row, NaN before the first
 * @param latestOutputs   the most recent row's outputs, one per example (shared, not to be changed), null before the first
 * @param unablatedAccuracy accuracy of the model with nothing ablated, measured once when the build's first worker
 *                        starts; NaN until then, and for a build with no row to make
 * @param rowsWithNonFiniteOutputs rows built by this process with a NaN or infinite output (the fit refuses them
 *                        unless told to exclude them), 0 when none
 * @param firstNonFiniteRow the lowest such row, -1 when none
 */
public record BuildProgress(Progress progress, double rowsPerSecond, Duration eta, List<WorkerState> workers,
                            double latestMeanOutput, double latestAccuracy, float[] latestOutputs, double unablatedAccuracy,
                            long rowsWithNonFiniteOutputs, long firstNonFiniteRow) {
    /** The stage of every build snapshot. */
    public static final String STAGE = "building rows";

    /** What to tell the user about NaN/Inf outputs seen so far; null when none. */
    public String nonFiniteWarning() {
        return rowsWithNonFiniteOutputs == 0 ? null : rowsWithNonFiniteOutputs + " row(s) with NaN/Inf outputs (first: row "
                + firstNonFiniteRow + "); 'coar fit' refuses them unless given --exclude-non-finite";
    }

    /**
     * One worker (one device, one model replica).
     *
     * @param state           what it is doing; the views show its label
     * @param rowsPerSecond   rows this worker completed per second of running time since its replica was ready
     * @param memoryUsedBytes memory in use on the worker's GPU (the whole device), -1 for the CPU or unknown
     * @param batchSize       examples per forward pass of this worker, 0 before it runs
     */
    public record WorkerState(String device, WorkerStatus state, long rowsBuilt, double rowsPerSecond, long memoryUsedBytes,
                              int batchSize) {
        public WorkerState(String device, WorkerStatus state, long rowsBuilt) {
            this(device, state, rowsBuilt, 0, -1, 0);
        }
    }
}
