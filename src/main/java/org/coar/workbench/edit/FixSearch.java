package org.coar.workbench.edit;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;

/**
 * Finds a COAR-Edit that fixes one misclassified example while keeping the others' accuracy, as a
 * researcher would: misclassified examples nearest the decision boundary first; for each, a sweep
 * over k picks the smallest k that makes it correct while the other examples lose at most
 * {@code maxReferenceDrop} accuracy; that edit is then made (and saved).
 */
public final class FixSearch {
    /** The example and k chosen, and the final edit; {@code fixed} is false when no candidate could be fixed within budget. */
    public record Found(int example, int k, boolean fixed, EditResult edit) {
    }

    private final EditService edits = new EditService();

    /**
     * @param cleanMargins the unedited model's margin per example
     * @param candidates   how many misclassified examples to try at most
     */
    public Found search(EditRequest template, float[] cleanMargins, int candidates, int maxK, double maxReferenceDrop,
                        Consumer<Progress> progress, Cancellation cancel) {
        List<Integer> misclassified = IntStream.range(0, cleanMargins.length).filter(j -> !(cleanMargins[j] > 0)).boxed()
                .sorted(Comparator.comparingDouble(j -> -cleanMargins[j])).limit(candidates).toList();
        if (misclassified.isEmpty()) {
            throw new WorkbenchException("the model misclassifies no evaluation example, so there is nothing to fix");
        }
        for (int example : misclassified) {
            EditResult sweep = edits.edit(copy(template, example, 1, maxK, null), progress, cancel);
            double referenceBefore = sweep.before().reference().accuracy();
            for (EditResult.SweepRow row : sweep.sweep()) {
                if (row.metrics().target().accuracy() == 1.0 && referenceBefore - row.metrics().reference().accuracy() <= maxReferenceDrop) {
                    EditResult edit = edits.edit(copy(template, example, row.k(), null, template.save()), progress, cancel);
                    return new Found(example, row.k(), true, edit);
                }
            }
        }
        int example = misclassified.getFirst();
        EditResult edit = edits.edit(copy(template, example, template.k(), null, template.save()), progress, cancel);
        return new Found(example, template.k(), false, edit);
    }

    private static EditRequest copy(EditRequest t, int example, int k, Integer sweepMax, Path save) {
        return new EditRequest(t.storeDir(), t.attributionsDir(), Integer.toString(example), t.reference(), k, t.mode(), sweepMax, save,
                t.outDir(), t.devices(), t.cpuWorkers(), t.batchSize(), t.forceAttributions());
    }
}
