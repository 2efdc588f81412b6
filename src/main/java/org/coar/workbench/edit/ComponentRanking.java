package org.coar.workbench.edit;

import java.util.Arrays;
import java.util.Comparator;
import org.coar.workbench.WorkbenchException;

/**
 * COAR-Edit's component scores and selection, as the reference {@code coar_edit.py}: per
 * component, the Welch t-statistic between the target and the reference examples' attributions,
 * {@code (mean_t − mean_r) / sqrt(var_t / n_t + var_r / n_r)} with population variances
 * ({@code std(correction=0)}); then the k highest ({@link EditMode#TOPK}) or lowest
 * ({@link EditMode#BOTTOMK}) scores.
 * <p>
 * Degenerate cases, where the reference formula gives 0/0 or x/0: both groups constant and equal
 * score 0 (no evidence either way); constant but different score ±∞ (perfect separation), and
 * ties are broken by the larger difference of means, then by the lower component index.
 */
public final class ComponentRanking {

    /** Per-component scores and the differences of means behind them. */
    public record Scores(double[] t, double[] meanDifference) {
    }

    private ComponentRanking() {
    }

    /**
     * @param target    {@code [example][component]} attributions of the target examples
     * @param reference {@code [example][component]} attributions of the reference examples
     */
    public static Scores welchT(float[][] target, float[][] reference) {
        if (target.length == 0 || reference.length == 0) {
            throw new WorkbenchException((target.length == 0 ? "the target" : "the reference") + " set is empty; COAR-Edit compares "
                    + "target examples with reference examples, so both need at least one");
        }
        int p = target[0].length;
        double[] t = new double[p];
        double[] difference = new double[p];
        for (int c = 0; c < p; c++) {
            double[] mt = meanAndVariance(target, c);
            double[] mr = meanAndVariance(reference, c);
            double delta = mt[0] - mr[0];
            double se = Math.sqrt(mt[1] / target.length + mr[1] / reference.length);
            difference[c] = delta;
            if (se > 0) {
                t[c] = delta / se;
            } else {
                t[c] = delta == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, delta);
            }
        }
        return new Scores(t, difference);
    }

    private static double[] meanAndVariance(float[][] rows, int c) {
        double mean = 0;
        for (float[] row : rows) {
            mean += row[c];
        }
        mean /= rows.length;
        double variance = 0;
        for (float[] row : rows) {
            double d = row[c] - mean;
            variance += d * d;
        }
        return new double[] {mean, variance / rows.length};
    }

    /** The components to ablate, best first. */
    public static int[] select(Scores scores, int k, EditMode mode) {
        int p = scores.t().length;
        if (k < 1 || k > p) {
            throw new WorkbenchException("--k " + k + ": choose between 1 and " + p + " (the number of components)");
        }
        Integer[] order = new Integer[p];
        for (int c = 0; c < p; c++) {
            order[c] = c;
        }
        Comparator<Integer> highestFirst = Comparator.<Integer>comparingDouble(c -> scores.t()[c])
                .thenComparingDouble(c -> scores.meanDifference()[c]).reversed();
        Comparator<Integer> lowestFirst = Comparator.<Integer>comparingDouble(c -> scores.t()[c])
                .thenComparingDouble(c -> scores.meanDifference()[c]);
        Arrays.sort(order, (mode == EditMode.TOPK ? highestFirst : lowestFirst).thenComparingInt(c -> c));
        return Arrays.stream(order).limit(k).mapToInt(Integer::intValue).toArray();
    }
}
