package org.coar.workbench.fit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;

/**
 * Raw sums over one set of rows (training or validation) from which every fit and every
 * validation error follows: Σx, XᵀX, Ỹᵀ X, Σỹ, Σỹ², with ỹ = y − shift. The shift (roughly the
 * output mean, the same for both sets) keeps Ỹᵀ X from cancelling catastrophically when centred.
 * X is the 0/1 keep-mask; XᵀX holds exact integer counts.
 */
public final class SufficientStatistics implements AutoCloseable {
    private final LinearAlgebra la;
    final int components;
    final int examples;
    final long rows;
    final double[] maskSums;
    /** XᵀX, components × components, both triangles. */
    final Matrix gram;
    /** ỸᵀX, examples × components (one row per example). */
    final Matrix cross;
    final double[] outputSums;
    final double[] outputSquares;
    final float[] shift;

    SufficientStatistics(LinearAlgebra la, long rows, double[] maskSums, Matrix gram, Matrix cross, double[] outputSums,
                         double[] outputSquares, float[] shift) {
        this.la = la;
        this.components = maskSums.length;
        this.examples = outputSums.length;
        this.rows = rows;
        this.maskSums = maskSums;
        this.gram = gram;
        this.cross = cross;
        this.outputSums = outputSums;
        this.outputSquares = outputSquares;
        this.shift = shift;
    }

    public long rows() {
        return rows;
    }

    /** The statistics of both sets together (same shift), e.g. training plus validation rows for the final fit. */
    SufficientStatistics plus(SufficientStatistics other) {
        Matrix g = la.zeros(Precision.DOUBLE, components, components);
        add(gram.segment(), other.gram.segment(), g.segment(), gram.size());
        Matrix c = la.zeros(Precision.DOUBLE, examples, components);
        add(cross.segment(), other.cross.segment(), c.segment(), cross.size());
        return new SufficientStatistics(la, rows + other.rows, sum(maskSums, other.maskSums), g, c,
                sum(outputSums, other.outputSums), sum(outputSquares, other.outputSquares), shift);
    }

    private static void add(MemorySegment a, MemorySegment b, MemorySegment into, long count) {
        for (long i = 0; i < count; i++) {
            into.setAtIndex(ValueLayout.JAVA_DOUBLE, i, a.getAtIndex(ValueLayout.JAVA_DOUBLE, i) + b.getAtIndex(ValueLayout.JAVA_DOUBLE, i));
        }
    }

    private static double[] sum(double[] a, double[] b) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }

    @Override
    public void close() {
        la.free(gram);
        la.free(cross);
    }
}
