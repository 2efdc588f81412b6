package org.coar.workbench.npy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * A .npy file memory-mapped through the FFM API, viewed as rows: the first dimension indexes
 * rows, the remaining dimensions form one row. Arrays beyond 2 GiB work; nothing is copied into
 * the heap except the rows a caller asks for. Thread-safe for disjoint rows.
 */
public final class NpyArray implements AutoCloseable {

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final NpyHeader header;
    private final Arena arena;
    private final MemorySegment data;
    private final boolean writable;
    private final long rows;
    private final long rowLength;

    private NpyArray(Path file, NpyHeader header, Arena arena, MemorySegment data, boolean writable) {
        this.file = file;
        this.header = header;
        this.arena = arena;
        this.data = data;
        this.writable = writable;
        long[] shape = header.shape();
        this.rows = shape.length == 0 ? 1 : shape[0];
        this.rowLength = header.rowLength();
    }

    /**
     * Creates {@code file} holding an array of zeros: writes numpy's header and extends the file
     * to its full length without writing the data, so the file is sparse and creation is instant.
     */
    public static void create(Path file, Dtype dtype, long... shape) throws IOException {
        NpyHeader header = NpyHeader.of(dtype, shape);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(header.encode()), 0);
            if (header.dataBytes() > 0) {
                // One byte at the end sets the length; the hole before it reads as zeros.
                channel.write(java.nio.ByteBuffer.wrap(new byte[1]), header.fileBytes() - 1);
            }
        }
    }

    public static NpyArray open(Path file, boolean writable) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NpyFormatException(file, "no such file");
        }
        Set<StandardOpenOption> options = writable
                ? Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE)
                : Set.of(StandardOpenOption.READ);
        try (FileChannel channel = FileChannel.open(file, options)) {
            NpyHeader header = NpyHeader.read(channel, file);
            Arena arena = Arena.ofShared();
            try {
                MemorySegment data = header.dataBytes() == 0 ? MemorySegment.NULL
                        : channel.map(writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY,
                                header.dataOffset(), header.dataBytes(), arena);
                return new NpyArray(file, header, arena, data, writable);
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
        }
    }

    public Path file() {
        return file;
    }

    public NpyHeader header() {
        return header;
    }

    public Dtype dtype() {
        return header.dtype();
    }

    public long rows() {
        return rows;
    }

    /** Elements per row (1 for a 1-d array). */
    public long rowLength() {
        return rowLength;
    }

    /** The shape of one row, i.e. the array shape without its first dimension. */
    public long[] rowShape() {
        long[] shape = header.shape();
        return shape.length == 0 ? shape : java.util.Arrays.copyOfRange(shape, 1, shape.length);
    }

    /** Reads {@code count} rows from {@code firstRow} into {@code target}, converted to float (bool: 0 or 1). */
    public void readRows(long firstRow, int count, float[] target) {
        long first = elementIndex(firstRow, count, target.length);
        int n = Math.toIntExact(count * rowLength);
        long offset = first * header.dtype().itemSize();
        // One loop per dtype: this is the hot path of streamed regression.
        switch (header.dtype()) {
            case BOOL -> {
                for (int i = 0; i < n; i++) {
                    target[i] = data.get(ValueLayout.JAVA_BYTE, offset + i) != 0 ? 1f : 0f;
                }
            }
            case UINT8 -> {
                for (int i = 0; i < n; i++) {
                    target[i] = data.get(ValueLayout.JAVA_BYTE, offset + i) & 0xff;
                }
            }
            case FLOAT16 -> HalfFloats.decode(data, offset, n, target, 0);
            case FLOAT32 -> MemorySegment.copy(data, F32, offset, target, 0, n);
            default -> {
                for (int i = 0; i < n; i++) {
                    target[i] = (float) get(first + i);
                }
            }
        }
    }

    /** Reads {@code count} rows from {@code firstRow} into {@code target}, converted to double. */
    public void readRows(long firstRow, int count, double[] target) {
        long first = elementIndex(firstRow, count, target.length);
        int n = Math.toIntExact(count * rowLength);
        for (int i = 0; i < n; i++) {
            target[i] = get(first + i);
        }
    }

    public float[] readRow(long row) {
        float[] values = new float[Math.toIntExact(rowLength)];
        readRows(row, 1, values);
        return values;
    }

    /** Writes one row from doubles, converting to the array's dtype (bool: non-zero is true). */
    public void writeRow(long row, double[] values) {
        long first = elementIndex(row, 1, values.length);
        checkWritable();
        if (values.length != rowLength) {
            throw new IllegalArgumentException(file.getFileName() + ": row has " + rowLength + " elements, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            set(first + i, values[i]);
        }
    }

    public void writeRow(long row, float[] values) {
        double[] widened = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            widened[i] = values[i];
        }
        writeRow(row, widened);
    }

    public void writeRow(long row, boolean[] values) {
        double[] widened = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            widened[i] = values[i] ? 1 : 0;
        }
        writeRow(row, widened);
    }

    /** The element at flat C-order index {@code index}, as a double. */
    public double get(long index) {
        long offset = index * header.dtype().itemSize();
        return switch (header.dtype()) {
            case BOOL -> data.get(ValueLayout.JAVA_BYTE, offset) != 0 ? 1 : 0;
            case UINT8 -> data.get(ValueLayout.JAVA_BYTE, offset) & 0xff;
            case INT8 -> data.get(ValueLayout.JAVA_BYTE, offset);
            case INT16 -> data.get(I16, offset);
            case INT32 -> data.get(I32, offset);
            case INT64 -> data.get(I64, offset);
            case FLOAT16 -> Float.float16ToFloat(data.get(I16, offset));
            case FLOAT32 -> data.get(F32, offset);
            case FLOAT64 -> data.get(F64, offset);
        };
    }

    /** The element at flat index {@code index} as a long, exact for every integer dtype. */
    public long getLong(long index) {
        return header.dtype() == Dtype.INT64 ? data.get(I64, index * 8) : (long) get(index);
    }

    /** Sets the element at flat index {@code index}; integers are rounded, bool is {@code value != 0}. */
    public void set(long index, double value) {
        checkWritable();
        long offset = index * header.dtype().itemSize();
        switch (header.dtype()) {
            case BOOL -> data.set(ValueLayout.JAVA_BYTE, offset, (byte) (value != 0 ? 1 : 0));
            case UINT8, INT8 -> data.set(ValueLayout.JAVA_BYTE, offset, (byte) Math.round(value));
            case INT16 -> data.set(I16, offset, (short) Math.round(value));
            case INT32 -> data.set(I32, offset, (int) Math.round(value));
            case INT64 -> data.set(I64, offset, Math.round(value));
            case FLOAT16 -> data.set(I16, offset, Float.floatToFloat16((float) value));
            case FLOAT32 -> data.set(F32, offset, (float) value);
            case FLOAT64 -> data.set(F64, offset, value);
        }
    }

    /** Sets an integer element exactly (int64 values beyond 2^53 included). */
    public void setLong(long index, long value) {
        if (header.dtype() == Dtype.INT64) {
            checkWritable();
            data.set(I64, index * 8, value);
        } else {
            set(index, value);
        }
    }

    /** Flushes the given rows to the storage device. */
    public void forceRows(long firstRow, long count) {
        if (header.dataBytes() == 0 || count == 0) {
            return;
        }
        long bytesPerRow = rowLength * header.dtype().itemSize();
        data.asSlice(firstRow * bytesPerRow, count * bytesPerRow).force();
    }

    private long elementIndex(long firstRow, long count, int capacity) {
        if (firstRow < 0 || count < 0 || firstRow + count > rows) {
            throw new IndexOutOfBoundsException(file.getFileName() + ": rows " + firstRow + ".." + (firstRow + count - 1)
                    + " outside 0.." + (rows - 1));
        }
        if ((long) capacity < count * rowLength) {
            throw new IllegalArgumentException(file.getFileName() + ": buffer of " + capacity + " elements cannot hold "
                    + count + " rows of " + rowLength);
        }
        return firstRow * rowLength;
    }

    private void checkWritable() {
        if (!writable) {
            throw new IllegalStateException(file + " is open read-only");
        }
    }

    @Override
    public void close() {
        try {
            arena.close();
        } catch (IllegalStateException e) {
            throw new UncheckedIOException(new IOException(file + " is still in use", e));
        }
    }
}
