package org.coar.workbench.fit.linalg;

import java.util.Map;

/**
 * The dense linear algebra that fitting needs, and nothing more, so that a second backend is one
 * class: ND4J on the CPU ({@link Nd4jLinearAlgebra}), cuBLAS/cuSOLVER on NVIDIA GPUs
 * ({@code cuda.CudaLinearAlgebra}). Matrices are row-major and host-visible through
 * {@link Matrix#segment()}; a device backend keeps its own copy and moves data only when the
 * other side needs it, so callers take the segment again after any call that used the matrix.
 * Every byte a backend allocates for matrices is counted, so the fit's memory plan can be checked.
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

    /** True when the matrices live in a device's own memory (a GPU), whose size then bounds the plan too. */
    default boolean deviceResident() {
        return false;
    }

    /** A zeroed {@code rows × cols} matrix; freed by {@link #close()} or {@link #free(Matrix)}. */
    Matrix zeros(Precision precision, int rows, int cols);

    /** Frees a matrix made by {@link #zeros} before the backend closes. */
    void free(Matrix matrix);

    /** Bytes held by live matrices now. */
    long bytesInUse();

    /** The most bytes live matrices ever held at once. */
    long peakBytes();

    /** {@code c = alpha · op(a) · op(b) + beta · c}, where op transposes when asked. All three share a precision. */
    void gemm(double alpha, Matrix a, boolean transposeA, Matrix b, boolean transposeB, double beta, Matrix c);

    /**
     * {@code c = alpha · aᵀa + beta · c} for the lower triangle of the square {@code c}; the upper
     * triangle is left as it was (symmetric rank-k update: half the work of a GEMM).
     */
    void gramLower(double alpha, Matrix a, double beta, Matrix c);

    /**
     * Cholesky factorisation in place of the symmetric matrix held in triangle {@code t} of the
     * square {@code a} (float or double; the other strict triangle is neither read nor written).
     * Returns false, leaving that triangle unspecified, when the matrix is not positive definite.
     */
    boolean cholesky(Matrix a, Triangle t);

    /** {@link #cholesky} of the lower triangle. */
    default boolean choleskyInPlace(Matrix a) {
        return cholesky(a, Triangle.LOWER);
    }

    /**
     * Solves {@code G · x = b} for every row b of {@code rhs} (each row is one right-hand side),
     * given the lower factor from {@link #choleskyInPlace} (same precision); the solutions replace the rows.
     */
    void choleskySolveInPlace(Matrix factor, Matrix rhs);

    /**
     * Solves {@code G · X = B} for the {@code factor.rows() × k} matrix {@code rhs} (each column is
     * one right-hand side), given the factor from {@link #cholesky}{@code (factor, t)}; X replaces B.
     * Same precision for both.
     */
    void choleskySolveColumns(Matrix factor, Triangle t, Matrix rhs);

    /**
     * Estimate of 1 / κ₁(G) from the factor of {@link #cholesky}{@code (factor, t)} and the 1-norm of
     * G before factorisation (LAPACK's pocon), e.g. to decide whether float32 needs refinement;
     * NaN where the backend has no estimator (the fit then refines float32 solutions once).
     */
    double reciprocalCondition(Matrix factor, Triangle t, double oneNorm);

    /** Eigendecomposition of the symmetric double matrix {@code a} (read from its lower triangle; {@code a} is kept). */
    SymmetricEigen symmetricEigen(Matrix a);

    @Override
    void close();
}
