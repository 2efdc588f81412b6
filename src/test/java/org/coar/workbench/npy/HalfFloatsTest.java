package org.coar.workbench.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class HalfFloatsTest {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** IEEE 754 binary16 from its fields: sign, 5 exponent bits (bias 15), 10 fraction bits. */
    private static double closedForm(int bits) {
        int sign = (bits & 0x8000) != 0 ? -1 : 1;
        int exponent = (bits >> 10) & 0x1F;
        int fraction = bits & 0x3FF;
        if (exponent == 0x1F) {
            return fraction == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        if (exponent == 0) {
            return sign * Math.scalb(fraction / 1024.0, -14);
        }
        return sign * Math.scalb(1 + fraction / 1024.0, exponent - 15);
    }

    @Test
    void decodesEveryHalfToItsValueAcrossStepsAndUnalignedOffsets() {
        try (Arena arena = Arena.ofConfined()) {
            // One byte in, so every half is unaligned; 65,536 halves span many decoding steps.
            MemorySegment raw = arena.allocate(1 + 2L * 65_536);
            for (int b = 0; b < 65_536; b++) {
                raw.set(I16, 1 + 2L * b, (short) b);
            }
            // Rounds, so the later ones run the JIT-compiled (vectorised) loop, not the interpreter's.
            for (int round = 0; round < 40; round++) {
                float[] out = new float[65_536 + 3];
                boolean finite = HalfFloats.decode(raw, 1, 65_536, out, 3);
                assertFalse(finite, "the patterns include NaN and Inf");
                for (int b = 0; b < 65_536; b++) {
                    double expected = closedForm(b);
                    if (Double.isNaN(expected)) {
                        assertTrue(Float.isNaN(out[3 + b]), "half 0x" + Integer.toHexString(b));
                    } else {
                        assertEquals(expected, out[3 + b], 0.0, "half 0x" + Integer.toHexString(b));
                    }
                }
            }
        }
    }

    @Test
    void saysARunIsFiniteUnlessOneValueIsNaNOrInf() {
        int count = 5_000;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment raw = arena.allocate(2L * count);
            for (int i = 0; i < count; i++) {
                // 65504, the largest finite half, and -0 are finite; so is every value in between.
                raw.set(I16, 2L * i, (short) (i % 3 == 0 ? 0x7BFF : i % 3 == 1 ? 0x8000 : 0x3C00 + i % 1000));
            }
            float[] out = new float[count];
            assertTrue(HalfFloats.decode(raw, 0, count, out, 0));
            assertEquals(65504f, out[0]);
            for (short bad : new short[] {0x7C00, (short) 0xFC00, 0x7E00, 0x7C01}) {
                // The last value of the third decoding step: the check must cover every step, not the first.
                raw.set(I16, 2L * (count - 1), bad);
                assertFalse(HalfFloats.decode(raw, 0, count, out, 0), "0x" + Integer.toHexString(bad & 0xFFFF));
                raw.set(I16, 2L * (count - 1), (short) 0x3C00);
            }
            assertTrue(HalfFloats.decode(raw, 0, count, out, 0));
        }
    }

    @Test
    void floatRunsAreFiniteUnlessOneIsNaNOrInf() {
        float[] values = {0f, -0f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, 1e-40f, 3.5f};
        assertTrue(HalfFloats.allFinite(values, 0, values.length));
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] withBad = values.clone();
            withBad[5] = bad;
            assertFalse(HalfFloats.allFinite(withBad, 0, withBad.length), Float.toString(bad));
            assertTrue(HalfFloats.allFinite(withBad, 0, 5), "only the run asked about counts");
        }
    }
}
