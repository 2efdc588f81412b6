package org.coar.workbench.fit;

import java.util.function.Supplier;
import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.cuda.HostGpus;
import org.junit.jupiter.api.AfterEach;

/** {@link FitLassoRidgeTest}'s checks with the CUDA backend's logic on a stand-in GPU: the lasso's many host/device hand-overs. */
class CudaBackendFitLassoRidgeTest extends FitLassoRidgeTest {
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
