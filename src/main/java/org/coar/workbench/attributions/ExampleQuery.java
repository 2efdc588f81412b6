package org.coar.workbench.attributions;

/**
 * Which examples to list: every condition set must hold. Null (or false) leaves a condition out, so
 * {@link #ALL} lists every example.
 *
 * @param indexPrefix    the example's index starts with these digits
 * @param label          the example's label
 * @param prediction     the clean model's prediction
 * @param misclassified  only examples the clean model gets wrong
 * @param r2Below        validation R² below this (an example without validation R² never matches)
 * @param component      a condition on one component's score for the example
 */
public record ExampleQuery(String indexPrefix, Integer label, Integer prediction, boolean misclassified, Double r2Below,
                           ComponentCondition component) {
    public static final ExampleQuery ALL = new ExampleQuery(null, null, null, false, null, null);

    /** What a component's score for an example must be. */
    public enum Kind {
        /** score ≥ value */
        SCORE_AT_LEAST,
        /** score ≤ value */
        SCORE_AT_MOST,
        /** the component has the largest |score| of all components for the example: it moves that example most */
        STRONGEST
    }

    /** {@code value} is unused for {@link Kind#STRONGEST}. */
    public record ComponentCondition(int component, Kind kind, double value) {
    }

    public ExampleQuery withIndexPrefix(String prefix) {
        return new ExampleQuery(prefix, label, prediction, misclassified, r2Below, component);
    }

    public ExampleQuery withLabel(Integer value) {
        return new ExampleQuery(indexPrefix, value, prediction, misclassified, r2Below, component);
    }

    public ExampleQuery withPrediction(Integer value) {
        return new ExampleQuery(indexPrefix, label, value, misclassified, r2Below, component);
    }

    public ExampleQuery withMisclassified(boolean only) {
        return new ExampleQuery(indexPrefix, label, prediction, only, r2Below, component);
    }

    public ExampleQuery withR2Below(Double threshold) {
        return new ExampleQuery(indexPrefix, label, prediction, misclassified, threshold, component);
    }

    public ExampleQuery withComponent(ComponentCondition condition) {
        return new ExampleQuery(indexPrefix, label, prediction, misclassified, r2Below, condition);
    }

    /**
     * Whether {@code row} matches. {@code scores} is the condition's component's score for every example and
     * {@code strongest} every example's strongest component; each may be null when no condition needs it.
     */
    public boolean matches(ExampleBrowser.ExampleRow row, float[] scores, int[] strongest) {
        if (indexPrefix != null && !indexPrefix.isEmpty() && !Integer.toString(row.index()).startsWith(indexPrefix)) {
            return false;
        }
        if (label != null && row.label() != label || prediction != null && row.prediction() != prediction) {
            return false;
        }
        if (misclassified && !row.misclassified() || r2Below != null && !(row.validationR2() < r2Below)) {
            return false;
        }
        if (component == null) {
            return true;
        }
        return switch (component.kind()) {
            case SCORE_AT_LEAST -> scores[row.index()] >= component.value();
            case SCORE_AT_MOST -> scores[row.index()] <= component.value();
            case STRONGEST -> strongest[row.index()] == component.component();
        };
    }
}
