package org.coar.workbench.fit.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link LinearAlgebra} must do, against plain double loops written here; each backend's test extends it. */
public abstract class LinearAlgebraContract {
    protected LinearAlgebra la;

    protected abstract LinearAlgebra open();

    @BeforeEach
    public void openBackend() {
        la = open();
    }

    @AfterEach
    public void closeBackend() {
        la.close();
    }

    protected Matrix random(Precision precision, int rows, int cols, Random random) {
        Matrix m = la.zeros(precision, rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m.set(r, c, random.nextGaussian());
            }
        }
        return m;
    }

    static double op(Matrix m, boolean transpose, int r, int c) {
        return transpose ? m.get(c, r) : m.get(r, c);
    }

    @Test
    public void gemmInEveryTranspositionAndOnTopRowViews() {
        Random random = new Random(1);
        for (Precision precision : Precision.values()) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int m = 7;
                    int k = 5;
                    int n = 6;
                    Matrix a = random(precision, ta ? k + 3 : m + 3, ta ? m : k, random);
                    Matrix b = random(precision, tb ? n : k + 2, tb ? k : n, random);
                    Matrix aView = ta ? a : a.topRows(m);
                    Matrix bView = tb ? b : b.topRows(k);
                    if (ta) {
                        aView = a.topRows(k);
                    }
                    if (!tb) {
                        bView = b.topRows(k);
                    } else {
                        bView = b.topRows(n);
                    }
                    Matrix c = random(precision, m + 2, n, random).topRows(m);
                    double[][] expect = new double[m][n];
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double s = 0;
                            for (int l = 0; l < k; l++) {
                                s += op(aView, ta, i, l) * op(bView, tb, l, j);
                            }
                            expect[i][j] = 2 * s + 0.5 * c.get(i, j);
                        }
                    }
                    la.gemm(2, aView, ta, bView, tb, 0.5, c);
                    double tol = precision == Precision.DOUBLE ? 1e-12 : 1e-4;
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            assertEquals(expect[i][j], c.get(i, j), tol, precision + " ta=" + ta + " tb=" + tb);
                        }
                    }
                }
            }
        }
    }

    @Test
    public void gramLowerFillsTheLowerTriangle() {
        Random random = new Random(2);
        for (Precision precision : Precision.values()) {
            Matrix a = random(precision, 9, 4, random);
            Matrix c = la.zeros(precision, 4, 4);
            la.gramLower(1, a, 0, c);
            la.gramLower(1, a, 1, c);
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = 0;
                    for (int r = 0; r < 9; r++) {
                        s += a.get(r, i) * a.get(r, j);
                    }
                    assertEquals(2 * s, c.get(i, j), 1e-4);
                }
            }
        }
    }

    @Test
    public void choleskySolvesEveryRowAndRefusesIndefiniteMatrices() {
        Random random = new Random(3);
        int n = 6;
        Matrix x = random(Precision.DOUBLE, 10, n, random);
        Matrix a = la.zeros(Precision.DOUBLE, n, n);
        la.gemm(1, x, true, x, false, 0, a);
        Matrix factor = la.zeros(Precision.DOUBLE, n, n);
        factor.copyFrom(a);
        assertTrue(la.choleskyInPlace(factor));
        Matrix rhs = random(Precision.DOUBLE, 3, n, random);
        Matrix solution = la.zeros(Precision.DOUBLE, 3, n);
        solution.copyFrom(rhs);
        la.choleskySolveInPlace(factor, solution);
        for (int r = 0; r < 3; r++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += a.get(i, j) * solution.get(r, j);
                }
                assertEquals(rhs.get(r, i), s, 1e-10);
            }
        }
        Matrix indefinite = la.zeros(Precision.DOUBLE, 2, 2);
        indefinite.set(0, 0, 1);
        indefinite.set(1, 1, -1);
        assertFalse(la.choleskyInPlace(indefinite));
    }

    @Test
    public void symmetricEigenReconstructsTheMatrix() {
        Random random = new Random(4);
        int n = 5;
        Matrix x = random(Precision.DOUBLE, 8, n, random);
        Matrix a = la.zeros(Precision.DOUBLE, n, n);
        la.gemm(1, x, true, x, false, 0, a);
        SymmetricEigen eigen = la.symmetricEigen(a);
        for (int k = 1; k < n; k++) {
            assertTrue(eigen.values()[k] >= eigen.values()[k - 1]);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += eigen.vectors().get(k, i) * eigen.values()[k] * eigen.vectors().get(k, j);
                }
                assertEquals(a.get(i, j), s, 1e-9);
            }
        }
    }

    @Test
    public void floatCholeskySolvesEveryRow() {
        Random random = new Random(5);
        int n = 7;
        Matrix x = random(Precision.FLOAT, 30, n, random);
        Matrix a = la.zeros(Precision.FLOAT, n, n);
        la.gemm(1, x, true, x, false, 0, a);
        Matrix factor = la.zeros(Precision.FLOAT, n, n);
        factor.copyFrom(a);
        assertTrue(la.choleskyInPlace(factor));
        Matrix rhs = random(Precision.FLOAT, 4, n, random);
        Matrix solution = la.zeros(Precision.FLOAT, 4, n);
        solution.copyFrom(rhs);
        la.choleskySolveInPlace(factor, solution);
        for (int r = 0; r < 4; r++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += a.get(i, j) * solution.get(r, j);
                }
                assertEquals(rhs.get(r, i), s, 1e-3, "row " + r + ", element " + i);
            }
        }
        Matrix indefinite = la.zeros(Precision.FLOAT, 2, 2);
        indefinite.set(0, 0, 1);
        indefinite.set(1, 1, -1);
        assertFalse(la.choleskyInPlace(indefinite));
    }

    @Test
    public void choleskyLeavesTheUpperTriangleAndGivesTheFactor() {
        Matrix a = la.zeros(Precision.DOUBLE, 2, 2);
        a.set(0, 0, 4);
        a.set(1, 0, 2);
        a.set(1, 1, 5);
        a.set(0, 1, 99); // not read, not written
        assertTrue(la.choleskyInPlace(a));
        // [[4, 2], [2, 5]] = L·Lᵀ with L = [[2, 0], [1, 2]]
        assertEquals(2, a.get(0, 0), 1e-12);
        assertEquals(1, a.get(1, 0), 1e-12);
        assertEquals(2, a.get(1, 1), 1e-12);
        assertEquals(99, a.get(0, 1), 0);
    }

    /** An SPD n × n matrix (diagonally dominant), as rows. */
    private static double[][] spd(Random random, int n) {
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                a[i][j] = a[j][i] = random.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) {
            a[i][i] = n + 2 + random.nextDouble();
        }
        return a;
    }

    @Test
    public void eitherTriangleFactorsAndSolvesColumnsLeavingTheOtherAlone() {
        Random random = new Random(6);
        int n = 7;
        int k = 5;
        for (Precision precision : Precision.values()) {
            for (Triangle t : Triangle.values()) {
                double[][] a = spd(random, n);
                Matrix m = la.zeros(precision, n, n);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        boolean mine = t == Triangle.LOWER ? j <= i : j >= i;
                        m.set(i, j, mine ? a[i][j] : 99);
                    }
                }
                assertTrue(la.cholesky(m, t));
                Matrix rhs = random(precision, n, k, random);
                Matrix x = la.zeros(precision, n, k);
                x.copyFrom(rhs);
                la.choleskySolveColumns(m, t, x);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        boolean other = t == Triangle.LOWER ? j > i : j < i;
                        if (other) {
                            assertEquals(99, m.get(i, j), 0, "the other triangle is untouched");
                        }
                    }
                    for (int c = 0; c < k; c++) {
                        double s = 0;
                        for (int j = 0; j < n; j++) {
                            s += a[i][j] * x.get(j, c);
                        }
                        assertEquals(rhs.get(i, c), s, precision == Precision.DOUBLE ? 1e-10 : 1e-4, precision + " " + t);
                    }
                }
            }
        }
    }

    @Test
    public void conditionEstimateIsNearTheTrueOneWhereTheBackendHasOne() {
        Random random = new Random(7);
        int n = 6;
        double[][] a = spd(random, n);
        a[0][0] = 1e-3; // ill-conditioned enough to see
        Matrix m = la.zeros(Precision.DOUBLE, n, n);
        double norm = 0;
        for (int j = 0; j < n; j++) {
            double col = 0;
            for (int i = 0; i < n; i++) {
                m.set(i, j, a[i][j]);
                col += Math.abs(a[i][j]);
            }
            norm = Math.max(norm, col);
        }
        Matrix inverse = la.zeros(Precision.DOUBLE, n, n);
        for (int i = 0; i < n; i++) {
            inverse.set(i, i, 1);
        }
        Matrix f = la.zeros(Precision.DOUBLE, n, n);
        f.copyFrom(m);
        if (!la.cholesky(f, Triangle.LOWER)) {
            return; // the perturbed matrix is not SPD for this seed: nothing to estimate
        }
        double rcond = la.reciprocalCondition(f, Triangle.LOWER, norm);
        org.junit.jupiter.api.Assumptions.assumeFalse(Double.isNaN(rcond), "this backend has no condition estimator");
        la.choleskySolveColumns(f, Triangle.LOWER, inverse);
        double inverseNorm = 0;
        for (int j = 0; j < n; j++) {
            double col = 0;
            for (int i = 0; i < n; i++) {
                col += Math.abs(inverse.get(i, j));
            }
            inverseNorm = Math.max(inverseNorm, col);
        }
        double truth = 1 / (norm * inverseNorm);
        assertTrue(rcond > truth / 3 && rcond < truth * 3, "estimate " + rcond + " vs " + truth);
    }

    @Test
    public void memoryIsKnown() {
        DeviceMemory memory = la.memory();
        assertTrue(memory.totalBytes() > 0, memory.toString());
        assertTrue(memory.freeBytes() >= 0 && memory.freeBytes() <= memory.totalBytes(), memory.toString());
    }
}
