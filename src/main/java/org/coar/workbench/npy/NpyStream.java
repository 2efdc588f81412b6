package org.coar.workbench.npy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Streams rows (or one column range of every row) of a .npy file through positional reads and
 * writes instead of a memory map. Long passes over big stores use it because pages read through a
 * mapping count in the process's resident memory until the mapping goes (a 6 GiB masks file read
 * once would add 6 GiB to the fit's peak RSS), while pages read with {@code pread} stay in the
 * kernel's page cache, which the kernel reclaims as it needs.
 */
public final class NpyStream implements AutoCloseable {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Bytes read per system call at most. */
    private static final int CHUNK = 8 << 20;

    private final Path file;
    private final NpyHeader header;
    private final FileChannel channel;
    private final long rowLength;
    private final int itemSize;
    private Arena bufferArena;
    private MemorySegment buffer;

    private NpyStream(Path file, NpyHeader header, FileChannel channel) {
        this.file = file;
        this.header = header;
        this.channel = channel;
        this.rowLength = header.rowLength();
        this.itemSize = header.dtype().itemSize();
    }

    /** Opens {@code array}'s file for streamed reads (and writes, when {@code writable}). */
    public static NpyStream open(NpyArray array, boolean writable) throws IOException {
        FileChannel channel = writable
                ? FileChannel.open(array.file(), StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(array.file(), StandardOpenOption.READ);
        return new NpyStream(array.file(), array.header(), channel);
    }

    public Path file() {
        return file;
    }

    public Dtype dtype() {
        return header.dtype();
    }

    public long rowLength() {
        return rowLength;
    }

    /**
     * Reads elements [first, first + count) of each row in [firstRow, firstRow + rows) and returns
     * them packed row after row (raw little-endian bytes of the file's dtype), in a buffer this
     * stream owns and reuses: valid until the next call.
     */
    public MemorySegment readSlices(long firstRow, int rows, long first, int count) {
        long rowBytes = (long) count * itemSize;
        long total = rowBytes * rows;
        MemorySegment into = buffer(total);
        try {
            if (first == 0 && count == rowLength) {
                readFully(into, header.dataOffset() + firstRow * rowLength * itemSize, total);
            } else {
                for (int r = 0; r < rows; r++) {
                    long position = header.dataOffset() + ((firstRow + r) * rowLength + first) * itemSize;
                    readFully(into.asSlice(r * rowBytes, rowBytes), position, rowBytes);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": reading rows " + firstRow + ".." + (firstRow + rows - 1) + " failed", e);
        }
        return into;
    }

    /** Element {@code index} of a segment returned by {@link #readSlices}, as a float (bool: 0 or 1). */
    public float floatAt(MemorySegment raw, long index) {
        return switch (header.dtype()) {
            case BOOL -> raw.get(ValueLayout.JAVA_BYTE, index) != 0 ? 1f : 0f;
            case UINT8 -> raw.get(ValueLayout.JAVA_BYTE, index) & 0xff;
            case INT8 -> raw.get(ValueLayout.JAVA_BYTE, index);
            case INT16 -> raw.get(I16, index * 2);
            case INT32 -> raw.get(I32, index * 4);
            case INT64 -> raw.get(I64, index * 8);
            case FLOAT16 -> Float.float16ToFloat(raw.get(I16, index * 2));
            case FLOAT32 -> raw.get(F32, index * 4);
            case FLOAT64 -> (float) raw.get(F64, index * 8);
        };
    }

    /**
     * Decodes {@code count} elements from {@code raw} starting at element {@code from} into {@code out[offset..]};
     * true when every decoded value is finite.
     */
    public boolean floats(MemorySegment raw, long from, int count, float[] out, int offset) {
        switch (header.dtype()) {
            case FLOAT16 -> {
                return HalfFloats.decode(raw, from * 2, count, out, offset);
            }
            case FLOAT32 -> MemorySegment.copy(raw, F32, from * 4, out, offset, count);
            default -> {
                for (int i = 0; i < count; i++) {
                    out[offset + i] = floatAt(raw, from + i);
                }
            }
        }
        return HalfFloats.allFinite(out, offset, count);
    }

    /** Writes {@code values} (float32 file) as elements [first, first + count) of each row from {@code firstRow}. */
    public void writeFloatSlices(long firstRow, int rows, long first, int count, float[] values) {
        if (header.dtype() != Dtype.FLOAT32) {
            throw new IllegalStateException(file + ": streamed writes are float32 only");
        }
        long rowBytes = (long) count * 4;
        MemorySegment from = buffer(rowBytes * rows);
        MemorySegment.copy(values, 0, from, F32, 0, count * rows);
        try {
            for (int r = 0; r < rows; r++) {
                long position = header.dataOffset() + ((firstRow + r) * rowLength + first) * 4;
                ByteBuffer b = from.asSlice(r * rowBytes, rowBytes).asByteBuffer();
                while (b.hasRemaining()) {
                    channel.write(b, position + b.position());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": writing failed (" + e.getMessage() + ")", e);
        }
    }

    /** Flushes written data to the disk. */
    public void force() throws IOException {
        channel.force(true);
    }

    private MemorySegment buffer(long bytes) {
        if (buffer == null || buffer.byteSize() < bytes) {
            if (bufferArena != null) {
                bufferArena.close();
            }
            bufferArena = Arena.ofShared();
            buffer = bufferArena.allocate(Math.max(bytes, 1 << 16), 64);
        }
        return buffer.asSlice(0, bytes);
    }

    private void readFully(MemorySegment into, long position, long bytes) throws IOException {
        long done = 0;
        while (done < bytes) {
            int len = (int) Math.min(CHUNK, bytes - done);
            ByteBuffer b = into.asSlice(done, len).asByteBuffer();
            while (b.hasRemaining()) {
                int n = channel.read(b, position + done + b.position());
                if (n < 0) {
                    throw new IOException("unexpected end of file at byte " + (position + done + b.position())
                            + " (the file is shorter than its header says)");
                }
            }
            done += len;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            if (bufferArena != null) {
                bufferArena.close();
            }
        }
    }
}
