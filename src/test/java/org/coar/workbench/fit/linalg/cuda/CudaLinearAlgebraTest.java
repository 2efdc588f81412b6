package org.coar.workbench.fit.linalg.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.LinearAlgebraContract;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.junit.jupiter.api.Test;

/** The CUDA backend's row-major ↔ column-major mapping and data movement, on a stand-in GPU with cuBLAS's semantics. */
class CudaLinearAlgebraTest extends LinearAlgebraContract {
    private HostGpu gpu;

    @Override
    protected LinearAlgebra open() {
        gpu = new HostGpu(64L << 20);
        return new CudaLinearAlgebra(gpu);
    }

    @Test
    void streamedStatisticsStayOnTheDeviceAndOnlyTheBlocksTravel() {
        int cols = 6;
        int blockRows = 8;
        Matrix block = la.zeros(Precision.FLOAT, blockRows, cols);
        Matrix gram = la.zeros(Precision.FLOAT, cols, cols);
        double[][] expect = new double[cols][cols];
        for (int pass = 0; pass < 10; pass++) {
            int filled = pass == 9 ? 3 : blockRows; // the last block is only partly filled
            Matrix rows = block.topRows(filled);
            for (int r = 0; r < filled; r++) {
                for (int c = 0; c < cols; c++) {
                    double v = (r + 2 * c + pass) % 3 == 0 ? 1 : 0;
                    rows.set(r, c, v);
                }
            }
            for (int i = 0; i < cols; i++) {
                for (int j = 0; j <= i; j++) {
                    for (int r = 0; r < filled; r++) {
                        expect[i][j] += rows.get(r, i) * rows.get(r, j);
                    }
                }
            }
            la.gramLower(1, rows, 1, gram);
        }
        assertEquals(0, gpu.downloads, "the accumulator is not brought back between blocks");
        assertEquals(10, gpu.uploads, "one upload per block, none for the accumulator (zeroed on the device)");
        assertEquals((9L * blockRows + 3) * cols * 4, gpu.uploadedBytes, "the partial block uploads its filled rows only");
        for (int i = 0; i < cols; i++) {
            for (int j = 0; j <= i; j++) {
                assertEquals(expect[i][j], gram.get(i, j), 0, "counts are exact");
            }
        }
        assertEquals(1, gpu.downloads, "reading the result brings it back once");
        gram.get(0, 0);
        assertEquals(1, gpu.downloads);
    }

    @Test
    void hostWritesAfterADeviceResultAreSeenByTheNextCall() {
        Matrix a = la.zeros(Precision.DOUBLE, 2, 2);
        Matrix identity = la.zeros(Precision.DOUBLE, 2, 2);
        identity.set(0, 0, 1);
        identity.set(1, 1, 1);
        a.set(0, 1, 3);
        Matrix c = la.zeros(Precision.DOUBLE, 2, 2);
        la.gemm(1, a, false, identity, false, 0, c);
        assertEquals(3, c.get(0, 1), 0);
        c.set(1, 0, 5); // on the host, after the device wrote c
        la.gemm(1, a, false, identity, false, 1, c); // c += a
        assertEquals(6, c.get(0, 1), 0);
        assertEquals(5, c.get(1, 0), 0);
    }

    @Test
    void freedAndClosedMatricesGiveTheirDeviceMemoryBack() {
        Matrix a = la.zeros(Precision.DOUBLE, 100, 100);
        Matrix b = la.zeros(Precision.DOUBLE, 100, 100);
        la.gemm(1, a, false, b, false, 0, la.zeros(Precision.DOUBLE, 100, 100));
        assertEquals(3 * 80_000, gpu.deviceBytesInUse());
        la.free(a);
        assertEquals(2 * 80_000, gpu.deviceBytesInUse());
        la.close();
        assertEquals(0, gpu.deviceBytesInUse());
        assertTrue(gpu.closed);
        la = open(); // for the contract's @AfterEach
    }

    @Test
    void aMatrixTooLargeForTheDeviceFailsWithTheSizes() {
        Matrix big = la.zeros(Precision.DOUBLE, 3000, 3000); // 72 MB on a 64 MiB stand-in
        Matrix small = la.zeros(Precision.DOUBLE, 3000, 1);
        CudaException e = assertThrows(CudaException.class, () -> la.gemm(1, big, false, small, false, 0, la.zeros(Precision.DOUBLE, 3000, 1)));
        assertTrue(e.getMessage().contains("cudaMalloc"), e.getMessage());
    }
}
