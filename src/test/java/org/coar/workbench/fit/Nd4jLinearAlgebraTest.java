package org.coar.workbench.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Nd4jLinearAlgebra;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.fit.linalg.SymmetricEigen;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ND4J backend against plain double loops written here. */
class Nd4jLinearAlgebraTest {
    private static LinearAlgebra la;

    @BeforeAll
    static void open() {
        la = new Nd4jLinearAlgebra();
    }

    @AfterAll
    static void close() {
        la.close();
    }

    private static Matrix random(Precision precision, int rows, int cols, Random random) {
        Matrix m = la.zeros(precision, rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m.set(r, c, random.nextGaussian());
            }
        }
        return m;
    }

    private static double op(Matrix m, boolean transpose, int r, int c) {
        return transpose ? m.get(c, r) : m.get(r, c);
    }

    @Test
    void gemmInEveryTranspositionAndOnTopRowViews() {
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
    void gramLowerFillsTheLowerTriangle() {
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
    void choleskySolvesEveryRowAndRefusesIndefiniteMatrices() {
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
    void symmetricEigenReconstructsTheMatrix() {
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
}
