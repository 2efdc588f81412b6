package org.coar.workbench.ui.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AxesTest {
    @Test
    void negativeZeroReadsZero() {
        assertEquals("0", Axes.ticks(1).toString(-0.0));
        assertEquals("0", Axes.ticks(2).toString(-0.001));
        assertEquals("0", Axes.ticks(0).toString(-0.4));
    }

    @Test
    void dropsTrailingZerosAndGroupsThousands() {
        assertEquals("0.5", Axes.ticks(3).toString(0.5));
        assertEquals("-0.25", Axes.ticks(2).toString(-0.25));
        assertEquals("12,500", Axes.ticks(1).toString(12500));
        assertEquals("1.2", Axes.ticks(1).toString(1.24));
    }
}
