package org.coar.workbench.fit;

import java.util.function.Supplier;
import org.coar.workbench.fit.linalg.LinearAlgebra;

/**
 * The linear algebra a fit will use, chosen by {@link FitDevices#select}: {@code device} is
 * {@code cpu} or {@code cuda:N}, {@code reason} says why (for {@code auto}, why not the GPU).
 */
public record FitBackend(String device, String description, String reason, Supplier<LinearAlgebra> linearAlgebra) {

    /** A fit service on this backend. */
    public FitService service() {
        return new FitService(linearAlgebra);
    }
}
