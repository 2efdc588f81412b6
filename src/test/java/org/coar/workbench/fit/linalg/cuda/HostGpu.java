package org.coar.workbench.fit.linalg.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.coar.workbench.fit.linalg.DeviceMemory;
import org.coar.workbench.fit.linalg.Precision;

/**
 * A stand-in GPU on the host with the semantics of the cuBLAS/cuSOLVER calls it replaces: the same
 * column-major arguments go to OpenBLAS's column-major BLAS and LAPACK (which cuBLAS and cuSOLVER
 * copy), so everything {@link CudaLinearAlgebra} does above the native calls is tested without a
 * GPU. "Device" memory is separate native memory filled with garbage on allocation (as cudaMalloc
 * leaves it), so a missing upload or zeroing shows; transfers are counted.
 */
public final class HostGpu implements GpuApi {
    private static final byte GARBAGE = (byte) 0x7f; // NaN in float and double

    private final Map<Long, Arena> device = new HashMap<>();
    private final Map<Long, Long> sizes = new HashMap<>();
    private final Map<Long, Arena> host = new HashMap<>();
    private final long capacity;
    private long used;
    public long uploads;
    public long uploadedBytes;
    public long downloads;
    public long downloadedBytes;
    public boolean closed;

    /** @param capacity bytes of "device memory"; an allocation past it fails as cudaMalloc would */
    public HostGpu(long capacity) {
        this.capacity = capacity;
    }

    @Override
    public String description() {
        return "host stand-in GPU (OpenBLAS)";
    }

    @Override
    public Map<String, String> provenance() {
        return Map.of("device", "cuda:0", "linear_algebra", description());
    }

    @Override
    public DeviceMemory memory() {
        return new DeviceMemory("host stand-in GPU", capacity, capacity - used);
    }

    @Override
    public long allocate(long bytes) {
        if (used + bytes > capacity) {
            throw new CudaException("cudaMalloc of " + bytes + " bytes failed: cudaErrorMemoryAllocation (out of memory)", 2);
        }
        Arena arena = Arena.ofShared();
        MemorySegment s = arena.allocate(Math.max(bytes, 1), 256);
        s.fill(GARBAGE);
        device.put(s.address(), arena);
        sizes.put(s.address(), bytes);
        used += bytes;
        return s.address();
    }

    @Override
    public void free(long pointer) {
        Arena arena = device.remove(pointer);
        if (arena == null) {
            throw new IllegalStateException("cudaFree of an address never allocated: " + pointer);
        }
        used -= sizes.remove(pointer);
        arena.close();
    }

    @Override
    public MemorySegment allocateHost(long bytes) {
        Arena arena = Arena.ofShared();
        MemorySegment s = arena.allocate(bytes, 64);
        s.fill(GARBAGE);
        host.put(s.address(), arena);
        return s;
    }

    @Override
    public void freeHost(MemorySegment segment) {
        host.remove(segment.address()).close();
    }

    private MemorySegment deviceSegment(long pointer, long bytes) {
        if (!device.containsKey(pointer) || sizes.get(pointer) < bytes) {
            throw new IllegalStateException("device access outside an allocation: " + pointer + " + " + bytes);
        }
        return MemorySegment.ofAddress(pointer).reinterpret(bytes);
    }

    @Override
    public void zero(long pointer, long bytes) {
        deviceSegment(pointer, bytes).fill((byte) 0);
    }

    @Override
    public void upload(MemorySegment from, long to, long bytes) {
        uploads++;
        uploadedBytes += bytes;
        MemorySegment.copy(from, 0, deviceSegment(to, bytes), 0, bytes);
    }

    @Override
    public void download(long from, MemorySegment to, long bytes) {
        downloads++;
        downloadedBytes += bytes;
        MemorySegment.copy(deviceSegment(from, bytes), 0, to, 0, bytes);
    }

    @Override
    public void copy(long from, long to, long bytes) {
        MemorySegment.copy(deviceSegment(from, bytes), 0, deviceSegment(to, bytes), 0, bytes);
    }

    private FloatPointer floats(long pointer) {
        return new FloatPointer(deviceSegment(pointer, sizes.get(pointer)).asByteBuffer().asFloatBuffer());
    }

    private DoublePointer doubles(long pointer) {
        return new DoublePointer(deviceSegment(pointer, sizes.get(pointer)).asByteBuffer().asDoubleBuffer());
    }

    private static int op(boolean transpose) {
        return transpose ? openblas.CblasTrans : openblas.CblasNoTrans;
    }

    private static int uplo(boolean upper) {
        return upper ? openblas.CblasUpper : openblas.CblasLower;
    }

    @Override
    public void gemm(Precision p, boolean transA, boolean transB, int m, int n, int k, double alpha, long a, int lda, long b, int ldb,
                     double beta, long c, int ldc) {
        if (p == Precision.FLOAT) {
            openblas.cblas_sgemm(openblas.CblasColMajor, op(transA), op(transB), m, n, k, (float) alpha, floats(a), lda, floats(b), ldb,
                    (float) beta, floats(c), ldc);
        } else {
            openblas.cblas_dgemm(openblas.CblasColMajor, op(transA), op(transB), m, n, k, alpha, doubles(a), lda, doubles(b), ldb, beta,
                    doubles(c), ldc);
        }
    }

    @Override
    public void syrk(Precision p, boolean upper, boolean trans, int n, int k, double alpha, long a, int lda, double beta, long c, int ldc) {
        if (p == Precision.FLOAT) {
            openblas.cblas_ssyrk(openblas.CblasColMajor, uplo(upper), op(trans), n, k, (float) alpha, floats(a), lda, (float) beta,
                    floats(c), ldc);
        } else {
            openblas.cblas_dsyrk(openblas.CblasColMajor, uplo(upper), op(trans), n, k, alpha, doubles(a), lda, beta, doubles(c), ldc);
        }
    }

    @Override
    public void trsm(Precision p, boolean left, boolean upper, boolean transA, int m, int n, double alpha, long a, int lda, long b, int ldb) {
        int side = left ? openblas.CblasLeft : openblas.CblasRight;
        if (p == Precision.FLOAT) {
            openblas.cblas_strsm(openblas.CblasColMajor, side, uplo(upper), op(transA), openblas.CblasNonUnit, m, n, (float) alpha,
                    floats(a), lda, floats(b), ldb);
        } else {
            openblas.cblas_dtrsm(openblas.CblasColMajor, side, uplo(upper), op(transA), openblas.CblasNonUnit, m, n, alpha, doubles(a),
                    lda, doubles(b), ldb);
        }
    }

    @Override
    public int potrf(Precision p, boolean upper, int n, long a, int lda) {
        byte u = (byte) (upper ? 'U' : 'L');
        return p == Precision.FLOAT ? openblas.LAPACKE_spotrf(openblas.LAPACK_COL_MAJOR, u, n, floats(a), lda)
                : openblas.LAPACKE_dpotrf(openblas.LAPACK_COL_MAJOR, u, n, doubles(a), lda);
    }

    @Override
    public int syevd(boolean upper, int n, long a, int lda, long w) {
        return openblas.LAPACKE_dsyevd(openblas.LAPACK_COL_MAJOR, (byte) 'V', (byte) (upper ? 'U' : 'L'), n, doubles(a), lda, doubles(w));
    }

    /** Device bytes still allocated. */
    public long deviceBytesInUse() {
        return used;
    }

    @Override
    public void close() {
        closed = true;
    }
}
