package org.coar.workbench.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.coar.workbench.fit.linalg.LinearAlgebra;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Nd4jLinearAlgebra;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.fit.linalg.Triangle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A float32 Cholesky factor and condition estimate past 2³¹ entries (46,341², 8.6 GB; about five
 * minutes on two cores), opt-in: {@code ./mvnw test -Dtest=LargeFactorTest -Dcoar.largeTests=true}.
 * LAPACKE's NaN scan indexes with 32-bit integers and crashed the JVM there (GPT-2's 64,512² Gram).
 */
@EnabledIfSystemProperty(named = "coar.largeTests", matches = "true")
class LargeFactorTest {
    @Test
    void aGramPastTwoToTheThirtyOneEntriesIsFactoredAndItsConditionEstimated() {
        int n = 46_341;
        try (LinearAlgebra la = new Nd4jLinearAlgebra()) {
            Matrix g = la.zeros(Precision.FLOAT, n, n);
            try {
                // G = 4 I but for the last 2 × 2 block [[4, 1], [1, 4]]: L has 2 on the diagonal but for that block.
                for (int i = 0; i < n; i++) {
                    g.set(i, i, 4);
                }
                g.set(n - 1, n - 2, 1);
                g.set(n - 2, n - 1, 1);
                assertTrue(la.cholesky(g, Triangle.LOWER));
                assertEquals(2, g.get(0, 0), 1e-6);
                assertEquals(2, g.get(n / 2, n / 2), 1e-6);
                assertEquals(0.5, g.get(n - 1, n - 2), 1e-6); // l21 = a21 / l11
                assertEquals(Math.sqrt(4 - 0.25), g.get(n - 1, n - 1), 1e-5);
                double rcond = la.reciprocalCondition(g, Triangle.LOWER, 5);
                // κ₁ of G: ‖G‖₁ = 5, ‖G⁻¹‖₁ = 1/3 (the 2 × 2 block's inverse has columns summing to 5/15), so the true
                // reciprocal is 0.6; pocon estimates ‖G⁻¹‖₁ from below, at least by the diagonal's 1/4, so 0.6 to 0.8.
                assertTrue(rcond >= 0.6 - 1e-6 && rcond <= 0.8 + 1e-6, "rcond " + rcond);
            } finally {
                la.free(g);
            }
        }
    }
}
