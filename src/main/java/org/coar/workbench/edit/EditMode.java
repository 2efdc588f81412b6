package org.coar.workbench.edit;

import java.util.Locale;
import org.coar.workbench.WorkbenchException;

/**
 * Which end of the component ranking to ablate, as the reference {@code CoarEdit.get_subset}.
 * Scores are Welch t-statistics of target minus reference attributions, where an attribution is
 * the effect of keeping a component.
 */
public enum EditMode {
    /**
     * Ablate the k highest scores: components that support the target more than the reference.
     * Lowers the target's outputs, e.g. to make the model forget a subpopulation or a backdoor.
     */
    TOPK,
    /**
     * Ablate the k lowest scores: components that hold the target down more than the reference.
     * Raises the target's outputs, e.g. to fix a misclassified example.
     */
    BOTTOMK,
    /**
     * Ablate exactly the components the user listed ({@code --components}), whatever their scores:
     * to test a set chosen elsewhere, e.g. on an example's page. Not a {@code --mode}.
     */
    EXPLICIT;

    /** The modes that pick components from the ranking, as {@code --mode} takes them. */
    public static final java.util.List<EditMode> RANKED = java.util.List.of(TOPK, BOTTOMK);

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EditMode parse(String name) {
        for (EditMode mode : RANKED) {
            if (mode.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return mode;
            }
        }
        throw new WorkbenchException("--mode: unknown mode '" + name + "'; use topk (lower the target's outputs) or bottomk "
                + "(raise them, e.g. to fix a misclassified example)");
    }
}
