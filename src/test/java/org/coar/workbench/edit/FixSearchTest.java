package org.coar.workbench.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.evaluation.EvalFixtures;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.JobCancelledException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search for a fixing edit on the linear fixture, where example 0 needs exactly components 3 and 12 ablated. */
class FixSearchTest {
    @Test
    void findsTheSmallestKThatFixesTheExampleWithinTheAccuracyBudget(@TempDir Path tmp) {
        Path store = EvalFixtures.linearStore(tmp, 20);
        Path attributions = EvalFixtures.exactAttributions(tmp);
        EditRequest template = new EditRequest(store, attributions, "0", "rest", 5, EditMode.BOTTOMK, null, null, tmp.resolve("edit"),
                List.of("cpu"), 1, 64);
        float[] margins = new float[64];
        java.util.Arrays.fill(margins, 1f);
        margins[0] = -0.5f; // as the fixture's clean model: example 0 is the only misclassified one
        FixSearch.Found found = new FixSearch().search(template, margins, 3, 4, 0.0, p -> { }, new Cancellation());
        assertTrue(found.fixed());
        assertEquals(0, found.example());
        assertEquals(2, found.k(), "one planted component is not enough; both are");
        assertEquals(List.of(3, 12), found.edit().ablated().stream().map(EditResult.AblatedComponent::index).sorted().toList());
        assertEquals(1.0, found.edit().after().reference().accuracy());
    }

    @Test
    void aModelWithNoErrorsHasNothingToFix(@TempDir Path tmp) {
        float[] margins = {1f, 2f};
        EditRequest template = new EditRequest(tmp, tmp, "0", "rest", 1, EditMode.BOTTOMK, null, null, tmp, List.of("cpu"), 1, 64);
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> new FixSearch().search(template, margins, 3, 4, 0.0, p -> { }, new Cancellation()));
        assertTrue(e.getMessage().contains("misclassifies no evaluation example"), e.getMessage());
    }

    @Test
    void aCancelledSearchEndsWithTheJobExceptionAndSavesNothing(@TempDir Path tmp) {
        Path store = EvalFixtures.linearStore(tmp, 2);
        Path attributions = EvalFixtures.exactAttributions(tmp);
        Path saved = tmp.resolve("edited.pt");
        EditRequest template = new EditRequest(store, attributions, "0", "rest", 5, EditMode.BOTTOMK, null, saved, tmp.resolve("edit"),
                List.of("cpu"), 1, 64);
        float[] margins = new float[64];
        java.util.Arrays.fill(margins, 1f);
        margins[0] = -0.5f;
        Cancellation cancel = new Cancellation();
        assertThrows(JobCancelledException.class, () -> new FixSearch().search(template, margins, 3, 4, 0.0, p -> {
            if (p.stage().startsWith("sweep")) {
                cancel.cancel();
            }
        }, cancel));
        assertFalse(Files.exists(tmp.resolve("edit")));
        assertFalse(Files.exists(saved));
    }
}
