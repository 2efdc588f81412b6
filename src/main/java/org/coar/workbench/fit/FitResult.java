package org.coar.workbench.fit;

import java.nio.file.Path;
import java.util.Map;

/**
 * A finished fit: the attributions directory and the figures its report.json records.
 *
 * @param outDir              where the attributions were written
 * @param solver              the solver used
 * @param trainRows           rows used for fitting (and choosing λ)
 * @param validationRows      rows used for validation (0 = none)
 * @param finalRows           rows of the final fit (training + validation, as the reference refits)
 * @param components          mask width
 * @param zeroVarianceComponents components always kept or always ablated in the final rows (weight 0)
 * @param examples            outputs fitted
 * @param medianValidationR2  median over examples of the validation R² (NaN without validation rows)
 * @param stageSeconds        seconds per stage: reading, solving, writing, total
 * @param plan                the memory plan the fit followed
 * @param peakRssBytes        the process's peak resident memory at the end of the fit (-1 where not known)
 * @param warnings            config warnings and anything else the user should read
 */
public record FitResult(Path outDir, Solver solver, long trainRows, long validationRows, long finalRows, int components,
                        int zeroVarianceComponents, int examples, double medianValidationR2, Map<String, Double> stageSeconds,
                        FitPlan plan, long peakRssBytes, java.util.List<String> warnings) {
}
