package org.coar.workbench.fit.linalg.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.coar.workbench.fit.linalg.DeviceMemory;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.fit.linalg.Shapes;
import org.coar.workbench.fit.linalg.SymmetricEigen;
import org.coar.workbench.fit.linalg.Triangle;

/**
 * {@link LinearAlgebra} on an NVIDIA GPU through cuBLAS and cuSOLVER ({@link GpuApi}).
 *
 * <p>Every matrix has a device copy and a host copy, each allocated only when first needed, and
 * data moves only when the other side needs it: a matrix written by the GPU stays there until
 * the host reads it through {@link Matrix#segment()}, and one the host wrote is uploaded at the
 * next GPU call that uses it. What is stale is tracked as a prefix of rows, so a block that is
 * only partly filled uploads only its filled rows. The streamed statistics therefore live on the
 * GPU for the whole pass; only the blocks of rows travel, each uploaded (page-locked host memory,
 * a copy stream) while the GPU still works on the previous block.
 *
 * <p>Row-major matrices are handed to column-major cuBLAS/cuSOLVER as their transposes, as
 * {@code Nd4jLinearAlgebra} does for LAPACK: the row-major lower triangle is the column-major upper.
 */
public final class CudaLinearAlgebra implements LinearAlgebra {
    private final GpuApi gpu;
    /** Serialises GPU calls and the buffers' state changes (the fit's reader thread touches blocks' host sides). */
    private final Object lock = new Object();
    private final Set<Buffer> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private long inUse;
    private long peak;

    /** @param gpu the device; closed with this backend */
    public CudaLinearAlgebra(GpuApi gpu) {
        this.gpu = gpu;
    }

    @Override
    public String description() {
        return gpu.description();
    }

    @Override
    public Map<String, String> provenance() {
        return gpu.provenance();
    }

    @Override
    public DeviceMemory memory() {
        synchronized (lock) {
            return gpu.memory();
        }
    }

    @Override
    public boolean deviceResident() {
        return true;
    }

