package org.coar.workbench.fit.linalg;

/**
 * The dense linear algebra that fitting needs, and nothing more, so that a second backend (for
 * example DJL/PyTorch on CUDA GPUs newer than ND4J's builds support) is one class. Matrices are
 * row-major and host-visible; the backend may stage them on a device inside each call.
 */
public interface LinearAlgebra extends AutoCloseable {

    /** Backend, library versions and threads, recorded in report.json. */
    String description();

    /** A zeroed {@code rows × cols} matrix; freed by {@link #close()} or {@link #free(Matrix)}. */
    Matrix zeros(Precision precision, int rows, int cols);

    /** Frees a matrix made by {@link #zeros} before the backend closes. */
    void free(Matrix matrix);

    /** {@code c = alpha · op(a) · op(b) + beta · c}, where op transposes when asked. All three share a precision. */
    void gemm(double alpha, Matrix a, boolean transposeA, Matrix b, boolean transposeB, double beta, Matrix c);

    /**
     * {@code c = alpha · aᵀa + beta · c} for the lower triangle of the square {@code c}; the upper
     * triangle is left as it was (symmetric rank-k update: half the work of a GEMM).
     */
    void gramLower(double alpha, Matrix a, double beta, Matrix c);

    /**
     * Cholesky factorisation in place: the lower triangle of the square double matrix {@code a}
     * becomes L with {@code a = L·Lᵀ}. Returns false, leaving {@code a} unspecified, when
     * {@code a} is not positive definite.
     */
    boolean choleskyInPlace(Matrix a);

    /**
     * Solves {@code a · x = b} for every row b of {@code rhs} (each row is one right-hand side),
     * given the factor from {@link #choleskyInPlace}; the solutions replace the rows.
     */
    void choleskySolveInPlace(Matrix factor, Matrix rhs);

    /** Eigendecomposition of the symmetric double matrix {@code a} (read from its lower triangle; {@code a} is kept). */
    SymmetricEigen symmetricEigen(Matrix a);

    @Override
    void close();
}
