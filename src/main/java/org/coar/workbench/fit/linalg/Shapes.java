package org.coar.workbench.fit.linalg;

/** The argument checks every {@link LinearAlgebra} makes before it calls into native code. */
public final class Shapes {
    private Shapes() {
    }

    /** Checks {@code c = op(a)·op(b)} and returns {m, n, k}. */
    public static int[] gemm(Matrix a, boolean transposeA, Matrix b, boolean transposeB, Matrix c) {
        int m = transposeA ? a.cols() : a.rows();
        int k = transposeA ? a.rows() : a.cols();
        int kb = transposeB ? b.cols() : b.rows();
        int n = transposeB ? b.rows() : b.cols();
        if (k != kb || c.rows() != m || c.cols() != n || a.precision() != b.precision() || a.precision() != c.precision()) {
            throw new IllegalArgumentException("gemm shapes: op(a) " + m + "x" + k + ", op(b) " + kb + "x" + n + ", c "
                    + c.rows() + "x" + c.cols());
        }
        return new int[] {m, n, k};
    }

    public static void gramLower(Matrix a, Matrix c) {
        if (c.rows() != a.cols() || c.cols() != a.cols() || a.precision() != c.precision()) {
            throw new IllegalArgumentException("gramLower: a is " + a.rows() + "x" + a.cols() + ", c is " + c.rows() + "x" + c.cols());
        }
    }

    public static void square(Matrix a, String op) {
        if (a.rows() != a.cols()) {
            throw new IllegalArgumentException(op + ": needs a square matrix, got " + a.rows() + "x" + a.cols());
        }
    }

    public static void squareDouble(Matrix a, String op) {
        if (a.rows() != a.cols() || a.precision() != Precision.DOUBLE) {
            throw new IllegalArgumentException(op + ": needs a square double matrix, got " + a.rows() + "x" + a.cols() + " " + a.precision());
        }
    }

    /** {@code rhs} holds right-hand sides as rows for the square {@code factor}, in its precision. */
    public static void rightHandSides(Matrix factor, Matrix rhs, String op) {
        square(factor, op);
        if (rhs.cols() != factor.rows() || rhs.precision() != factor.precision()) {
            throw new IllegalArgumentException(op + ": rhs rows must have " + factor.rows() + " " + factor.precision()
                    + " elements, got " + rhs.cols() + " " + rhs.precision());
        }
    }

    /** {@code c = beta · c}, element by element on the host (for GEMMs with an empty inner dimension). */
    public static void scale(Matrix c, double beta) {
        if (beta == 0) {
            c.fill(0);
        } else if (beta != 1) {
            for (int r = 0; r < c.rows(); r++) {
                for (int col = 0; col < c.cols(); col++) {
                    c.set(r, col, beta * c.get(r, col));
                }
            }
        }
    }
}
