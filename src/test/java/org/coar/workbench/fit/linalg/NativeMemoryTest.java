package org.coar.workbench.fit.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {
    @Test
    void givesZeroedMemoryOfTheSizeAskedAndFreesItWithTheArena() {
        // Small blocks come back from the C library's free lists, large ones are freshly mapped: both must read zero,
        // also where a block just freed had been written over.
        for (long bytes : new long[] {1_000, (64L << 20) + 12}) {
            Arena arena = Arena.ofShared();
            MemorySegment first = NativeMemory.zeroed(arena, bytes);
            first.fill((byte) 0x5A);
            arena.close();
            assertFalse(first.scope().isAlive());
            assertThrows(IllegalStateException.class, () -> first.get(ValueLayout.JAVA_BYTE, 0));
            try (Arena again = Arena.ofShared()) {
                MemorySegment segment = NativeMemory.zeroed(again, bytes);
                assertEquals(bytes, segment.byteSize());
                assertEquals(0, segment.address() % 8, "aligned for longs and doubles");
                for (long at = 0; at < bytes; at += 997) {
                    assertEquals(0, segment.get(ValueLayout.JAVA_BYTE, at), bytes + " bytes, byte " + at);
                }
                assertEquals(0, segment.get(ValueLayout.JAVA_BYTE, bytes - 1));
            }
        }
        assertEquals(1, NativeMemory.zeroed(Arena.global(), 0).byteSize(), "an empty request still gets a valid segment");
    }
}
