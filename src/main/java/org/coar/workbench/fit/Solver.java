package org.coar.workbench.fit;

import java.util.Locale;
import java.util.Optional;

/** How the per-example linear models are fitted. */
public enum Solver {
    /** Least squares (λ = 0), what every reference config asks for; exact. */
    OLS,
    /** The reference's L1 path: λ from λ_max down, chosen per example on validation rows. */
    LASSO,
    /** L2 path from one eigendecomposition, chosen per example on validation rows. */
    RIDGE;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Solver> fromKey(String key) {
        for (Solver s : values()) {
            if (s.key().equals(key.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
