package org.coar.workbench.fit.linalg;

import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.coar.workbench.WorkbenchException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link LinearAlgebra} on ND4J's CPU backend: GEMMs through {@code Nd4j.gemm}, and the BLAS and
 * LAPACK calls that ND4J 1.0.0-M2.1 lacks or gets wrong (its {@code trsm} rejects valid
 * arguments; its {@code syev} is single-threaded and 8x slower than {@code dsyevd}) straight into
 * the OpenBLAS library that ND4J itself loads.
 *
 * <p>Row-major matrices are handed to column-major LAPACK as their transposes: the row-major
 * lower triangle is the column-major upper triangle, so no copies are made.
 *
 * <p>Verified on the CPU backend only. GPUs have their own implementation,
 * {@code cuda.CudaLinearAlgebra}; with the legacy {@code cuda} Maven profile (ND4J's CUDA 11.6 build,
 * pre-Hopper only, never run) the GEMMs here would run on the GPU through ND4J (host copies are
 * tagged and synchronised around each call) while the LAPACK calls stay on the host's OpenBLAS.
 */
public final class Nd4jLinearAlgebra implements LinearAlgebra {

    private final Set<INDArray> live = Collections.newSetFromMap(new IdentityHashMap<>());

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
        return "ND4J " + nd4jVersion() + " " + Nd4j.getBackend().getClass().getSimpleName() + " ("
                + openblas.OPENBLAS_VERSION.trim() + ", " + Nd4j.factory().blas().getMaxThreads() + " threads)";
    }

    private static String nd4jVersion() {
        Package p = Nd4j.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "1.0.0-M2.1" : v;
    }

    @Override
    public Matrix zeros(Precision precision, int rows, int cols) {
        INDArray array = Nd4j.create(precision == Precision.DOUBLE ? DataType.DOUBLE : DataType.FLOAT, Math.max(rows, 1), Math.max(cols, 1));
        synchronized (live) {
            live.add(array);
        }
        return new Nd4jMatrix(array, array, rows, cols, precision);
    }

    @Override
    public void free(Matrix matrix) {
        Nd4jMatrix m = (Nd4jMatrix) matrix;
        synchronized (live) {
            if (live.remove(m.root)) {
                m.root.close();
            }
        }
    }

    @Override
    public void gemm(double alpha, Matrix a, boolean transposeA, Matrix b, boolean transposeB, double beta, Matrix c) {
        int[] mnk = Shapes.gemm(a, transposeA, b, transposeB, c);
        if (mnk[0] == 0 || mnk[1] == 0) {
            return;
        }
        if (mnk[2] == 0) {
            Shapes.scale(c, beta);
            return;
        }
        INDArray aa = array(a);
        INDArray bb = array(b);
        INDArray cc = array(c);
        // Solvers write matrices through host memory; on a device backend (the 'cuda' profile) ND4J must upload
        // them first and the result must come back. On the CPU backend both calls do nothing.
        AffinityManager affinity = Nd4j.getAffinityManager();
        affinity.tagLocation(aa, AffinityManager.Location.HOST);
        affinity.tagLocation(bb, AffinityManager.Location.HOST);
        affinity.tagLocation(cc, AffinityManager.Location.HOST);
        Nd4j.gemm(aa, bb, cc, transposeA, transposeB, alpha, beta);
        affinity.ensureLocation(cc, AffinityManager.Location.HOST);
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

    @Override
    public boolean choleskyInPlace(Matrix a) {
        Shapes.square(a, "choleskyInPlace");
        int n = a.rows();
        if (n == 0) {
            return true;
        }
        int info = a.precision() == Precision.FLOAT
                ? openblas.LAPACKE_spotrf(openblas.LAPACK_COL_MAJOR, (byte) 'U', n, floats(a), n)
                : openblas.LAPACKE_dpotrf(openblas.LAPACK_COL_MAJOR, (byte) 'U', n, doubles(a), n);
        return info == 0;
    }

    @Override
    public void choleskySolveInPlace(Matrix factor, Matrix rhs) {
        Shapes.rightHandSides(factor, rhs, "choleskySolveInPlace");
        int n = factor.rows();
        if (n == 0 || rhs.rows() == 0) {
            return;
        }
        int info = factor.precision() == Precision.FLOAT
                ? openblas.LAPACKE_spotrs(openblas.LAPACK_COL_MAJOR, (byte) 'U', n, rhs.rows(), floats(factor), n, floats(rhs), n)
                : openblas.LAPACKE_dpotrs(openblas.LAPACK_COL_MAJOR, (byte) 'U', n, rhs.rows(), doubles(factor), n, doubles(rhs), n);
        if (info != 0) {
            throw new IllegalStateException("LAPACKE_?potrs failed with info " + info);
        }
    }

    @Override
    public void solveTriangularInPlace(Matrix factor, boolean transpose, Matrix rhs) {
        Shapes.rightHandSides(factor, rhs, "solveTriangularInPlace");
        int n = factor.rows();
        if (n == 0 || rhs.rows() == 0) {
            return;
        }
        // Rows x of X with L·x = b are X·Lᵀ = B: a right-side solve (Lᵀ·x = b is X·L = B).
        int op = transpose ? openblas.CblasNoTrans : openblas.CblasTrans;
        if (factor.precision() == Precision.FLOAT) {
            openblas.cblas_strsm(openblas.CblasRowMajor, openblas.CblasRight, openblas.CblasLower, op, openblas.CblasNonUnit,
                    rhs.rows(), n, 1f, floats(factor), n, floats(rhs), n);
        } else {
            openblas.cblas_dtrsm(openblas.CblasRowMajor, openblas.CblasRight, openblas.CblasLower, op, openblas.CblasNonUnit,
                    rhs.rows(), n, 1, doubles(factor), n, doubles(rhs), n);
        }
    }

    @Override
    public SymmetricEigen symmetricEigen(Matrix a) {
        Shapes.squareDouble(a, "symmetricEigen");
        int n = a.rows();
        Matrix vectors = zeros(Precision.DOUBLE, n, n);
        vectors.copyFrom(a);
        double[] values = new double[n];
        if (n > 0) {
            DoublePointer w = new DoublePointer(n);
            try {
                int info = openblas.LAPACKE_dsyevd(openblas.LAPACK_COL_MAJOR, (byte) 'V', (byte) 'U', n, doubles(vectors), n, w);
                if (info != 0) {
                    throw new IllegalStateException("LAPACKE_dsyevd failed with info " + info);
                }
                w.get(values);
            } finally {
                w.close();
            }
        }
        // Column-major eigenvectors in columns are, read row-major, eigenvectors in rows.
        return new SymmetricEigen(values, vectors);
    }

    private static INDArray array(Matrix m) {
        return ((Nd4jMatrix) m).view();
    }

    private static FloatPointer floats(Matrix m) {
        return new FloatPointer(((Nd4jMatrix) m).root.data().addressPointer());
    }

    private static DoublePointer doubles(Matrix m) {
        return new DoublePointer(((Nd4jMatrix) m).root.data().addressPointer());
    }

    @Override
    public void close() {
        synchronized (live) {
            live.forEach(INDArray::close);
            live.clear();
        }
    }

    /** A matrix over the first {@code rows} rows of an ND4J array that was allocated {@code cols} wide. */
    private static final class Nd4jMatrix implements Matrix {
        private final INDArray root;
        private final INDArray allocated;
        private final int rows;
        private final int cols;
        private final Precision precision;
        private final MemorySegment segment;

        @SuppressWarnings("restricted")
        Nd4jMatrix(INDArray root, INDArray allocated, int rows, int cols, Precision precision) {
            this.root = root;
            this.allocated = allocated;
            this.rows = rows;
            this.cols = cols;
            this.precision = precision;
            long bytes = (long) rows * cols * precision.bytes();
            // Off-heap memory ND4J owns; reinterpret needs --enable-native-access (the launcher and tests set it).
            this.segment = MemorySegment.ofAddress(root.data().address()).reinterpret(bytes);
        }

        INDArray view() {
            if (rows == allocated.rows() && cols == allocated.columns()) {
                return allocated;
            }
            return allocated.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
        }

        @Override
        public int rows() {
            return rows;
        }

        @Override
        public int cols() {
            return cols;
        }

        @Override
        public Precision precision() {
            return precision;
        }

        @Override
        public MemorySegment segment() {
            return segment;
        }

        @Override
        public Matrix topRows(int count) {
            if (count < 0 || count > rows) {
                throw new IndexOutOfBoundsException("topRows(" + count + ") of " + rows);
            }
            return new Nd4jMatrix(root, allocated, count, cols, precision);
        }
    }
}
