package org.coar.workbench.ablation;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.coar.workbench.model.AblatedEvaluator;
import org.coar.workbench.model.ReplicaPool;

/**
 * Measures the accuracy of the model with nothing ablated, once per build, on the first worker to
 * take a row (with its own replica, before that row): the reference the ablated rows' accuracies
 * are read against. Nothing in the store records it, and one forward pass over the data costs
 * about one row.
 */
final class UnablatedReference {
    private final AtomicBoolean measured = new AtomicBoolean();
    private final ProgressTracker tracker;
    private final int components;

    /** Reports to {@code tracker}; the model has {@code components} components, all kept. */
    UnablatedReference(ProgressTracker tracker, int components) {
        this.tracker = tracker;
        this.components = components;
    }

    /** The first caller measures; a cancel during that pass leaves the reference unknown. */
    void measureOnce(ReplicaPool.Worker worker) {
        if (!measured.compareAndSet(false, true)) {
            return;
        }
        boolean[] keepAll = new boolean[components];
        Arrays.fill(keepAll, true);
        AblatedEvaluator.Result result = worker.evaluator().evaluate(keepAll, worker::stopRequested);
        if (result != null) {
            tracker.unablatedAccuracy(result.accuracy());
        }
    }
}
