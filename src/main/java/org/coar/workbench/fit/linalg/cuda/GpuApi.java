package org.coar.workbench.fit.linalg.cuda;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import org.coar.workbench.fit.linalg.DeviceMemory;
import org.coar.workbench.fit.linalg.Precision;

/**
 * The few device operations {@link CudaLinearAlgebra} needs, with the semantics of the cuBLAS and
 * cuSOLVER C APIs: column-major matrices, leading dimensions, device pointers as addresses.
 * {@link CudaGpu} is the real one; a host implementation with the same semantics tests
 * everything above it on machines without a GPU. Calls come from one thread at a time.
 */
public interface GpuApi extends AutoCloseable {

    /** The device and library versions, one line. */
    String description();

    /** Device, driver and library versions for report.json. */
    Map<String, String> provenance();

    DeviceMemory memory();

    /** Device memory of {@code bytes} (uninitialised); freed by {@link #free}. */
    long allocate(long bytes);

    void free(long pointer);

    /** Host memory the device copies to and from quickly (page-locked where it pays), uninitialised. */
    MemorySegment allocateHost(long bytes);

    void freeHost(MemorySegment host);

    /** Sets {@code bytes} of device memory to zero. */
    void zero(long pointer, long bytes);

    /** Host to device; returns once {@code host} may be reused. Work queued earlier that reads or writes {@code device} comes first. */
    void upload(MemorySegment host, long device, long bytes);

    /** Device to host, after all work queued earlier; returns once the data is in {@code host}. */
    void download(long device, MemorySegment host, long bytes);

    /** Device to device, in order with the other work. */
    void copy(long from, long to, long bytes);

    /** {@code C = alpha·op(A)·op(B) + beta·C} (xGEMM). */
    void gemm(Precision p, boolean transA, boolean transB, int m, int n, int k, double alpha, long a, int lda, long b, int ldb,
              double beta, long c, int ldc);

    /** {@code C = alpha·op(A)·op(A)ᵀ + beta·C} on one triangle (xSYRK); trans: {@code AᵀA}. */
    void syrk(Precision p, boolean upper, boolean trans, int n, int k, double alpha, long a, int lda, double beta, long c, int ldc);

    /** Solves {@code op(A)·X = alpha·B} (left) or {@code X·op(A) = alpha·B} in place of B, A triangular (xTRSM). */
    void trsm(Precision p, boolean left, boolean upper, boolean transA, int m, int n, double alpha, long a, int lda, long b, int ldb);

    /** Cholesky factorisation of one triangle (xPOTRF); returns LAPACK's info: 0, or i > 0 when the leading minor i is not positive. */
    int potrf(Precision p, boolean upper, int n, long a, int lda);

    /** Eigenvalues (ascending, into the device array {@code w}) and eigenvectors (into A's columns) of a double symmetric matrix (DSYEVD); returns info. */
    int syevd(boolean upper, int n, long a, int lda, long w);

    @Override
    void close();
}
