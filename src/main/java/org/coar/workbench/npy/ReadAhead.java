package org.coar.workbench.npy;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Asks the kernel to start reading a file's next bytes into the page cache while the reader works on the ones it has
 * ({@code posix_fadvise(POSIX_FADV_WILLNEED)}, which returns without waiting for the disk). A fit's pass over a store
 * from a cold cache otherwise waits for each chunk's read, then computes on it, then waits again. It is advice
 * only: where the C library or the file system does not take it, reads are as before.
 */
final class ReadAhead implements AutoCloseable {
    private static final int O_RDONLY = 0;
    private static final int POSIX_FADV_WILLNEED = 3;
    private static final MethodHandle OPEN;
    private static final MethodHandle FADVISE;
    private static final MethodHandle CLOSE;

    static {
        MethodHandle open = null;
        MethodHandle fadvise = null;
        MethodHandle close = null;
        try {
            Linker linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            // open(2) is variadic (its mode argument); called here with none.
            open = linker.downcallHandle(libc.find("open").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), Linker.Option.firstVariadicArg(2));
            fadvise = linker.downcallHandle(libc.find("posix_fadvise").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT));
            close = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        } catch (RuntimeException e) {
            open = null; // not a POSIX C library: no read-ahead
        }
        OPEN = open;
        FADVISE = fadvise;
        CLOSE = close;
    }

    private final int fd;

    private ReadAhead(int fd) {
        this.fd = fd;
    }

    static ReadAhead of(Path file) {
        if (OPEN == null) {
            return new ReadAhead(-1);
        }
        try (Arena arena = Arena.ofConfined()) {
            return new ReadAhead((int) OPEN.invokeExact(arena.allocateFrom(file.toString()), O_RDONLY));
        } catch (Throwable t) {
            return new ReadAhead(-1);
        }
    }

    /** Whether the advice reaches the kernel (a descriptor of the file is open for it). */
    boolean active() {
        return fd >= 0;
    }

    /** Starts reading {@code length} bytes from {@code offset}; returns at once. */
    void willNeed(long offset, long length) {
        if (fd < 0 || length <= 0) {
            return;
        }
        try {
            int ignored = (int) FADVISE.invokeExact(fd, offset, length, POSIX_FADV_WILLNEED);
        } catch (Throwable t) {
            // advice the kernel cannot take changes nothing
        }
    }

    @Override
    public void close() {
        if (fd >= 0) {
            try {
                int ignored = (int) CLOSE.invokeExact(fd);
            } catch (Throwable t) {
                // nothing was held but the descriptor
            }
        }
    }
}
