package org.coar.workbench.ui.attributions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The diverging scale: white at 0, the panel's red and green at ∓scale, halfway colours halfway. */
class ScoreColoursTest {
    @Test
    void zeroIsWhiteAndTheEndsAreThePanelsColours() {
        assertEquals(0xffffffff, ScoreColours.argb(0, 2));
        assertEquals(0xffc0392b, ScoreColours.argb(-2, 2));
        assertEquals(0xff2e8b57, ScoreColours.argb(2, 2));
        assertEquals(0xff2e8b57, ScoreColours.argb(7, 2), "beyond the scale saturates");
        // halfway to green 2e 8b 57 from white: (255 + 46) / 2 = 150.5 → 151, (255 + 139) / 2 = 197, (255 + 87) / 2 = 171
        assertEquals(0xff000000 | 151 << 16 | 197 << 8 | 171, ScoreColours.argb(1, 2));
        assertEquals(0, ScoreColours.argb(Double.NaN, 2), "no value is transparent");
        assertEquals(0xffffffff, ScoreColours.argb(3, 0), "a zero scale draws white");
    }
}
