package org.coar.workbench.npy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the .npy header parser through {@link NpyArray#open}: random bytes, valid
 * headers with bytes mutated, truncated or inserted, and header dictionaries built from Python
 * literal fragments. Whatever the bytes, opening either succeeds with the data inside the file or
 * fails with {@link NpyFormatException}; nothing else is thrown, and nothing outside the file is
 * read (every element of an opened array is read back) or written (a writable open changes no byte).
 */
class NpyHeaderFuzzTest {
    private static final long SEED = 20240514L;
    private static final int CASES = 3000;
    private static final String[] FRAGMENTS = {"{", "}", "(", ")", "[", "]", ",", ":", " ", "'descr'", "'fortran_order'", "'shape'",
        "'<f4'", "'|b1'", "'<i8'", "'>f8'", "'<U3'", "'|O'", "True", "False", "None", "0", "1", "3", "-1", "9223372036854775807",
        "18446744073709551616", "4294967296", "1L", "'", "\"", "\n", "\u00e9", "\u0000", "((((((((", "))"};

    @Test
    void noBytesMakeTheParserThrowAnythingButTheFormatErrorOrReadOutsideTheFile(@TempDir Path tmp) throws IOException {
        Random random = new Random(SEED);
        Path file = tmp.resolve("fuzz.npy");
        int opened = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] bytes = switch (i % 3) {
                case 0 -> randomBytes(random);
                case 1 -> mutatedValidFile(random);
                default -> literalSoup(random);
            };
            Files.write(file, bytes);
            opened += check(file, bytes, false) ? 1 : 0;
            opened += check(file, bytes, true) ? 1 : 0;
        }
        assertTrue(opened > 50, "the mutations must also produce files that open (" + opened + " did)");
    }

    /** True when the file opened; fails the test on anything but success or NpyFormatException. */
    private static boolean check(Path file, byte[] bytes, boolean writable) throws IOException {
        try (NpyArray array = NpyArray.open(file, writable)) {
            NpyHeader header = array.header();
            long size = Files.size(file);
            assertTrue(header.dataOffset() >= 10 && header.fileBytes() <= size, "data beyond the file: " + describe(bytes));
            long elements = header.elementCount();
            for (long index : new long[] {0, elements / 2, elements - 1}) {
                if (index >= 0 && index < elements && header.dataBytes() > 0) {
                    array.get(index);
                }
            }
            return true;
        } catch (NpyFormatException expected) {
            assertTrue(expected.getMessage().length() < 2000, "a short message, not the file: " + expected.getMessage().length());
            return false;
        } catch (RuntimeException | Error | IOException e) {
            fail("unexpected " + e + " for " + describe(bytes), e);
            return false;
        } finally {
            assertEquals(bytes.length, Files.size(file), "opening must never change the file's size");
            assertTrue(Arrays.equals(bytes, Files.readAllBytes(file)), "opening must never change the file");
        }
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(300)];
        random.nextBytes(bytes);
        if (bytes.length >= 8 && random.nextBoolean()) {
            System.arraycopy(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) (1 + random.nextInt(3)), 0}, 0, bytes, 0, 8);
        }
        return bytes;
    }

    private static byte[] mutatedValidFile(Random random) {
        Dtype[] dtypes = Dtype.values();
        long[] shape = new long[random.nextInt(4)];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = random.nextInt(5);
        }
        NpyHeader header = NpyHeader.of(dtypes[random.nextInt(dtypes.length)], shape);
        byte[] valid = Arrays.copyOf(header.encode(), (int) header.fileBytes());
        byte[] bytes = valid;
        int mutations = random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            switch (random.nextInt(4)) {
                case 0 -> {
                    if (bytes.length > 0) {
                        bytes[at] = (byte) random.nextInt(256);
                    }
                }
                case 1 -> bytes = Arrays.copyOf(bytes, at); // truncated
                case 2 -> {
                    byte[] longer = new byte[bytes.length + 1 + random.nextInt(8)];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    System.arraycopy(bytes, at, longer, longer.length - (bytes.length - at), bytes.length - at);
                    bytes = longer;
                }
                default -> {
                    if (bytes.length >= 10) { // the header-length field, whatever it says
                        bytes[8] = (byte) random.nextInt(256);
                        bytes[9] = (byte) random.nextInt(256);
                    }
                }
            }
        }
        return bytes;
    }

    private static byte[] literalSoup(Random random) {
        StringBuilder dict = new StringBuilder();
        int parts = random.nextInt(40);
        for (int p = 0; p < parts; p++) {
            dict.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
        }
        if (random.nextInt(4) == 0) {
            dict.setLength(0);
            dict.append("{'descr': '<f4', 'fortran_order': False, 'shape': (").append(random.nextLong() >>> random.nextInt(64))
                    .append(", ").append(random.nextInt(1 << 20)).append("), }");
        }
        byte[] text = dict.toString().getBytes(random.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int version = 1 + random.nextInt(3);
        int prefix = version == 1 ? 10 : 12;
        int declared = random.nextInt(8) == 0 ? random.nextInt(1 << 16) : text.length;
        ByteBuffer buffer = ByteBuffer.allocate(prefix + text.length + random.nextInt(64)).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) {
            buffer.putShort((short) declared);
        } else {
            buffer.putInt(declared);
        }
        buffer.put(text);
        return buffer.array();
    }

    private static String describe(byte[] bytes) {
        return bytes.length + " bytes: " + HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 200));
    }

    @Test
    void aHeaderLengthLargerThanTheHeaderShowsAShortEscapedExcerptNotTheData(@TempDir Path tmp) throws IOException {
        NpyHeader header = NpyHeader.of(Dtype.FLOAT32, 20000);
        byte[] bytes = Arrays.copyOf(header.encode(), (int) header.fileBytes());
        Random random = new Random(1);
        for (int at = (int) header.dataOffset(); at < bytes.length; at++) {
            bytes[at] = (byte) random.nextInt(256); // binary data
        }
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(8, (short) 60000); // the dict now runs into the data
        Path file = Files.write(tmp.resolve("long-header.npy"), bytes);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyArray.open(file, false));
        assertTrue(e.getMessage().startsWith(file + ": malformed header dictionary"), e.getMessage());
        assertTrue(e.getMessage().length() < 400, e.getMessage().length() + " characters: " + e.getMessage());
        assertTrue(e.getMessage().chars().allMatch(c -> c >= 0x20 && c < 0x7f), "printable ASCII only: " + e.getMessage());
        assertTrue(e.getMessage().contains("characters in all)"), e.getMessage());
    }

    @Test
    void aShapeWhoseByteSizeOverflowsIsAFormatErrorNamingTheFile(@TempDir Path tmp) throws IOException {
        byte[] bytes = new NpyHeader(Dtype.FLOAT64, new long[] {1L << 40, 1L << 40}, 128, 1).encode();
        Path file = Files.write(tmp.resolve("huge.npy"), bytes);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> NpyArray.open(file, false));
        assertTrue(e.getMessage().startsWith(file + ": the header declares shape (1099511627776, 1099511627776) of <f8, more than "
                + "2^63 bytes"), e.getMessage());
    }
}
