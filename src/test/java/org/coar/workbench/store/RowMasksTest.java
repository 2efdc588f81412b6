package org.coar.workbench.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RowMasksTest {
    @Test
    void maskIsAFunctionOfSeedAndRow() {
        assertArrayEquals(RowMasks.keepMask(7, 123, 500, 0.05), RowMasks.keepMask(7, 123, 500, 0.05));
        assertFalse(Arrays.equals(RowMasks.keepMask(7, 123, 500, 0.05), RowMasks.keepMask(7, 124, 500, 0.05)));
        assertFalse(Arrays.equals(RowMasks.keepMask(7, 123, 500, 0.05), RowMasks.keepMask(8, 123, 500, 0.05)));
    }

    @Test
    void eachComponentIsKeptWithProbabilityOneMinusAlpha() {
        // 2,000 rows x 240 components: the ablated fraction has standard error sqrt(.05*.95/480000) ~ 3e-4.
        long ablated = 0;
        long[] perComponent = new long[240];
        for (int row = 0; row < 2000; row++) {
            boolean[] keep = RowMasks.keepMask(0, row, 240, 0.05);
            for (int i = 0; i < keep.length; i++) {
                if (!keep[i]) {
                    ablated++;
                    perComponent[i]++;
                }
            }
        }
        assertEquals(0.05, ablated / 480_000.0, 0.0015);
        // Every component is ablated about 100 times (binomial sd ~ 9.7); none is never or always ablated.
        assertEquals(0, Arrays.stream(perComponent).filter(c -> c < 55 || c > 145).count());
    }
}
