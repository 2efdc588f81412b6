package org.coar.workbench.ui.attributions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class PixelsTest {
    @Test
    void eachPixelTakesTheSourcePixelUnderIt() {
        int[] source = {1, 2, 3, 4, 5, 6}; // 3 × 2
        assertArrayEquals(new int[] {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 4, 4, 5, 5, 6, 6},
                Pixels.resize(source, 3, 2, 6, 4));
        assertArrayEquals(new int[] {1, 2, 4, 5}, Pixels.resize(source, 3, 2, 2, 2), "shrinking takes columns 0 and floor(3/2)");
    }
}
