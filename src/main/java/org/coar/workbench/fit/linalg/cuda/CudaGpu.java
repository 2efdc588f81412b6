package org.coar.workbench.fit.linalg.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.coar.workbench.Sizes;
import org.coar.workbench.fit.linalg.DeviceMemory;
import org.coar.workbench.fit.linalg.Precision;

/**
 * One CUDA device through {@link CudaBindings}: a cuBLAS and a cuSOLVER handle on a compute
 * stream, and a second stream for uploads so that the next block of rows travels while the GPU
 * still works on the previous one. Every kernel records an event for the buffers it touched; an
 * upload into a buffer waits for that buffer's event only, not for all work.
 */
final class CudaGpu implements GpuApi {
    /** Host buffers up to this size are page-locked (the streamed blocks); larger ones, moved once or twice, stay pageable. */
    private static final long PINNED_LIMIT = 256L << 20;
    private static final int EVENTS = 32;

    private final CudaBindings cu;
    private final CudaDevices.Gpu info;
    private final Map<String, String> provenance;
    private final MemorySegment computeStream;
    private final MemorySegment copyStream;
    private final MemorySegment blas;
    private final MemorySegment solver;
    private final MemorySegment solverParams;
    private final MemorySegment deviceInfo;
    private final MemorySegment[] events = new MemorySegment[EVENTS];
    private int nextEvent;
    /** Device pointer → the event recorded after the last kernel that used it. */
    private final Map<Long, MemorySegment> lastUse = new HashMap<>();
    /** Host allocations too large to page-lock, by address (callers may hand back a reinterpreted view), each in its own arena. */
    private final Map<Long, Arena> pageable = new HashMap<>();
    private long workspace;
    private long workspaceBytes;
    private boolean closed;

    CudaGpu(CudaBindings cu, CudaDevices.Gpu info, Map<String, String> provenance) {
        this.cu = cu;
        this.info = info;
        this.provenance = provenance;
        device();
        computeStream = out("cudaStreamCreateWithFlags", p -> cu.cuda("cudaStreamCreateWithFlags", cu.cudaStreamCreateWithFlags, p,
                CudaBindings.STREAM_NON_BLOCKING));
        copyStream = out("cudaStreamCreateWithFlags", p -> cu.cuda("cudaStreamCreateWithFlags", cu.cudaStreamCreateWithFlags, p,
                CudaBindings.STREAM_NON_BLOCKING));
        blas = out("cublasCreate", p -> cu.cublas("cublasCreate", cu.cublasCreate, p));
        cu.cublas("cublasSetStream", cu.cublasSetStream, blas, computeStream);
        solver = out("cusolverDnCreate", p -> cu.cusolver("cusolverDnCreate", cu.cusolverDnCreate, p));
        cu.cusolver("cusolverDnSetStream", cu.cusolverDnSetStream, solver, computeStream);
        solverParams = out("cusolverDnCreateParams", p -> cu.cusolver("cusolverDnCreateParams", cu.cusolverDnCreateParams, p));
        for (int i = 0; i < EVENTS; i++) {
            events[i] = out("cudaEventCreateWithFlags", p -> cu.cuda("cudaEventCreateWithFlags", cu.cudaEventCreateWithFlags, p,
                    CudaBindings.EVENT_DISABLE_TIMING));
        }
        deviceInfo = MemorySegment.ofAddress(allocate(4));
    }

    private interface Out {
        void call(MemorySegment pointer);
    }

