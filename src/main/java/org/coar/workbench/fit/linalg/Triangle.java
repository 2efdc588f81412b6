package org.coar.workbench.fit.linalg;

/**
 * Which triangle of a row-major square matrix holds a symmetric matrix, and afterwards its
 * Cholesky factor: {@code LOWER} holds L with G = L·Lᵀ, {@code UPPER} holds R with G = Rᵀ·R. The
 * two strict triangles are independent, so one square buffer can hold two symmetric matrices that
 * share their diagonal (the fit keeps the training rows' Gram below it and all rows' above).
 */
public enum Triangle {
    LOWER, UPPER
}
