package org.coar.workbench.fit.linalg;

/**
 * {@code a = Qᵀ · diag(values) · Q} where row k of {@code vectors} (the matrix Q) is the
 * eigenvector of {@code values[k]}; values ascending.
 */
public record SymmetricEigen(double[] values, Matrix vectors) {
}
