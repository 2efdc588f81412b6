package org.coar.workbench.fit.linalg;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Zeroed native memory for the fit's big matrices, from the C library's {@code calloc}.
 * <p>{@link Arena#allocate} writes zeros over every byte before it returns, on the calling thread: for the 2 GiB of
 * CIFAR's outputs that was 1.5 s of the fit's reading, most of it the page faults of that first touch. {@code calloc}
 * of a large block maps fresh pages, which the kernel hands out already zeroed when they are first touched, so the
 * faults move into the threads that fill the matrix, and no byte is written twice. That pays where those threads
 * write in order and in parallel (the outputs read from the store); accumulators that kernels first touch at random
 * measured slower this way (CIFAR's solve, by about 1 s) and keep {@link Arena#allocate}.
 * <p>Transparent huge pages ({@code madvise(MADV_HUGEPAGE)}) were tried as well: on this project's virtual machines
 * they made the same writes twice as slow (each 2 MiB fault is zeroed at once, on the faulting thread), so they are
 * not asked for.
 */
public final class NativeMemory {
    private static final MethodHandle CALLOC;
    private static final MethodHandle FREE;

    static {
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        CALLOC = linker.downcallHandle(libc.find("calloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        FREE = linker.downcallHandle(libc.find("free").orElseThrow(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    }

    private NativeMemory() {
    }

    /**
     * {@code bytes} zeroed bytes (at least 1, aligned for any Java value), freed when {@code arena} closes.
     *
     * @throws OutOfMemoryError when the C library cannot provide them
     */
    public static MemorySegment zeroed(Arena arena, long bytes) {
        long size = Math.max(1, bytes);
        MemorySegment address;
        try {
            address = (MemorySegment) CALLOC.invokeExact(size, 1L);
        } catch (Throwable t) {
            throw new IllegalStateException("calloc failed", t);
        }
        if (address.address() == 0) {
            throw new OutOfMemoryError("calloc of " + size + " bytes failed");
        }
        return address.reinterpret(size, arena, NativeMemory::free);
    }

    private static void free(MemorySegment address) {
        try {
            FREE.invokeExact(address);
        } catch (Throwable t) {
            throw new IllegalStateException("free failed", t);
        }
    }
}