    @Override
    public Matrix zeros(Precision precision, int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("zeros(" + rows + ", " + cols + ")");
        }
        Buffer buffer = new Buffer(precision, rows, cols);
        synchronized (lock) {
            live.add(buffer);
            inUse += buffer.bytes();
            peak = Math.max(peak, inUse);
        }
        return new CudaMatrix(buffer, rows);
    }

    @Override
    public void free(Matrix matrix) {
        Buffer buffer = ((CudaMatrix) matrix).buffer;
        synchronized (lock) {
            if (live.remove(buffer)) {
                inUse -= buffer.bytes();
                buffer.release();
            }
        }
    }

    @Override
    public long bytesInUse() {
        synchronized (lock) {
            return inUse;
        }
    }

    @Override
    public long peakBytes() {
        synchronized (lock) {
            return peak;
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
        synchronized (lock) {
            long da = onDevice(a, true);
            long db = onDevice(b, true);
            long dc = onDevice(c, beta != 0);
            // Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ, with the flags as given.
            gpu.gemm(c.precision(), transposeB, transposeA, mnk[1], mnk[0], mnk[2], alpha, db, b.cols(), da, a.cols(), beta, dc, c.cols());
            written(c);
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
        synchronized (lock) {
            long da = onDevice(a, true);
            long dc = onDevice(c, true); // the other triangle is kept
            // Column-major, a is n × k: a·aᵀ (no transpose) is the row-major aᵀa; its upper triangle the row-major lower.
            gpu.syrk(c.precision(), true, false, n, k, alpha, da, n, beta, dc, n);
            written(c);
        }
    }

    @Override
    public boolean cholesky(Matrix a, Triangle t) {
        Shapes.square(a, "cholesky");
        int n = a.rows();
        if (n == 0) {
            return true;
        }
        synchronized (lock) {
            long da = onDevice(a, true);
            // The row-major lower triangle is the column-major upper one.
            int info = gpu.potrf(a.precision(), t == Triangle.LOWER, n, da, n);
            written(a);
            if (info < 0) {
                throw new IllegalStateException("potrf rejected argument " + (-info));
            }
            return info == 0;
        }
    }

    @Override
    public void choleskySolveInPlace(Matrix factor, Matrix rhs) {
        Shapes.rightHandSides(factor, rhs, "choleskySolveInPlace");
        // a = L·Lᵀ: L·z = b, then Lᵀ·x = z (what potrs does, with cuBLAS's many-right-hand-side TRSM).
        solveTriangularInPlace(factor, false, rhs);
        solveTriangularInPlace(factor, true, rhs);
    }

    /** Solves L·x = b (or Lᵀ·x = b) for every row b of rhs, L the factor's lower triangle (row-major). */
    private void solveTriangularInPlace(Matrix factor, boolean transpose, Matrix rhs) {
        Shapes.rightHandSides(factor, rhs, "solveTriangularInPlace");
        int n = factor.rows();
        if (n == 0 || rhs.rows() == 0) {
            return;
        }
        synchronized (lock) {
            long df = onDevice(factor, true);
            long db = onDevice(rhs, true);
            // Column-major, the factor's memory is U = Lᵀ (upper) and rhs is Xᵀ (n × rows): L·Xᵀ = Bᵀ is Uᵀ·Xᵀ = Bᵀ.
            gpu.trsm(rhs.precision(), true, true, !transpose, n, rhs.rows(), 1, df, n, db, n);
            written(rhs);
        }
    }

    @Override
    public void choleskySolveColumns(Matrix factor, Triangle t, Matrix rhs) {
        Shapes.square(factor, "choleskySolveColumns");
        int q = factor.rows();
        if (rhs.rows() != q || rhs.precision() != factor.precision()) {
            throw new IllegalArgumentException("choleskySolveColumns: rhs must have " + q + " rows of " + factor.precision());
        }
        int k = rhs.cols();
        if (q == 0 || k == 0) {
            return;
        }
        synchronized (lock) {
            long df = onDevice(factor, true);
            long db = onDevice(rhs, true);
            // Column-major the right-hand sides are Bᵀ (k × q), solved from the right: Xᵀ G = Bᵀ. For LOWER the
            // factor's memory is U = Lᵀ (G = Uᵀ U): Y U = Bᵀ, then Xᵀ Uᵀ = Y. For UPPER it is L' = Rᵀ (G = L' L'ᵀ):
            // Y L'ᵀ = Bᵀ, then Xᵀ L' = Y.
            boolean upper = t == Triangle.LOWER;
            gpu.trsm(rhs.precision(), false, upper, !upper, k, q, 1, df, q, db, k);
            gpu.trsm(rhs.precision(), false, upper, upper, k, q, 1, df, q, db, k);
            written(rhs);
        }
    }

    /** cuSOLVER has no condition estimator; the fit then refines float32 solutions once. */
    @Override
    public double reciprocalCondition(Matrix factor, Triangle t, double oneNorm) {
        return Double.NaN;
    }

    @Override
    public SymmetricEigen symmetricEigen(Matrix a) {
        Shapes.squareDouble(a, "symmetricEigen");
        int n = a.rows();
        Matrix vectors = zeros(Precision.DOUBLE, n, n);
        double[] values = new double[n];
        if (n == 0) {
            return new SymmetricEigen(values, vectors);
        }
        synchronized (lock) {
            long da = onDevice(a, true);
            long dv = onDevice(vectors, false);
            gpu.copy(da, dv, (long) n * n * 8);
            long w = gpu.allocate(8L * n);
            try (Arena arena = Arena.ofConfined()) {
                int info = gpu.syevd(true, n, dv, n, w);
                if (info != 0) {
                    throw new IllegalStateException("syevd failed with info " + info);
                }
                MemorySegment host = arena.allocate(8L * n);
                gpu.download(w, host, 8L * n);
                MemorySegment.copy(host, ValueLayout.JAVA_DOUBLE, 0, values, 0, n);
            } finally {
                gpu.free(w);
            }
            written(vectors);
        }
        // Column-major eigenvectors in columns are, read row-major, eigenvectors in rows.
        return new SymmetricEigen(values, vectors);
    }

    @Override
    public void close() {
        synchronized (lock) {
            List<Buffer> all = new ArrayList<>(live);
            live.clear();
            all.forEach(Buffer::release);
            gpu.close();
        }
    }

    /** The device copy of {@code m}, current for the rows that {@code reads} says the call reads. Lock held. */
    private long onDevice(Matrix m, boolean reads) {
        return ((CudaMatrix) m).buffer.toDevice(m.rows(), reads);
    }

    /** The GPU wrote the rows of {@code m}: the host copy of them is stale. Lock held. */
    private static void written(Matrix m) {
        CudaMatrix cm = (CudaMatrix) m;
        cm.buffer.deviceRows = Math.max(cm.buffer.deviceRows, cm.rows);
    }

    /** One allocation: a rows × cols matrix with a host and a device side. */
    private final class Buffer {
        final Precision precision;
        final int rows;
        final int cols;
        final long rowBytes;
        volatile MemorySegment host;
        long device;
        /** Leading rows whose newest data is on the host (the device side is stale there). */
        volatile int hostRows;
        /** Leading rows whose newest data is on the device. Never both non-zero. */
        volatile int deviceRows;

        Buffer(Precision precision, int rows, int cols) {
            this.precision = precision;
            this.rows = rows;
            this.cols = cols;
            this.rowBytes = (long) cols * precision.bytes();
        }

        long bytes() {
            return rowBytes * rows;
        }

        /** The host side, current, for code that may write its first {@code viewRows} rows. */
        MemorySegment toHost(int viewRows) {
            MemorySegment h = host;
            if (h != null && deviceRows == 0 && hostRows >= viewRows) {
                return h; // the common case, without the lock: the host side is current and already marked
            }
            synchronized (lock) {
                if (host == null) {
                    if (!live.contains(this)) {
                        throw new IllegalStateException("matrix used after free");
                    }
                    MemorySegment fresh = gpu.allocateHost(Math.max(bytes(), 1)).reinterpret(bytes());
                    fresh.fill((byte) 0);
                    host = fresh;
                }
                if (deviceRows > 0) {
                    gpu.download(device, host, deviceRows * rowBytes);
                    deviceRows = 0;
                }
                hostRows = Math.max(hostRows, viewRows);
                return host;
            }
        }

        /** The device side, current for what the next call reads. Lock held. */
        long toDevice(int viewRows, boolean reads) {
            if (device == 0) {
                if (!live.contains(this)) {
                    throw new IllegalStateException("matrix used after free");
                }
                device = gpu.allocate(bytes());
                gpu.zero(device, bytes());
            }
            if (hostRows > 0) {
                if (reads || viewRows < hostRows) {
                    gpu.upload(host, device, hostRows * rowBytes);
                }
                hostRows = 0;
            }
            return device;
        }

        /** Lock held. */
        void release() {
            if (device != 0) {
                gpu.free(device);
                device = 0;
            }
            if (host != null) {
                gpu.freeHost(host);
                host = null;
            }
        }
    }

    /** The first {@code rows} rows of a buffer. */
    private static final class CudaMatrix implements Matrix {
        private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);

        private final Buffer buffer;
        private final int rows;

        CudaMatrix(Buffer buffer, int rows) {
            this.buffer = buffer;
            this.rows = rows;
        }

        @Override
        public int rows() {
            return rows;
        }

        @Override
        public int cols() {
            return buffer.cols;
        }

        @Override
        public Precision precision() {
            return buffer.precision;
        }

        @Override
        public MemorySegment segment() {
            long bytes = rows * buffer.rowBytes;
            if (bytes == 0) {
                return EMPTY;
            }
            MemorySegment host = buffer.toHost(rows);
            return rows == buffer.rows ? host : host.asSlice(0, bytes);
        }

        @Override
        public Matrix topRows(int count) {
            if (count < 0 || count > rows) {
                throw new IndexOutOfBoundsException("topRows(" + count + ") of " + rows);
            }
            return new CudaMatrix(buffer, count);
        }
    }
}
