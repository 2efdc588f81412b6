package org.coar.workbench.ablation;

import java.time.Duration;

/**
 * What a finished build did: rows this process built, and rows of its plan now completed. A
 * cancelled build ends with {@link org.coar.workbench.job.JobCancelledException} instead.
 */
public record BuildResult(long rowsBuilt, long rowsCompletedInPlan, long rowsInPlan, Duration elapsed) {
}