    /** Calls a function that writes a handle through its first argument; returns the handle. */
    private MemorySegment out(String what, Out call) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            call.call(p);
            return p.get(ADDRESS, 0);
        }
    }

    /** The runtime's current device is per thread; every entry point sets it. */
    private void device() {
        cu.cuda("cudaSetDevice(" + info.ordinal() + ")", cu.cudaSetDevice, info.ordinal());
    }

    @Override
    public String description() {
        return "cuBLAS " + provenance.get("cublas") + " + cuSOLVER " + provenance.get("cusolver") + " on " + info.label()
                + " (CUDA runtime " + provenance.get("cuda_runtime") + ", driver " + provenance.get("driver") + ")";
    }

    @Override
    public Map<String, String> provenance() {
        Map<String, String> p = new LinkedHashMap<>(provenance);
        p.put("linear_algebra", description());
        return p;
    }

    @Override
    public DeviceMemory memory() {
        device();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment free = a.allocate(JAVA_LONG);
            MemorySegment total = a.allocate(JAVA_LONG);
            cu.cuda("cudaMemGetInfo", cu.cudaMemGetInfo, free, total);
            return new DeviceMemory(info.label(), total.get(JAVA_LONG, 0), free.get(JAVA_LONG, 0));
        }
    }

    @Override
    public long allocate(long bytes) {
        device();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(ADDRESS);
            int status = CudaBindings.call(cu.cudaMalloc, p, Math.max(bytes, 1));
            if (status != 0) {
                throw new CudaException("cudaMalloc of " + Sizes.human(bytes) + " on " + info.label() + " failed: " + cu.errorText(status)
                        + "; " + Sizes.human(memory().freeBytes()) + " of " + Sizes.human(info.totalBytes()) + " free. Fit fewer "
                        + "examples at a time (data.target_start_ind / target_end_ind) or use --device cpu", status);
            }
            return p.get(ADDRESS, 0).address();
        }
    }

    @Override
    public void free(long pointer) {
        device();
        lastUse.remove(pointer);
        cu.cuda("cudaFree", cu.cudaFree, MemorySegment.ofAddress(pointer));
    }

    @Override
    public MemorySegment allocateHost(long bytes) {
        if (bytes <= PINNED_LIMIT) {
            device();
            try (Arena a = Arena.ofConfined()) {
                MemorySegment p = a.allocate(ADDRESS);
                if (CudaBindings.call(cu.cudaMallocHost, p, bytes) == 0) {
                    return p.get(ADDRESS, 0).reinterpret(bytes);
                }
            }
        }
        Arena own = Arena.ofShared();
        MemorySegment segment = own.allocate(bytes, 64);
        pageable.put(segment.address(), own);
        return segment;
    }

    @Override
    public void freeHost(MemorySegment host) {
        Arena own = pageable.remove(host.address());
        if (own != null) {
            own.close();
        } else {
            device();
            cu.cuda("cudaFreeHost", cu.cudaFreeHost, host);
        }
    }

    @Override
    public void zero(long pointer, long bytes) {
        device();
        cu.cuda("cudaMemsetAsync", cu.cudaMemsetAsync, MemorySegment.ofAddress(pointer), 0, bytes, computeStream);
        used(pointer);
    }

    @Override
    public void upload(MemorySegment host, long device, long bytes) {
        device();
        MemorySegment event = lastUse.get(device);
        if (event != null) {
            cu.cuda("cudaStreamWaitEvent", cu.cudaStreamWaitEvent, copyStream, event, 0);
        }
        cu.cuda("cudaMemcpyAsync (upload)", cu.cudaMemcpyAsync, MemorySegment.ofAddress(device), host, bytes,
                CudaBindings.HOST_TO_DEVICE, copyStream);
        // Waiting here frees the host buffer for reuse; work queued after this call then sees the data.
        cu.cuda("cudaStreamSynchronize", cu.cudaStreamSynchronize, copyStream);
    }

    @Override
    public void download(long device, MemorySegment host, long bytes) {
        device();
        cu.cuda("cudaMemcpyAsync (download)", cu.cudaMemcpyAsync, host, MemorySegment.ofAddress(device), bytes,
                CudaBindings.DEVICE_TO_HOST, computeStream);
        cu.cuda("cudaStreamSynchronize", cu.cudaStreamSynchronize, computeStream);
    }

    @Override
    public void copy(long from, long to, long bytes) {
        device();
        cu.cuda("cudaMemcpyAsync (device to device)", cu.cudaMemcpyAsync, MemorySegment.ofAddress(to), MemorySegment.ofAddress(from),
                bytes, CudaBindings.DEVICE_TO_DEVICE, computeStream);
        used(from, to);
    }

    @Override
    public void gemm(Precision p, boolean transA, boolean transB, int m, int n, int k, double alpha, long a, int lda, long b, int ldb,
                     double beta, long c, int ldc) {
        device();
        try (Arena s = Arena.ofConfined()) {
            MethodHandle f = p == Precision.FLOAT ? cu.cublasSgemm : cu.cublasDgemm;
            cu.cublas(p == Precision.FLOAT ? "cublasSgemm" : "cublasDgemm", f, blas, op(transA), op(transB), m, n, k, scalar(s, p, alpha),
                    ptr(a), lda, ptr(b), ldb, scalar(s, p, beta), ptr(c), ldc);
        }
        used(a, b, c);
    }

    @Override
    public void syrk(Precision p, boolean upper, boolean trans, int n, int k, double alpha, long a, int lda, double beta, long c, int ldc) {
        device();
        try (Arena s = Arena.ofConfined()) {
            MethodHandle f = p == Precision.FLOAT ? cu.cublasSsyrk : cu.cublasDsyrk;
            cu.cublas(p == Precision.FLOAT ? "cublasSsyrk" : "cublasDsyrk", f, blas, fill(upper), op(trans), n, k, scalar(s, p, alpha),
                    ptr(a), lda, scalar(s, p, beta), ptr(c), ldc);
        }
        used(a, c);
    }

    @Override
    public void trsm(Precision p, boolean left, boolean upper, boolean transA, int m, int n, double alpha, long a, int lda, long b, int ldb) {
        device();
        try (Arena s = Arena.ofConfined()) {
            MethodHandle f = p == Precision.FLOAT ? cu.cublasStrsm : cu.cublasDtrsm;
            cu.cublas(p == Precision.FLOAT ? "cublasStrsm" : "cublasDtrsm", f, blas, left ? CudaBindings.SIDE_LEFT : CudaBindings.SIDE_RIGHT,
                    fill(upper), op(transA), CudaBindings.DIAG_NON_UNIT, m, n, scalar(s, p, alpha), ptr(a), lda, ptr(b), ldb);
        }
        used(a, b);
    }

    @Override
    public int potrf(Precision p, boolean upper, int n, long a, int lda) {
        device();
        int type = p == Precision.FLOAT ? CudaBindings.R_32F : CudaBindings.R_64F;
        try (Arena s = Arena.ofConfined()) {
            MemorySegment deviceBytes = s.allocate(JAVA_LONG);
            MemorySegment hostBytes = s.allocate(JAVA_LONG);
            cu.cusolver("cusolverDnXpotrf_bufferSize", cu.cusolverDnXpotrfBufferSize, solver, solverParams, fill(upper), (long) n, type,
                    ptr(a), (long) lda, type, deviceBytes, hostBytes);
            long work = workspace(deviceBytes.get(JAVA_LONG, 0));
            MemorySegment hostWork = s.allocate(Math.max(1, hostBytes.get(JAVA_LONG, 0)), 64);
            cu.cusolver("cusolverDnXpotrf", cu.cusolverDnXpotrf, solver, solverParams, fill(upper), (long) n, type, ptr(a), (long) lda, type,
                    ptr(work), deviceBytes.get(JAVA_LONG, 0), hostWork, hostBytes.get(JAVA_LONG, 0), deviceInfo);
            used(a);
            return info(s);
        }
    }

    @Override
    public int syevd(boolean upper, int n, long a, int lda, long w) {
        device();
        int type = CudaBindings.R_64F;
        try (Arena s = Arena.ofConfined()) {
            MemorySegment deviceBytes = s.allocate(JAVA_LONG);
            MemorySegment hostBytes = s.allocate(JAVA_LONG);
            cu.cusolver("cusolverDnXsyevd_bufferSize", cu.cusolverDnXsyevdBufferSize, solver, solverParams, CudaBindings.EIG_MODE_VECTOR,
                    fill(upper), (long) n, type, ptr(a), (long) lda, type, ptr(w), type, deviceBytes, hostBytes);
            long work = workspace(deviceBytes.get(JAVA_LONG, 0));
            MemorySegment hostWork = s.allocate(Math.max(1, hostBytes.get(JAVA_LONG, 0)), 64);
            cu.cusolver("cusolverDnXsyevd", cu.cusolverDnXsyevd, solver, solverParams, CudaBindings.EIG_MODE_VECTOR, fill(upper), (long) n,
                    type, ptr(a), (long) lda, type, ptr(w), type, ptr(work), deviceBytes.get(JAVA_LONG, 0), hostWork,
                    hostBytes.get(JAVA_LONG, 0), deviceInfo);
            used(a, w);
            return info(s);
        }
    }

    /** cuSOLVER's info, from the device (this waits for the factorisation). */
    private int info(Arena s) {
        MemorySegment host = s.allocate(JAVA_INT);
        download(deviceInfo.address(), host, 4);
        return host.get(JAVA_INT, 0);
    }

    /** A device workspace of at least {@code bytes}, kept for the next call. */
    private long workspace(long bytes) {
        if (bytes > workspaceBytes) {
            if (workspace != 0) {
                free(workspace);
            }
            workspace = allocate(bytes);
            workspaceBytes = bytes;
        }
        return workspace;
    }

    private void used(long... pointers) {
        MemorySegment event = events[nextEvent];
        nextEvent = (nextEvent + 1) % EVENTS;
        cu.cuda("cudaEventRecord", cu.cudaEventRecord, event, computeStream);
        for (long p : pointers) {
            lastUse.put(p, event);
        }
    }

    private static MemorySegment scalar(Arena s, Precision p, double value) {
        return p == Precision.FLOAT ? s.allocateFrom(JAVA_FLOAT, (float) value) : s.allocateFrom(JAVA_DOUBLE, value);
    }

    private static MemorySegment ptr(long address) {
        return MemorySegment.ofAddress(address);
    }

    private static int op(boolean transpose) {
        return transpose ? CudaBindings.OP_T : CudaBindings.OP_N;
    }

    private static int fill(boolean upper) {
        return upper ? CudaBindings.FILL_UPPER : CudaBindings.FILL_LOWER;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        device();
        CudaBindings.call(cu.cudaStreamSynchronize, computeStream);
        if (workspace != 0) {
            free(workspace);
        }
        free(deviceInfo.address());
        pageable.values().forEach(Arena::close);
        pageable.clear();
        for (MemorySegment e : events) {
            CudaBindings.call(cu.cudaEventDestroy, e);
        }
        CudaBindings.call(cu.cusolverDnDestroyParams, solverParams);
        CudaBindings.call(cu.cusolverDnDestroy, solver);
        CudaBindings.call(cu.cublasDestroy, blas);
        CudaBindings.call(cu.cudaStreamDestroy, copyStream);
        CudaBindings.call(cu.cudaStreamDestroy, computeStream);
    }
}
