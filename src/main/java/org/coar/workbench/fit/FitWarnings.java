package org.coar.workbench.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.coar.workbench.model.Components;

/**
 * Things about a fit the user would want to be told, though it can go on: attributions that are
 * all zero, fewer rows than unknowns, completed rows that the split leaves unused.
 */
public final class FitWarnings {
    private FitWarnings() {
    }

    /** Warnings about a finished fit, from its figures alone. */
    public static List<String> forResult(FitResult result) {
        List<String> warnings = new ArrayList<>();
        if (result.components() > 0 && result.zeroVarianceComponents() == result.components()) {
            warnings.add("every one of the " + result.components() + " components was constant over the fitted rows (always kept "
                    + "or always ablated), so every attribution is 0: the rows cannot tell components apart. Build more rows "
                    + "(each component is ablated in a fraction alpha of them)");
        }
        if (result.trainRows() < result.components()) {
            warnings.add(String.format(Locale.ROOT, "the fit used %d training rows for %d components: fewer rows than unknowns, so "
                            + "least squares has many solutions and the workbench returns the minimum-norm one; the attributions are "
                            + "poorly determined. Build at least %d rows (about 8 per component)", result.trainRows(),
                    result.components(), Components.recommendedModels(result.components())));
        }
        return warnings;
    }

    /**
     * Warnings about a split before the fit: completed rows that neither train nor validate only
     * because fractions of the completed rows round down (e.g. 0.9 and 0.1 of 15 rows give 13 + 1).
     */
    static List<String> forSplit(RowSplit split, FitConfig config) {
        List<String> warnings = new ArrayList<>();
        long unused = split.completed() - split.train() - split.validation();
        boolean meantAll = config.numTrain().fraction() && config.numVal().fraction()
                && config.numTrain().value() + config.numVal().value() >= 1 - 1e-9;
        if (meantAll && unused > 0) {
            warnings.add(String.format(Locale.ROOT, "data.num_train %s and data.num_val %s of the %d completed rows round down to "
                            + "%d + %d rows, so %d completed row(s) are used neither to train nor to validate; give counts "
                            + "(e.g. data.num_train: %d) to use every row", trim(config.numTrain().value()),
                    trim(config.numVal().value()), split.completed(), split.train(), split.validation(), unused,
                    split.completed() - split.validation()));
        }
        return warnings;
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
