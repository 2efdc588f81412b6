package org.coar.workbench.fit;

import java.util.function.Supplier;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.cuda.HostGpus;
import org.junit.jupiter.api.AfterEach;

/** {@link FitOlsTest}'s checks with the CUDA backend's logic on a stand-in GPU (host BLAS with cuBLAS's column-major semantics). */
class CudaBackendFitOlsTest extends FitOlsTest {
    private final HostGpus gpus = new HostGpus();

    @Override
    protected Supplier<LinearAlgebra> backend() {
        return gpus.backend();
    }

    @AfterEach
    void deviceMemoryReleased() {
        gpus.assertReleased();
    }
}
