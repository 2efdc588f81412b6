package org.coar.workbench.fit.linalg;

import java.util.Map;

/**
 * The dense linear algebra that fitting needs, and nothing more, so that a second backend is one
 * class: ND4J on the CPU ({@link Nd4jLinearAlgebra}), cuBLAS/cuSOLVER on NVIDIA GPUs
 * ({@code cuda.CudaLinearAlgebra}). Matrices are row-major and host-visible through
 * {@link Matrix#segment()}; a device backend keeps its own copy and moves data only when the
 * other side needs it.
 */
public interface LinearAlgebra extends AutoCloseable {

    /** Backend, library versions and threads, recorded in report.json. */
    String description();

    /** Where the work runs (device, driver, library versions), for report.json's "device" section. */
    default Map<String, String> provenance() {
        return Map.of("device", "cpu", "linear_algebra", description());
    }

    /** Total and free memory of the device this backend computes on (the budget of a memory plan). */
    default DeviceMemory memory() {
        return DeviceMemory.host();
    }

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
     * Cholesky factorisation in place: the lower triangle of the square matrix {@code a} (float or
     * double) becomes L with {@code a = L·Lᵀ}; the upper triangle is left as it was. Returns
     * false, leaving {@code a} unspecified, when {@code a} is not positive definite.
     */
    boolean choleskyInPlace(Matrix a);

    /**
     * Solves {@code a · x = b} for every row b of {@code rhs} (each row is one right-hand side),
     * given the factor from {@link #choleskyInPlace} (same precision); the solutions replace the rows.
     */
    void choleskySolveInPlace(Matrix factor, Matrix rhs);

    /**
     * Solves {@code L · x = b}, or {@code Lᵀ · x = b} when {@code transpose}, for every row b of
     * {@code rhs}, with L the lower triangle of the square {@code factor} (same precision); the
     * solutions replace the rows.
     */
    void solveTriangularInPlace(Matrix factor, boolean transpose, Matrix rhs);

    /** Eigendecomposition of the symmetric double matrix {@code a} (read from its lower triangle; {@code a} is kept). */
    SymmetricEigen symmetricEigen(Matrix a);

    @Override
    void close();
}
