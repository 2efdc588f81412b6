package org.coar.workbench.evaluation;

import java.util.List;

/**
 * A baseline's per-component, per-example scores, read like COAR's raw weights: score[c][j] is
 * the effect on example j's output of keeping component c (so ablating it changes the output by
 * −score). The prediction for a keep-mask is {@code base[j] − Σ_{c ablated} score[c][j]}: the
 * unablated output minus the effects of what was removed (the "sum over ablated
 * components"). Pearson correlation ignores the base, which only makes the units readable.
 *
 * @param method   name in reports and figures
 * @param scores   {@code [component][example]}, or {@code [component][1]} for scores shared by every example
 * @param base     output of the unablated model per example (zeros when the scores have no output units)
 */
public record ComponentScores(String method, float[][] scores, float[] base) {

    public int components() {
        return scores.length;
    }

    public float score(int component, int example) {
        float[] row = scores[component];
        return row.length == 1 ? row[0] : row[example];
    }

    /** Predicted outputs {@code [mask][example]}. */
    public float[][] predict(List<boolean[]> keeps) {
        int examples = base.length;
        float[][] out = new float[keeps.size()][];
        double[] sum = new double[examples];
        for (int r = 0; r < keeps.size(); r++) {
            boolean[] keep = keeps.get(r);
            if (keep.length != scores.length) {
                throw new IllegalArgumentException("mask has " + keep.length + " entries for " + scores.length + " components");
            }
            for (int j = 0; j < examples; j++) {
                sum[j] = base[j];
            }
            for (int c = 0; c < keep.length; c++) {
                if (!keep[c]) {
                    float[] row = scores[c];
                    if (row.length == 1) {
                        for (int j = 0; j < examples; j++) {
                            sum[j] -= row[0];
                        }
                    } else {
                        for (int j = 0; j < examples; j++) {
                            sum[j] -= row[j];
                        }
                    }
                }
            }
            out[r] = new float[examples];
            for (int j = 0; j < examples; j++) {
                out[r][j] = (float) sum[j];
            }
        }
        return out;
    }
}
