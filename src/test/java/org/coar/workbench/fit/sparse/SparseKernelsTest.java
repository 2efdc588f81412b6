package org.coar.workbench.fit.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Nd4jLinearAlgebra;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.job.Cancellation;
import org.junit.jupiter.api.Test;

/** The mask-bit kernels against plain loops over the same 0/1 matrix (shapes off every block size). */
class SparseKernelsTest {

    private static boolean[][] random(Random r, int rows, int p, double density) {
        boolean[][] s = new boolean[rows][p];
        for (boolean[] row : s) {
            for (int i = 0; i < p; i++) {
                row[i] = r.nextDouble() < density;
            }
        }
        return s;
    }

    private static MaskBits bits(boolean[][] s, int p) {
        MaskBits b = MaskBits.allocate(p, s.length + 7, true);
        for (int r = 0; r < s.length; r++) {
            for (int i = 0; i < p; i++) {
                if (s[r][i]) {
                    b.add(r, i);
                }
            }
        }
        b.finish(s.length);
        return b;
    }

    @Test
    void bitsHoldTheMatrixAndFlipToTheOtherSide() {
        Random r = new Random(1);
        boolean[][] s = random(r, 131, 70, 0.3);
        try (MaskBits b = bits(s, 70)) {
            for (int row = 0; row < 131; row++) {
                for (int i = 0; i < 70; i++) {
                    assertEquals(s[row][i], b.get(row, i));
                }
            }
            b.flip();
            long set = 0;
            for (int i = 0; i < 70; i++) {
                long c = 0;
                for (int row = 0; row < 131; row++) {
                    assertEquals(!s[row][i], b.get(row, i));
                    c += s[row][i] ? 0 : 1;
                }
                assertEquals(c, b.count(i));
                set += c;
                for (int row = 131; row < 192; row++) {
                    assertEquals(false, b.get(row, i), "bits past the last row stay 0 after a flip");
                }
            }
            assertEquals(set, b.setBits());
        }
    }

    @Test
    void popcountCountsEveryPairOverBothSets() {
        Random r = new Random(2);
        int p = 137;
        boolean[][] train = random(r, 333, p, 0.1);
        boolean[][] validation = random(r, 71, p, 0.1);
        int[] order = new int[p - 2];
        for (int a = 0, i = 0; i < p; i++) {
            if (i != 5 && i != 90) {
                order[a++] = i; // two components left out, as constant ones are
            }
        }
        long[][] gotT = new long[order.length][order.length];
        long[][] gotV = new long[order.length][order.length];
        try (MaskBits bt = bits(train, p); MaskBits bv = bits(validation, p)) {
            PopcountGram.count(bt, bv, order, (a0, b0, rowsA, colsB, ct, cv) -> {
                for (int i = 0; i < rowsA; i++) {
                    for (int k = 0; k < (a0 == b0 ? i + 1 : colsB); k++) {
                        gotT[a0 + i][b0 + k] = ct[i * PopcountGram.BLOCK + k];
                        gotV[a0 + i][b0 + k] = cv[i * PopcountGram.BLOCK + k];
                    }
                }
            }, new Cancellation(), ib -> { });
        }
        for (int a = 0; a < order.length; a++) {
            for (int b = 0; b <= a; b++) {
                assertEquals(dot(train, order[a], order[b]), gotT[a][b], "training pair " + a + "," + b);
                assertEquals(dot(validation, order[a], order[b]), gotV[a][b], "validation pair " + a + "," + b);
            }
        }
    }

    private static long dot(boolean[][] s, int i, int k) {
        long c = 0;
        for (boolean[] row : s) {
            c += row[i] && row[k] ? 1 : 0;
        }
        return c;
    }

    @Test
    void gatherAndScatterEqualTheirPlainProducts() {
        Random r = new Random(3);
        int rows = 4200; // more than one block of rows (2,048)
        int p = 45;
        int w = 77; // three tiles, the last partial
        boolean[][] s = random(r, rows, p, 0.07);
        int[] order = {0, 3, 4, 10, 11, 12, 30, 44};
        try (Nd4jLinearAlgebra la = new Nd4jLinearAlgebra(); MaskBits b = bits(s, p);
             TileMatrix yf = TileMatrix.floats(rows, w); TileMatrix yd = TileMatrix.doubles(rows, w);
             TileMatrix pd = TileMatrix.doubles(rows, w)) {
            double[][] y = new double[rows][w];
            for (int row = 0; row < rows; row++) {
                for (int j = 0; j < w; j++) {
                    y[row][j] = (float) r.nextGaussian();
                    yf.set(row, j, y[row][j]);
                    yd.set(row, j, y[row][j]);
                }
            }
            for (boolean listed : new boolean[] {false, true}) {
                if (listed) {
                    b.listRows(); // the second round walks the row lists instead of the bit words
                }
                Matrix cf = la.zeros(Precision.DOUBLE, order.length, w);
                Matrix cd = la.zeros(Precision.DOUBLE, order.length, w);
                SparseProducts.gather(b, order, yf, cf, new Cancellation());
                SparseProducts.gather(b, order, yd, cd, new Cancellation());
                for (int a = 0; a < order.length; a++) {
                    for (int j = 0; j < w; j++) {
                        double want = 0;
                        for (int row = 0; row < rows; row++) {
                            want += s[row][order[a]] ? y[row][j] : 0;
                        }
                        assertEquals(want, cf.get(a, j), 1e-4, "float gather, listed " + listed);
                        assertEquals(want, cd.get(a, j), 1e-10, "double gather, listed " + listed);
                    }
                }
                Matrix u = la.zeros(Precision.DOUBLE, order.length, w);
                for (int a = 0; a < order.length; a++) {
                    for (int j = 0; j < w; j++) {
                        u.set(a, j, r.nextGaussian());
                    }
                }
                pd.fill(0);
                SparseProducts.scatter(b, order, u, pd, new Cancellation());
                for (int row = 0; row < rows; row++) {
                    for (int j = 0; j < w; j++) {
                        double want = 0;
                        for (int a = 0; a < order.length; a++) {
                            want += s[row][order[a]] ? u.get(a, j) : 0;
                        }
                        assertEquals(want, pd.get(row, j), 1e-10, "scatter, listed " + listed);
                    }
                }
            }
        }
    }
}
