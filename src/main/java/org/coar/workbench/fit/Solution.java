package org.coar.workbench.fit;

import java.util.Map;
import org.coar.workbench.fit.linalg.Matrix;

/**
 * A solver's answer in the final problem's standardised space, examples in their original order.
 *
 * @param weights        examples × active components of the final problem
 * @param bias           intercept per example (the final rows' output mean, or 0 without cfg.use_bias)
 * @param lambda         the λ used per example in the final fit
 * @param validationMse  per example, of the model chosen on training rows; NaN without validation rows
 * @param validationR2   1 − MSE / variance of the validation outputs; NaN without validation rows
 * @param details        what the solver did, for report.json
 */
record Solution(Matrix weights, double[] bias, double[] lambda, double[] validationMse, double[] validationR2,
                Map<String, Object> details) {
}
