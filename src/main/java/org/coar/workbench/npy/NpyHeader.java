package org.coar.workbench.npy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * The header of a .npy file (format versions 1.0, 2.0 and 3.0), read and written exactly as
 * {@code numpy.lib.format} does, so files are byte-identical to numpy's for the same array.
 *
 * @param dtype      element type
 * @param shape      array shape; empty for a 0-d array
 * @param dataOffset byte offset of the first element (a multiple of 64)
 * @param version    major format version (1, 2 or 3)
 */
public record NpyHeader(Dtype dtype, long[] shape, long dataOffset, int version) {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    /** numpy leaves room for the first dimension to grow to this many digits without rewriting. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final int MAX_HEADER_BYTES = 1 << 20;

    public NpyHeader {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Elements per row: the product of the shape without its first dimension (1 for a 1-d array). */
    public long rowLength() {
        return shape.length < 2 ? 1 : LongStream.of(shape).skip(1).reduce(1, Math::multiplyExact);
    }

    public long elementCount() {
        return LongStream.of(shape).reduce(1, Math::multiplyExact);
    }

    public long dataBytes() {
        return Math.multiplyExact(elementCount(), (long) dtype.itemSize());
    }

    public long fileBytes() {
        return dataOffset + dataBytes();
    }

    /** The header for a C-order array as numpy would write it, in the smallest version that fits. */
    public static NpyHeader of(Dtype dtype, long... shape) {
        String dict = dictText(dtype, shape);
        int version = paddedLength(dict, 1) - (MAGIC.length + 2 + 2) < 65536 ? 1 : 2;
        return new NpyHeader(dtype, shape, paddedLength(dict, version), version);
    }

