package org.coar.workbench.fit.linalg.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hand-written FFM downcalls into the CUDA runtime, cuBLAS and cuSOLVER: only the functions the
 * fit uses, with the C signatures of CUDA 11.1 to 13 (the {@code _v2} cuBLAS entry points and
 * cuSOLVER's 64-bit generic API, present in all of them). The libraries stay loaded for the
 * life of the process.
 */
final class CudaBindings {
    // cudaMemcpyKind, stream and event flags, device attributes (driver_types.h)
    static final int HOST_TO_DEVICE = 1;
    static final int DEVICE_TO_HOST = 2;
    static final int DEVICE_TO_DEVICE = 3;
    static final int STREAM_NON_BLOCKING = 1;
    static final int EVENT_DISABLE_TIMING = 2;
    static final int ATTR_COMPUTE_MAJOR = 75;
    static final int ATTR_COMPUTE_MINOR = 76;
    static final int ATTR_MULTIPROCESSORS = 16;
    static final int ERROR_INSUFFICIENT_DRIVER = 35;
    static final int ERROR_NO_DEVICE = 100;
    // cudaDataType, cuBLAS and cuSOLVER enums
    static final int R_32F = 0;
    static final int R_64F = 1;
    static final int FILL_LOWER = 0;
    static final int FILL_UPPER = 1;
    static final int OP_N = 0;
    static final int OP_T = 1;
    static final int SIDE_LEFT = 0;
    static final int SIDE_RIGHT = 1;
    static final int DIAG_NON_UNIT = 0;
    static final int EIG_MODE_VECTOR = 1;
    static final int MAJOR_VERSION = 0;
    static final int MINOR_VERSION = 1;
    static final int PATCH_LEVEL = 2;

    private static final Map<Integer, String> CUBLAS_STATUS = Map.of(0, "CUBLAS_STATUS_SUCCESS", 1, "CUBLAS_STATUS_NOT_INITIALIZED",
            3, "CUBLAS_STATUS_ALLOC_FAILED", 7, "CUBLAS_STATUS_INVALID_VALUE", 8, "CUBLAS_STATUS_ARCH_MISMATCH",
            11, "CUBLAS_STATUS_MAPPING_ERROR", 13, "CUBLAS_STATUS_EXECUTION_FAILED", 14, "CUBLAS_STATUS_INTERNAL_ERROR",
            15, "CUBLAS_STATUS_NOT_SUPPORTED", 16, "CUBLAS_STATUS_LICENSE_ERROR");
    private static final Map<Integer, String> CUSOLVER_STATUS = Map.of(0, "CUSOLVER_STATUS_SUCCESS", 1,
            "CUSOLVER_STATUS_NOT_INITIALIZED", 2, "CUSOLVER_STATUS_ALLOC_FAILED", 3, "CUSOLVER_STATUS_INVALID_VALUE", 4,
            "CUSOLVER_STATUS_ARCH_MISMATCH", 5, "CUSOLVER_STATUS_MAPPING_ERROR", 6, "CUSOLVER_STATUS_EXECUTION_FAILED", 7,
            "CUSOLVER_STATUS_INTERNAL_ERROR", 8, "CUSOLVER_STATUS_MATRIX_TYPE_NOT_SUPPORTED", 9, "CUSOLVER_STATUS_NOT_SUPPORTED");

    final List<Path> loaded;

    final MethodHandle cudaGetDeviceCount;
    final MethodHandle cudaRuntimeGetVersion;
    final MethodHandle cudaDriverGetVersion;
    final MethodHandle cudaGetErrorName;
    final MethodHandle cudaGetErrorString;
    final MethodHandle cudaSetDevice;
    final MethodHandle cudaDeviceGetAttribute;
    final MethodHandle cudaGetDeviceProperties;
    final MethodHandle cudaMemGetInfo;
    final MethodHandle cudaMalloc;
    final MethodHandle cudaFree;
    final MethodHandle cudaMallocHost;
    final MethodHandle cudaFreeHost;
    final MethodHandle cudaMemcpyAsync;
    final MethodHandle cudaMemsetAsync;
    final MethodHandle cudaStreamCreateWithFlags;
    final MethodHandle cudaStreamDestroy;
    final MethodHandle cudaStreamSynchronize;
    final MethodHandle cudaStreamWaitEvent;
    final MethodHandle cudaEventCreateWithFlags;
    final MethodHandle cudaEventRecord;
    final MethodHandle cudaEventDestroy;

    final MethodHandle cublasCreate;
    final MethodHandle cublasDestroy;
    final MethodHandle cublasSetStream;
    final MethodHandle cublasGetProperty;
    final MethodHandle cublasSgemm;
    final MethodHandle cublasDgemm;
    final MethodHandle cublasSsyrk;
    final MethodHandle cublasDsyrk;
    final MethodHandle cublasStrsm;
    final MethodHandle cublasDtrsm;

    final MethodHandle cusolverGetProperty;
    final MethodHandle cusolverDnCreate;
    final MethodHandle cusolverDnDestroy;
    final MethodHandle cusolverDnSetStream;
    final MethodHandle cusolverDnCreateParams;
    final MethodHandle cusolverDnDestroyParams;
    final MethodHandle cusolverDnXpotrfBufferSize;
    final MethodHandle cusolverDnXpotrf;
    final MethodHandle cusolverDnXsyevdBufferSize;
    final MethodHandle cusolverDnXsyevd;

    private final Linker linker = Linker.nativeLinker();
    private final SymbolLookup symbols;

    /**
     * Loads the libraries in {@code loadOrder} (each after those it links against, so that a
     * library in another folder, as in pip's CUDA 12 layout, is already there when one needs it)
     * and binds the functions.
     *
     * @throws CudaUnavailableException naming the library that did not load or the function it lacks
     */
    CudaBindings(List<Path> loadOrder) {
        List<Path> done = new ArrayList<>();
        SymbolLookup all = null;
        for (Path library : loadOrder) {
            SymbolLookup lookup;
            try {
                lookup = SymbolLookup.libraryLookup(library, Arena.global());
            } catch (IllegalArgumentException | IllegalCallerException e) {
                throw new CudaUnavailableException(library + " did not load (" + e.getMessage() + ")"
                        + (e instanceof IllegalCallerException ? "; run java with --enable-native-access=ALL-UNNAMED" : "")
                        + ". A library it needs may be missing or for another CUDA version: name a folder with a complete set (--cuda-libs)", e);
            }
            done.add(library);
            all = all == null ? lookup : all.or(lookup);
        }
        this.loaded = List.copyOf(done);
        this.symbols = all;

        cudaGetDeviceCount = bind("cudaGetDeviceCount", JAVA_INT, ADDRESS);
        cudaRuntimeGetVersion = bind("cudaRuntimeGetVersion", JAVA_INT, ADDRESS);
        cudaDriverGetVersion = bind("cudaDriverGetVersion", JAVA_INT, ADDRESS);
        cudaGetErrorName = bind("cudaGetErrorName", ADDRESS, JAVA_INT);
        cudaGetErrorString = bind("cudaGetErrorString", ADDRESS, JAVA_INT);
        cudaSetDevice = bind("cudaSetDevice", JAVA_INT, JAVA_INT);
        cudaDeviceGetAttribute = bind("cudaDeviceGetAttribute", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
        // CUDA 12 exports the current struct as _v2 beside the old one; CUDA 11 and 13 have one name. The name is its first field in all.
        cudaGetDeviceProperties = symbols.find("cudaGetDeviceProperties_v2").isPresent()
                ? bind("cudaGetDeviceProperties_v2", JAVA_INT, ADDRESS, JAVA_INT) : bind("cudaGetDeviceProperties", JAVA_INT, ADDRESS, JAVA_INT);
        cudaMemGetInfo = bind("cudaMemGetInfo", JAVA_INT, ADDRESS, ADDRESS);
        cudaMalloc = bind("cudaMalloc", JAVA_INT, ADDRESS, JAVA_LONG);
        cudaFree = bind("cudaFree", JAVA_INT, ADDRESS);
        cudaMallocHost = bind("cudaMallocHost", JAVA_INT, ADDRESS, JAVA_LONG);
        cudaFreeHost = bind("cudaFreeHost", JAVA_INT, ADDRESS);
        cudaMemcpyAsync = bind("cudaMemcpyAsync", JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS);
        cudaMemsetAsync = bind("cudaMemsetAsync", JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS);
        cudaStreamCreateWithFlags = bind("cudaStreamCreateWithFlags", JAVA_INT, ADDRESS, JAVA_INT);
        cudaStreamDestroy = bind("cudaStreamDestroy", JAVA_INT, ADDRESS);
        cudaStreamSynchronize = bind("cudaStreamSynchronize", JAVA_INT, ADDRESS);
        cudaStreamWaitEvent = bind("cudaStreamWaitEvent", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
        cudaEventCreateWithFlags = bind("cudaEventCreateWithFlags", JAVA_INT, ADDRESS, JAVA_INT);
        cudaEventRecord = bind("cudaEventRecord", JAVA_INT, ADDRESS, ADDRESS);
        cudaEventDestroy = bind("cudaEventDestroy", JAVA_INT, ADDRESS);

        cublasCreate = bind("cublasCreate_v2", JAVA_INT, ADDRESS);
        cublasDestroy = bind("cublasDestroy_v2", JAVA_INT, ADDRESS);
        cublasSetStream = bind("cublasSetStream_v2", JAVA_INT, ADDRESS, ADDRESS);
        cublasGetProperty = bind("cublasGetProperty", JAVA_INT, JAVA_INT, ADDRESS);
        // (handle, transa, transb, m, n, k, *alpha, A, lda, B, ldb, *beta, C, ldc)
        MemoryLayout[] gemm = {ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS,
            JAVA_INT, ADDRESS, ADDRESS, JAVA_INT};
        cublasSgemm = bind("cublasSgemm_v2", JAVA_INT, gemm);
        cublasDgemm = bind("cublasDgemm_v2", JAVA_INT, gemm);
        // (handle, uplo, trans, n, k, *alpha, A, lda, *beta, C, ldc)
        MemoryLayout[] syrk = {ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT};
        cublasSsyrk = bind("cublasSsyrk_v2", JAVA_INT, syrk);
        cublasDsyrk = bind("cublasDsyrk_v2", JAVA_INT, syrk);
        // (handle, side, uplo, trans, diag, m, n, *alpha, A, lda, B, ldb)
        MemoryLayout[] trsm = {ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT,
            ADDRESS, JAVA_INT};
        cublasStrsm = bind("cublasStrsm_v2", JAVA_INT, trsm);
        cublasDtrsm = bind("cublasDtrsm_v2", JAVA_INT, trsm);

        cusolverGetProperty = bind("cusolverGetProperty", JAVA_INT, JAVA_INT, ADDRESS);
        cusolverDnCreate = bind("cusolverDnCreate", JAVA_INT, ADDRESS);
        cusolverDnDestroy = bind("cusolverDnDestroy", JAVA_INT, ADDRESS);
        cusolverDnSetStream = bind("cusolverDnSetStream", JAVA_INT, ADDRESS, ADDRESS);
        cusolverDnCreateParams = bind("cusolverDnCreateParams", JAVA_INT, ADDRESS);
        cusolverDnDestroyParams = bind("cusolverDnDestroyParams", JAVA_INT, ADDRESS);
        // (handle, params, uplo, int64 n, dataTypeA, A, int64 lda, computeType, size_t* device bytes, size_t* host bytes)
        cusolverDnXpotrfBufferSize = bind("cusolverDnXpotrf_bufferSize", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT,
                ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
        // (..., computeType, bufferOnDevice, device bytes, bufferOnHost, host bytes, int* info)
        cusolverDnXpotrf = bind("cusolverDnXpotrf", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG,
                JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS);
        // (handle, params, jobz, uplo, int64 n, dataTypeA, A, int64 lda, dataTypeW, W, computeType, size_t*, size_t*)
        cusolverDnXsyevdBufferSize = bind("cusolverDnXsyevd_bufferSize", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG,
                JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        cusolverDnXsyevd = bind("cusolverDnXsyevd", JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS,
                JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS);
    }

    private MethodHandle bind(String name, MemoryLayout result, MemoryLayout... arguments) {
        MemorySegment symbol = symbols.find(name).orElseThrow(() -> new CudaUnavailableException(
                "none of " + loaded + " has the function " + name + "; these libraries are older than CUDA 11.1 or incomplete"));
        return linker.downcallHandle(symbol, FunctionDescriptor.of(result, arguments));
    }

    /** Calls a function that returns a status; returns it. */
    static int call(MethodHandle function, Object... arguments) {
        try {
            return (int) function.invokeWithArguments(arguments);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native call failed", t);
        }
    }

    /** Calls a CUDA runtime function; a non-zero status is an exception naming it. */
    void cuda(String what, MethodHandle function, Object... arguments) {
        int status = call(function, arguments);
        if (status != 0) {
            throw new CudaException(what + " failed: " + errorText(status), status);
        }
    }

    void cublas(String what, MethodHandle function, Object... arguments) {
        int status = call(function, arguments);
        if (status != 0) {
            throw new CudaException(what + " failed: " + CUBLAS_STATUS.getOrDefault(status, "cuBLAS status " + status), status);
        }
    }

    void cusolver(String what, MethodHandle function, Object... arguments) {
        int status = call(function, arguments);
        if (status != 0) {
            throw new CudaException(what + " failed: " + CUSOLVER_STATUS.getOrDefault(status, "cuSOLVER status " + status), status);
        }
    }

    /** "cudaErrorNoDevice (no CUDA-capable device is detected)". */
    String errorText(int status) {
        return cString(cudaGetErrorName, status) + " (" + cString(cudaGetErrorString, status) + ")";
    }

    private static String cString(MethodHandle function, int status) {
        try {
            MemorySegment s = (MemorySegment) function.invokeWithArguments(status);
            return s.equals(MemorySegment.NULL) ? "error " + status : s.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            return "error " + status;
        }
    }

    /** An int the function writes through its first argument (e.g. cudaGetDeviceCount). */
    int intOut(String what, MethodHandle function) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            cuda(what, function, out);
            return out.get(JAVA_INT, 0);
        }
    }

    /** "13.1.1" from a library's getProperty (MAJOR, MINOR, PATCH). */
    static String libraryVersion(MethodHandle getProperty) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_INT);
            StringBuilder v = new StringBuilder();
            for (int property : new int[] {MAJOR_VERSION, MINOR_VERSION, PATCH_LEVEL}) {
                if (call(getProperty, property, out) != 0) {
                    return "unknown";
                }
                v.append(v.isEmpty() ? "" : ".").append(out.get(JAVA_INT, 0));
            }
            return v.toString();
        }
    }

    /** CUDA's encoding 1000·major + 10·minor as "major.minor". */
    static String cudaVersion(int encoded) {
        return encoded <= 0 ? "none" : encoded / 1000 + "." + encoded % 1000 / 10;
    }
}
