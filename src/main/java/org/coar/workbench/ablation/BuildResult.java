package org.coar.workbench.ablation;

import java.time.Duration;

/** What a build did: rows this process built, rows of its plan now completed, and whether it was cancelled. */
public record BuildResult(long rowsBuilt, long rowsCompletedInPlan, long rowsInPlan, boolean cancelled, Duration elapsed) {
}