    /** The bytes numpy writes before the data: magic, version, header length and padded dict. */
    public byte[] encode() {
        String dict = dictText(dtype, shape);
        int lengthFieldBytes = version == 1 ? 2 : 4;
        int prefix = MAGIC.length + 2 + lengthFieldBytes;
        int total = paddedLength(dict, version);
        if (total != dataOffset) {
            throw new IllegalStateException("header of version " + version + " needs " + total
                    + " bytes, not " + dataOffset);
        }
        ByteBuffer buffer = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(MAGIC).put((byte) version).put((byte) 0);
        if (version == 1) {
            buffer.putShort((short) (total - prefix));
        } else {
            buffer.putInt(total - prefix);
        }
        buffer.put(dict.getBytes(version == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
        while (buffer.position() < total - 1) {
            buffer.put((byte) ' ');
        }
        buffer.put((byte) '\n');
        return buffer.array();
    }

    private static String dictText(Dtype dtype, long[] shape) {
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)"
                : LongStream.of(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
        String dict = "{'descr': '" + dtype.descr() + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
        if (shape.length > 0) {
            dict += " ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length()));
        }
        return dict;
    }

    private static int paddedLength(String dict, int version) {
        int prefix = MAGIC.length + 2 + (version == 1 ? 2 : 4);
        int unpadded = prefix + dict.length() + 1;
        return unpadded + (ALIGNMENT - unpadded % ALIGNMENT);
    }

    /** Reads and validates the header of {@code file}; the message of any failure names the file. */
    public static NpyHeader read(FileChannel channel, Path file) throws IOException {
        long size = channel.size();
        ByteBuffer prefix = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(prefix, 0);
        prefix.flip();
        if (prefix.remaining() < 10 || !startsWithMagic(prefix)) {
            throw new NpyFormatException(file, "not a .npy file (it does not start with the \\x93NUMPY magic)");
        }
        int major = prefix.get(6) & 0xff;
        int minor = prefix.get(7) & 0xff;
        if (major < 1 || major > 3 || minor != 0) {
            throw new NpyFormatException(file, "unsupported .npy format version " + major + "." + minor
                    + " (versions 1.0, 2.0 and 3.0 are supported)");
        }
        int lengthFieldBytes = major == 1 ? 2 : 4;
        if (prefix.remaining() < 8 + lengthFieldBytes) {
            throw new NpyFormatException(file, "the file ends inside its header");
        }
        long headerLength = major == 1 ? prefix.getShort(8) & 0xffff : prefix.getInt(8) & 0xffffffffL;
        long dataOffset = 8 + lengthFieldBytes + headerLength;
        if (headerLength > MAX_HEADER_BYTES || dataOffset > size) {
            throw new NpyFormatException(file, "the file ends inside its header (header declares "
                    + headerLength + " bytes, file has " + size + ")");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        while (headerBytes.hasRemaining() && channel.read(headerBytes, 8 + lengthFieldBytes + headerBytes.position()) > 0) {
            // a file channel may return fewer bytes than asked
        }
        String text = new String(headerBytes.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader header = parseDict(text, dataOffset, major, file);
        if (size < header.fileBytes()) {
            throw new NpyFormatException(file, "the file is truncated: its header declares shape "
                    + shapeString(header.shape) + " of " + header.dtype.descr() + " (" + header.fileBytes()
                    + " bytes in all) but the file has only " + size + " bytes");
        }
        return header;
    }

    private static boolean startsWithMagic(ByteBuffer buffer) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (buffer.get(i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static NpyHeader parseDict(String text, long dataOffset, int version, Path file) {
        Map<String, Object> dict;
        try {
            dict = new PythonLiteralParser(text.trim()).parseDict();
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(file, "malformed header dictionary (" + e.getMessage() + "): " + excerpt(text.trim()));
        }
        Object descr = dict.get("descr");
        Object fortran = dict.get("fortran_order");
        Object shapeValue = dict.get("shape");
        if (descr == null || fortran == null || shapeValue == null) {
            throw new NpyFormatException(file, "the header lacks one of 'descr', 'fortran_order', 'shape': " + excerpt(text.trim()));
        }
        if (!(descr instanceof String descrText)) {
            throw new NpyFormatException(file, "structured dtypes (descr " + excerpt(String.valueOf(descr)) + ") are not supported; "
                    + "store each field as its own array");
        }
        if (!(fortran instanceof Boolean)) {
            throw new NpyFormatException(file, "'fortran_order' is " + excerpt(String.valueOf(fortran)) + ", not True or False");
        }
        if (Boolean.TRUE.equals(fortran)) {
            throw new NpyFormatException(file, "Fortran-order arrays are not supported; save it in C order "
                    + "(numpy.ascontiguousarray) and try again");
        }
        if (descrText.startsWith(">")) {
            throw new NpyFormatException(file, "big-endian data (" + excerpt(descrText) + ") is not supported; convert it "
                    + "with arr.astype(arr.dtype.newbyteorder('<'))");
        }
        Dtype dtype = Dtype.fromDescr(descrText).orElseThrow(() -> new NpyFormatException(file,
                "unsupported dtype " + excerpt(descrText) + (descrText.contains("O") ? " (object arrays cannot be memory-mapped)" : "")
                        + "; supported: " + Dtype.supportedNames()));
        if (!(shapeValue instanceof List<?> dims)) {
            throw new NpyFormatException(file, "'shape' is not a tuple: " + excerpt(String.valueOf(shapeValue)));
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long dim) || dim < 0) {
                throw new NpyFormatException(file, "'shape' holds " + excerpt(String.valueOf(dims.get(i))) + ", not a non-negative integer");
            }
            shape[i] = dim;
        }
        NpyHeader header = new NpyHeader(dtype, shape, dataOffset, version);
        try {
            Math.addExact(header.dataOffset, header.dataBytes());
        } catch (ArithmeticException e) {
            throw new NpyFormatException(file, "the header declares shape " + shapeString(shape) + " of " + descrText
                    + ", more than 2^63 bytes; the header is corrupt (no file holds that). Write the array again with numpy.save");
        }
        return header;
    }

    /** At most a line of {@code text}, control and non-ASCII characters escaped: a corrupt header may be binary. */
    static String excerpt(String text) {
        int limit = 120;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < limit; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else if (c <= 0xff) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (text.length() > limit) {
            out.append("... (").append(text.length()).append(" characters in all)");
        }
        return out.toString();
    }

    public static String shapeString(long[] shape) {
        return LongStream.of(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", shape.length == 1 ? ",)" : ")"));
    }

    /** Just enough of Python's literal syntax for .npy headers: dicts, tuples, lists, strings, ints, booleans. */
    private static final class PythonLiteralParser {
        /** numpy's headers nest two levels; far deeper nesting is corruption, and would overflow the stack. */
        private static final int MAX_DEPTH = 32;
        private final String text;
        private int pos;
        private int depth;

        PythonLiteralParser(String text) {
            this.text = text;
        }

        Map<String, Object> parseDict() {
            Object value = parseValue();
            skipSpace();
            if (pos != text.length() || !(value instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("expected one dict literal");
            }
            Map<String, Object> result = new LinkedHashMap<>();
            map.forEach((k, v) -> result.put(String.valueOf(k), v));
            return result;
        }

        private Object parseValue() {
            skipSpace();
            if (pos >= text.length()) {
                throw new IllegalArgumentException("unexpected end at " + pos);
            }
            char c = text.charAt(pos);
            if (c == '{' || c == '(' || c == '[') {
                if (++depth > MAX_DEPTH) {
                    throw new IllegalArgumentException("nested more than " + MAX_DEPTH + " levels deep at " + pos);
                }
                Object container = c == '{' ? parseMap() : parseSequence(c == '(' ? ')' : ']');
                depth--;
                return container;
            }
            return c == '\'' || c == '"' ? parseString(c) : parseAtom();
        }

        private Map<Object, Object> parseMap() {
            pos++;
            Map<Object, Object> map = new LinkedHashMap<>();
            while (true) {
                skipSpace();
                if (peek('}')) {
                    pos++;
                    return map;
                }
                Object key = parseValue();
                skipSpace();
                expect(':');
                map.put(key, parseValue());
                skipSpace();
                if (peek(',')) {
                    pos++;
                } else if (!peek('}')) {
                    throw new IllegalArgumentException("expected ',' or '}' at " + pos);
                }
            }
        }

        private List<Object> parseSequence(char close) {
            pos++;
            List<Object> items = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek(close)) {
                    pos++;
                    return items;
                }
                items.add(parseValue());
                skipSpace();
                if (peek(',')) {
                    pos++;
                } else if (!peek(close)) {
                    throw new IllegalArgumentException("expected ',' or '" + close + "' at " + pos);
                }
            }
        }

        private String parseString(char quote) {
            int end = text.indexOf(quote, pos + 1);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated string at " + pos);
            }
            String value = text.substring(pos + 1, end);
            pos = end + 1;
            return value;
        }

        private Object parseAtom() {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '-' || text.charAt(pos) == '_')) {
                pos++;
            }
            String atom = text.substring(start, pos);
            return switch (atom) {
                case "True" -> Boolean.TRUE;
                case "False" -> Boolean.FALSE;
                case "None" -> "None";
                default -> {
                    String digits = atom.endsWith("L") ? atom.substring(0, atom.length() - 1) : atom;
                    try {
                        yield Long.parseLong(digits);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("unexpected token '" + atom + "' at " + start);
                    }
                }
            };
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private boolean peek(char c) {
            return pos < text.length() && text.charAt(pos) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw new IllegalArgumentException("expected '" + c + "' at " + pos);
            }
            pos++;
        }
    }
}
