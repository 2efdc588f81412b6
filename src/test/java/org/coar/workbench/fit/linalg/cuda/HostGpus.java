package org.coar.workbench.fit.linalg.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.coar.workbench.fit.linalg.LinearAlgebra;

/** CUDA backends on {@link HostGpu}s, one per fit, checked afterwards for leaks. */
public final class HostGpus {
    private final List<HostGpu> made = new ArrayList<>();

    public Supplier<LinearAlgebra> backend() {
        return () -> {
            HostGpu gpu = new HostGpu(1L << 30);
            synchronized (made) {
                made.add(gpu);
            }
            return new CudaLinearAlgebra(gpu);
        };
    }

    /** Every backend made was closed and gave all its device memory back. */
    public void assertReleased() {
        synchronized (made) {
            assertTrue(!made.isEmpty(), "no fit ran on the CUDA backend");
            for (HostGpu gpu : made) {
                assertTrue(gpu.closed, "the fit closed its backend");
                assertEquals(0, gpu.deviceBytesInUse(), "device memory left allocated after the fit");
            }
        }
    }
}
