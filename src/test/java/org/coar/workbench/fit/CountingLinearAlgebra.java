package org.coar.workbench.fit;

import java.util.concurrent.atomic.AtomicInteger;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Nd4jLinearAlgebra;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.fit.linalg.SymmetricEigen;
import org.coar.workbench.fit.linalg.Triangle;

/** The CPU backend, counting the matrices it is asked for (tests of when a fit allocates). */
final class CountingLinearAlgebra implements LinearAlgebra {
    private final LinearAlgebra inner = new Nd4jLinearAlgebra();
    private final AtomicInteger allocations;

    CountingLinearAlgebra(AtomicInteger allocations) {
        this.allocations = allocations;
    }

    @Override
    public String description() {
        return inner.description();
    }

    @Override
    public Matrix zeros(Precision precision, int rows, int cols) {
        allocations.incrementAndGet();
        return inner.zeros(precision, rows, cols);
    }

    @Override
    public void free(Matrix matrix) {
        inner.free(matrix);
    }

    @Override
    public long bytesInUse() {
        return inner.bytesInUse();
    }

    @Override
    public long peakBytes() {
        return inner.peakBytes();
    }

    @Override
    public void gemm(double alpha, Matrix a, boolean transposeA, Matrix b, boolean transposeB, double beta, Matrix c) {
        inner.gemm(alpha, a, transposeA, b, transposeB, beta, c);
    }

    @Override
    public void gramLower(double alpha, Matrix a, double beta, Matrix c) {
        inner.gramLower(alpha, a, beta, c);
    }

    @Override
    public boolean cholesky(Matrix a, Triangle t) {
        return inner.cholesky(a, t);
    }

    @Override
    public void choleskySolveInPlace(Matrix factor, Matrix rhs) {
        inner.choleskySolveInPlace(factor, rhs);
    }

    @Override
    public void choleskySolveColumns(Matrix factor, Triangle t, Matrix rhs) {
        inner.choleskySolveColumns(factor, t, rhs);
    }

    @Override
    public double reciprocalCondition(Matrix factor, Triangle t, double oneNorm) {
        return inner.reciprocalCondition(factor, t, oneNorm);
    }

    @Override
    public SymmetricEigen symmetricEigen(Matrix a) {
        return inner.symmetricEigen(a);
    }

    @Override
    public void close() {
        inner.close();
    }
}
