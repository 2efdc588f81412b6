package org.coar.workbench.fit.linalg;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.IdentityHashMap;
import java.util.Map;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas;
import org.coar.workbench.WorkbenchException;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link LinearAlgebra} on ND4J's CPU backend: the OpenBLAS that nd4j-native ships, called through
 * its JavaCPP binding (GEMM, SYRK, TRSM, and LAPACK's potrf, pocon, syevd). ND4J's own wrappers are
 * not used for these: its {@code trsm} rejects valid arguments, its {@code syev} is single-threaded
 * and 8× slower than {@code dsyevd}, and its off-heap allocator caps memory at the Java heap size.
 * Matrices are allocated through the FFM API instead, so every byte the fit's memory plan
 * promises is counted here ({@link #bytesInUse}, {@link #peakBytes}).
 *
 * <p>Row-major matrices are handed to column-major LAPACK as their transposes: the row-major
 * lower triangle is the column-major upper triangle, so no copies are made.
 *
 * <p>GPUs have their own implementation, {@code cuda.CudaLinearAlgebra}; the legacy {@code cuda}
 * Maven profile (ND4J's CUDA 11.6 build, pre-Hopper only, never run) swaps ND4J's backend but not
 * these OpenBLAS calls.
 */
public final class Nd4jLinearAlgebra implements LinearAlgebra {
    static {
        // OpenBLAS reads OPENBLAS_CORETYPE once, when it loads: set it (where the CPU needs it) first.
        OpenBlasCores.prepare();
    }

    private final Map<HostMatrix, Arena> live = new IdentityHashMap<>();
    private long inUse;
    private long peak;

    public Nd4jLinearAlgebra() {
        try {
            Nd4j.getBackend();
        } catch (RuntimeException | LinkageError e) {
            throw new WorkbenchException("ND4J's native CPU backend did not load (" + e + "). It needs the "
                    + "nd4j-native linux-x86_64 jars on the class path; build with './mvnw compile' and run through ./coar", e);
        }
    }

    @Override
    public String description() {
        return "ND4J " + nd4jVersion() + " CPU (" + openblas.OPENBLAS_VERSION.trim() + ", core " + core() + ", "
                + Nd4j.factory().blas().getMaxThreads() + " threads)";
    }

    /** The kernels OpenBLAS runs ("Haswell", "SkylakeX", ...) and how they were chosen. */
    public static String core() {
        return OpenBlasCores.loadedCore() + "; " + OpenBlasCores.decision();
    }

    private static String nd4jVersion() {
        Package p = Nd4j.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "1.0.0-M2.1" : v;
    }

    @Override
    public Matrix zeros(Precision precision, int rows, int cols) {
        long bytes = Math.max(1L, (long) rows * cols * precision.bytes());
        Arena arena = Arena.ofShared();
        MemorySegment segment;
        try {
            segment = arena.allocate(bytes, 64); // zeroed
        } catch (OutOfMemoryError e) {
            arena.close();
            throw new WorkbenchException("out of memory allocating a " + rows + " × " + cols + " " + precision + " matrix ("
                    + (bytes >> 20) + " MiB); fit fewer outputs at a time (data.target_start_ind / target_end_ind) or set a "
                    + "smaller --memory so the plan splits the work", e);
        }
        HostMatrix matrix = new HostMatrix(segment.asSlice(0, (long) rows * cols * precision.bytes()), rows, cols, precision, null);
        synchronized (live) {
            live.put(matrix, arena);
            inUse += bytes;
            peak = Math.max(peak, inUse);
        }
        return matrix;
    }

    @Override
    public void free(Matrix matrix) {
        HostMatrix root = ((HostMatrix) matrix).root;
        Arena arena;
        synchronized (live) {
            arena = live.remove(root);
            if (arena != null) {
                inUse -= Math.max(1L, root.size() * root.precision().bytes());
            }
        }
        if (arena != null) {
            arena.close();
        }
    }

    @Override
    public long bytesInUse() {
        synchronized (live) {
            return inUse;
        }
    }

    @Override
    public long peakBytes() {
        synchronized (live) {
            return peak;
        }
    }

    @Override
    public void gemm(double alpha, Matrix a, boolean transposeA, Matrix b, boolean transposeB, double beta, Matrix c) {
        int[] mnk = Shapes.gemm(a, transposeA, b, transposeB, c);
        int m = mnk[0];
        int n = mnk[1];
        int k = mnk[2];
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            Shapes.scale(c, beta);
            return;
        }
        int ta = transposeA ? openblas.CblasTrans : openblas.CblasNoTrans;
        int tb = transposeB ? openblas.CblasTrans : openblas.CblasNoTrans;
        if (a.precision() == Precision.FLOAT) {
            openblas.cblas_sgemm(openblas.CblasRowMajor, ta, tb, m, n, k, (float) alpha, floats(a), Math.max(1, a.cols()),
                    floats(b), Math.max(1, b.cols()), (float) beta, floats(c), Math.max(1, c.cols()));
        } else {
            openblas.cblas_dgemm(openblas.CblasRowMajor, ta, tb, m, n, k, alpha, doubles(a), Math.max(1, a.cols()),
                    doubles(b), Math.max(1, b.cols()), beta, doubles(c), Math.max(1, c.cols()));
        }
    }

    @Override
    public void gramLower(double alpha, Matrix a, double beta, Matrix c) {
        Shapes.gramLower(a, c);
        int n = a.cols();
        int k = a.rows();
        if (n == 0 || k == 0) {
            return;
        }
        if (a.precision() == Precision.FLOAT) {
            openblas.cblas_ssyrk(openblas.CblasRowMajor, openblas.CblasLower, openblas.CblasTrans, n, k, (float) alpha,
                    floats(a), n, (float) beta, floats(c), n);
        } else {
            openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasLower, openblas.CblasTrans, n, k, alpha,
                    doubles(a), n, beta, doubles(c), n);
        }
    }

    /** LAPACK's uplo (column-major) for a row-major triangle: they are each other's transpose. */
    private static String uplo(Triangle t) {
        return t == Triangle.LOWER ? "U" : "L";
    }

    @Override
    public boolean cholesky(Matrix a, Triangle t) {
        Shapes.square(a, "cholesky");
        int n = a.rows();
        if (n == 0) {
            return true;
        }
        // LAPACK's own entry points, not LAPACKE's: LAPACKE first scans the matrix for NaNs with 32-bit indices,
        // which overflow past 46,340² entries (GPT-2's 64,512² Gram crashed there, in LAPACKE_str_nancheck).
        int info;
        try (Arena scratch = Arena.ofConfined()) {
            IntPointer order = ints(scratch, n);
            IntPointer status = ints(scratch, 0);
            if (a.precision() == Precision.FLOAT) {
                openblas.LAPACK_spotrf(uplo(t), order, floats(a), order, status);
            } else {
                openblas.LAPACK_dpotrf(uplo(t), order, doubles(a), order, status);
            }
            info = status.get();
        }
        if (info < 0) {
            throw new IllegalStateException("LAPACK potrf: argument " + (-info) + " invalid");
        }
        return info == 0;
    }

    @Override
    public void choleskySolveInPlace(Matrix factor, Matrix rhs) {
        Shapes.rightHandSides(factor, rhs, "choleskySolveInPlace");
        int n = factor.rows();
        if (n == 0 || rhs.rows() == 0) {
            return;
        }
        int info;
        try (Arena scratch = Arena.ofConfined()) {
            IntPointer order = ints(scratch, n);
            IntPointer columns = ints(scratch, rhs.rows());
            IntPointer status = ints(scratch, 0);
            if (factor.precision() == Precision.FLOAT) {
                openblas.LAPACK_spotrs(uplo(Triangle.LOWER), order, columns, floats(factor), order, floats(rhs), order, status);
            } else {
                openblas.LAPACK_dpotrs(uplo(Triangle.LOWER), order, columns, doubles(factor), order, doubles(rhs), order, status);
            }
            info = status.get();
        }
        if (info != 0) {
            throw new IllegalStateException("LAPACK potrs failed with info " + info);
        }
    }

    @Override
    public void choleskySolveColumns(Matrix factor, Triangle t, Matrix rhs) {
        Shapes.square(factor, "choleskySolveColumns");
        int n = factor.rows();
        if (rhs.rows() != n || rhs.precision() != factor.precision()) {
            throw new IllegalArgumentException("choleskySolveColumns: rhs must have " + n + " rows of " + factor.precision());
        }
        int k = rhs.cols();
        if (n == 0 || k == 0) {
            return;
        }
        // Row-major triangular solves straight through CBLAS (LAPACKE's row-major potrs would copy the factor).
        int uplo = t == Triangle.LOWER ? openblas.CblasLower : openblas.CblasUpper;
        // LOWER: G = L Lᵀ → solve L y = b, then Lᵀ x = y. UPPER: G = Rᵀ R → solve Rᵀ y = b, then R x = y.
        int first = t == Triangle.LOWER ? openblas.CblasNoTrans : openblas.CblasTrans;
        int second = t == Triangle.LOWER ? openblas.CblasTrans : openblas.CblasNoTrans;
        if (factor.precision() == Precision.FLOAT) {
            FloatPointer f = floats(factor);
            FloatPointer b = floats(rhs);
            openblas.cblas_strsm(openblas.CblasRowMajor, openblas.CblasLeft, uplo, first, openblas.CblasNonUnit, n, k, 1f, f, n, b, k);
            openblas.cblas_strsm(openblas.CblasRowMajor, openblas.CblasLeft, uplo, second, openblas.CblasNonUnit, n, k, 1f, f, n, b, k);
        } else {
            DoublePointer f = doubles(factor);
            DoublePointer b = doubles(rhs);
            openblas.cblas_dtrsm(openblas.CblasRowMajor, openblas.CblasLeft, uplo, first, openblas.CblasNonUnit, n, k, 1, f, n, b, k);
            openblas.cblas_dtrsm(openblas.CblasRowMajor, openblas.CblasLeft, uplo, second, openblas.CblasNonUnit, n, k, 1, f, n, b, k);
        }
    }

    @Override
    public double reciprocalCondition(Matrix factor, Triangle t, double oneNorm) {
        Shapes.square(factor, "reciprocalCondition");
        int n = factor.rows();
        if (n == 0) {
            return 1;
        }
        int info;
        double rcond;
        try (Arena scratch = Arena.ofConfined()) {
            IntPointer order = ints(scratch, n);
            IntPointer status = ints(scratch, 0);
            IntPointer iwork = new IntPointer(wrap(scratch.allocate(ValueLayout.JAVA_INT, n)));
            if (factor.precision() == Precision.FLOAT) {
                FloatPointer norm = new FloatPointer(wrap(scratch.allocateFrom(ValueLayout.JAVA_FLOAT, (float) oneNorm)));
                FloatPointer out = new FloatPointer(wrap(scratch.allocate(ValueLayout.JAVA_FLOAT)));
                FloatPointer work = new FloatPointer(wrap(scratch.allocate(ValueLayout.JAVA_FLOAT, 3L * n)));
                openblas.LAPACK_spocon(uplo(t), order, floats(factor), order, norm, out, work, iwork, status);
                rcond = out.get();
            } else {
                DoublePointer norm = new DoublePointer(wrap(scratch.allocateFrom(ValueLayout.JAVA_DOUBLE, oneNorm)));
                DoublePointer out = new DoublePointer(wrap(scratch.allocate(ValueLayout.JAVA_DOUBLE)));
                DoublePointer work = new DoublePointer(wrap(scratch.allocate(ValueLayout.JAVA_DOUBLE, 3L * n)));
                openblas.LAPACK_dpocon(uplo(t), order, doubles(factor), order, norm, out, work, iwork, status);
                rcond = out.get();
            }
            info = status.get();
        }
        if (info != 0) {
            throw new IllegalStateException("LAPACK pocon failed with info " + info);
        }
        return rcond;
    }

    /** One int for LAPACK in {@code scratch}: FFM memory, since JavaCPP refuses its own allocations once the RSS passes its limit. */
    private static IntPointer ints(Arena scratch, int value) {
        return new IntPointer(wrap(scratch.allocateFrom(ValueLayout.JAVA_INT, value)));
    }

    @Override
    public SymmetricEigen symmetricEigen(Matrix a) {
        Shapes.square(a, "symmetricEigen");
        if (a.precision() != Precision.DOUBLE) {
            throw new IllegalArgumentException("symmetricEigen: needs a double matrix");
        }
        int n = a.rows();
        Matrix vectors = zeros(Precision.DOUBLE, n, n);
        vectors.copyFrom(a);
        double[] values = new double[n];
        if (n > 0) {
            try (Arena scratch = Arena.ofConfined()) {
                MemorySegment w = scratch.allocate(ValueLayout.JAVA_DOUBLE, n);
                int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_COL_MAJOR, (byte) 'V', (byte) 'U', n, doubles(vectors), n,
                        new DoublePointer(wrap(w)));
                if (info != 0) {
                    free(vectors);
                    throw new IllegalStateException("LAPACKE_dsyevd failed with info " + info);
                }
                MemorySegment.copy(w, ValueLayout.JAVA_DOUBLE, 0, values, 0, n);
            }
        }
        // Column-major eigenvectors in columns are, read row-major, eigenvectors in rows.
        return new SymmetricEigen(values, vectors);
    }

    /** A JavaCPP pointer at a matrix's first element (JavaCPP's address field is only reachable from a subclass). */
    private static Pointer at(Matrix m) {
        return wrap(m.segment());
    }

    private static Pointer wrap(MemorySegment segment) {
        long start = segment.address(); // not named "address": inside the subclass that name is the field
        return new Pointer() {
            {
                address = start;
            }
        };
    }

    private static FloatPointer floats(Matrix m) {
        return new FloatPointer(at(m));
    }

    private static DoublePointer doubles(Matrix m) {
        return new DoublePointer(at(m));
    }

    @Override
    public void close() {
        synchronized (live) {
            live.values().forEach(Arena::close);
            live.clear();
            inUse = 0;
        }
    }
}
