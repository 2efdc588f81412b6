package org.coar.workbench.npy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Bulk float16 → float32 decoding and finiteness checks. The outputs of a reference store are float16, so this is
 * most of a fit's reading: a loop of {@code Float.float16ToFloat} over a {@code short[]} is one that C2 turns into
 * vector conversions (VCVTPH2PS), where the same conversion read element by element from a memory segment stays
 * scalar. So the halves are first copied, a step at a time, into an array.
 */
final class HalfFloats {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Halves decoded per step: 4 KiB of them and 8 KiB of floats stay in the L1 cache together. */
    private static final int STEP = 2048;

    private HalfFloats() {
    }

    /**
     * Decodes {@code count} little-endian float16 values from {@code raw} at {@code byteOffset} into
     * {@code out[offset..]}; true when every one of them is finite.
     */
    static boolean decode(MemorySegment raw, long byteOffset, int count, float[] out, int offset) {
        short[] bits = new short[Math.min(count, STEP)];
        // A half is NaN or Inf when its 5 exponent bits are all ones; adding 0x0400 then carries into bit 15, which no
        // finite half's exponent reaches, so an OR over the whole run has bit 15 set exactly when one is not finite.
        int exponents = 0;
        for (int done = 0; done < count; done += STEP) {
            int n = Math.min(STEP, count - done);
            MemorySegment.copy(raw, I16, byteOffset + 2L * done, bits, 0, n);
            int to = offset + done;
            for (int i = 0; i < n; i++) {
                out[to + i] = Float.float16ToFloat(bits[i]);
            }
            for (int i = 0; i < n; i++) {
                exponents |= (bits[i] & 0x7C00) + 0x0400;
            }
        }
        return (exponents & 0x8000) == 0;
    }

    /** True when {@code values[offset .. offset + count)} are all finite (the float32 form of the test above). */
    static boolean allFinite(float[] values, int offset, int count) {
        int exponents = 0;
        for (int i = offset; i < offset + count; i++) {
            exponents |= (Float.floatToRawIntBits(values[i]) & 0x7F800000) + 0x00800000;
        }
        return exponents >= 0;
    }
}
