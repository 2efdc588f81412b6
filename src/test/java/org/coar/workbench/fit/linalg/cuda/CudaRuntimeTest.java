package org.coar.workbench.fit.linalg.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.coar.workbench.fit.FitDevice;
import org.coar.workbench.fit.FitDevices;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The FFM bindings against the real CUDA 13 libraries (NVIDIA's pip wheels, installed into
 * target/cuda-libs by tools/cuda_libs_for_tests.sh, or COAR_TEST_CUDA_LIBS): they load, report
 * their versions, and on a machine without a GPU refuse with the reason; with a GPU a GEMM and a
 * Cholesky solve run. Skipped when the libraries are not there (they are 1 GB; CI leaves them out).
 */
class CudaRuntimeTest {
    private static Path libraries() {
        String named = System.getenv("COAR_TEST_CUDA_LIBS");
        Path folder = named != null ? Path.of(named) : Path.of("target/cuda-libs/site-packages");
        Assumptions.assumeTrue(Files.isDirectory(folder), "no CUDA libraries at " + folder.toAbsolutePath()
                + " (tools/cuda_libs_for_tests.sh installs NVIDIA's pip wheels there)");
        return folder;
    }

    @Test
    void theRealLibrariesLoadAndSayWhyThereIsNoGpuOrRun() {
        CudaDevices devices = CudaDevices.probe(libraries());
        assertTrue(devices.versions().get("cublas").matches("\\d+\\.\\d+\\.\\d+"), devices.versions().toString());
        assertTrue(devices.versions().get("cusolver").matches("\\d+\\.\\d+\\.\\d+"), devices.versions().toString());
        assertTrue(devices.versions().get("cuda_runtime").matches("\\d+\\.\\d"), devices.versions().toString());
        FitDevices fit = new FitDevices(libraries());
        if (!devices.usable()) {
            String problem = devices.problem().orElseThrow();
            assertTrue(problem.contains("no NVIDIA driver") || problem.contains("sees no GPU") || problem.contains("older than"), problem);
            CudaUnavailableException e = assertThrows(CudaUnavailableException.class, () -> fit.select(FitDevice.cuda(0)));
            assertTrue(e.getMessage().startsWith("--device cuda:0: ") && e.getMessage().contains("--device cpu"), e.getMessage());
            assertEquals("cpu", fit.select(FitDevice.AUTO).device());
            assertFalse(fit.choices().stream().anyMatch(c -> c.device().kind() == FitDevice.Kind.CUDA));
            return;
        }
        try (LinearAlgebra la = devices.open(0)) {
            Matrix a = la.zeros(Precision.DOUBLE, 2, 2);
            a.set(0, 0, 4);
            a.set(1, 0, 2);
            a.set(0, 1, 2);
            a.set(1, 1, 5);
            Matrix b = la.zeros(Precision.DOUBLE, 1, 2);
            b.set(0, 0, 8);
            b.set(0, 1, 9);
            Matrix c = la.zeros(Precision.DOUBLE, 1, 2);
            la.gemm(1, b, false, a, false, 0, c); // [8, 9]·[[4, 2], [2, 5]] = [50, 61]
            assertEquals(50, c.get(0, 0), 1e-12);
            assertEquals(61, c.get(0, 1), 1e-12);
            assertTrue(la.choleskyInPlace(a));
            la.choleskySolveInPlace(a, c); // back to [8, 9]
            assertEquals(8, c.get(0, 0), 1e-10);
            assertEquals(9, c.get(0, 1), 1e-10);
            assertTrue(la.memory().totalBytes() > 0);
        }
    }
}
