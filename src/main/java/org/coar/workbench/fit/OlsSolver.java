package org.coar.workbench.fit;

import java.util.Map;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.fit.linalg.SymmetricEigen;

/**
 * Least squares (λ = 0) for every example at once: one Cholesky factorisation of the
 * standardised Gram serves all right-hand sides. A tiny jitter is added only when the
 * factorisation fails (reported); with fewer rows than varying components the Gram is singular
 * and the minimum-norm solution G⁺c (the same as Z⁺y) comes from an eigendecomposition instead.
 */
final class OlsSolver {
    private static final double[] JITTERS = {1e-12, 1e-10, 1e-8};
    /** Eigenvalues below this fraction of the largest count as zero for the minimum-norm solution. */
    private static final double RANK_TOLERANCE = 1e-10;

    private OlsSolver() {
    }

    /** Weights (examples × active, standardised space); notes what it did into {@code details}. */
    static Matrix solve(LinearAlgebra la, StandardisedProblem problem, Map<String, Object> details) {
        int q = problem.size();
        Matrix weights = la.zeros(Precision.DOUBLE, problem.examples(), q);
        weights.copyFrom(problem.cross);
        if (q == 0) {
            details.put("method", "no varying components");
            return weights;
        }
        if (problem.rows - 1 < q) {
            // Centring removes one degree of freedom: rank(G) ≤ rows − 1 < q, so G is singular.
            minimumNorm(la, problem, weights, details);
            return weights;
        }
        Matrix factor = la.zeros(Precision.DOUBLE, q, q);
        try {
            factor.copyFrom(problem.gram);
            if (la.choleskyInPlace(factor)) {
                la.choleskySolveInPlace(factor, weights);
                details.put("method", "cholesky");
                details.put("jitter", 0.0);
                return weights;
            }
            double meanDiagonal = 0;
            for (int a = 0; a < q; a++) {
                meanDiagonal += problem.gram.get(a, a) / q;
            }
            for (double jitter : JITTERS) {
                factor.copyFrom(problem.gram);
                for (int a = 0; a < q; a++) {
                    factor.set(a, a, factor.get(a, a) + jitter * meanDiagonal);
                }
                if (la.choleskyInPlace(factor)) {
                    la.choleskySolveInPlace(factor, weights);
                    details.put("method", "cholesky with jitter (the standardised Gram is numerically singular: "
                            + "some components are (nearly) collinear)");
                    details.put("jitter", jitter * meanDiagonal);
                    return weights;
                }
            }
        } finally {
            la.free(factor);
        }
        minimumNorm(la, problem, weights, details);
        return weights;
    }

    /** weights ← G⁺ c for every row c, in place. */
    private static void minimumNorm(LinearAlgebra la, StandardisedProblem problem, Matrix weights, Map<String, Object> details) {
        int q = problem.size();
        SymmetricEigen eigen = la.symmetricEigen(problem.gram);
        Matrix projected = la.zeros(Precision.DOUBLE, weights.rows(), q);
        try {
            double largest = eigen.values()[q - 1];
            double[] inverse = new double[q];
            int rank = 0;
            for (int k = 0; k < q; k++) {
                if (eigen.values()[k] > RANK_TOLERANCE * largest) {
                    inverse[k] = 1 / eigen.values()[k];
                    rank++;
                }
            }
            // T = C Qᵀ (coordinates in the eigenbasis), scale by Λ⁺, back: W = T Q.
            la.gemm(1, problem.cross, false, eigen.vectors(), true, 0, projected);
            double[] row = new double[q];
            for (int r = 0; r < projected.rows(); r++) {
                projected.getRow(r, row);
                for (int k = 0; k < q; k++) {
                    row[k] *= inverse[k];
                }
                projected.setRow(r, row);
            }
            la.gemm(1, projected, false, eigen.vectors(), false, 0, weights);
            details.put("method", "minimum-norm (pseudo-inverse by eigendecomposition)");
            details.put("rank", rank);
            details.put("reason", problem.rows + " rows for " + q + " varying components");
        } finally {
            la.free(projected);
            la.free(eigen.vectors());
        }
    }
}
