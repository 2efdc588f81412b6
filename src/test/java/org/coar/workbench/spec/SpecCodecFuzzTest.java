package org.coar.workbench.spec;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.LongStream;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.npy.NpyHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzzing of the spec parser: valid specs with tokens replaced, inserted or deleted, and
 * random bytes (not UTF-8 either). Every input gives a spec or a {@link SpecException} (a
 * {@link WorkbenchException} for a file that is not UTF-8), never another exception; and every
 * accepted spec can be sized and given .npy headers without overflowing.
 */
class SpecCodecFuzzTest {
    private static final long SEED = 1405L;
    private static final int CASES = 4000;
    private static final String VALID = "{\"num_models\": 1000, \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": [2304]}, "
            + "\"margins\": {\"dtype\": \"float16\", \"shape\": [10000]}}}";
    private static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "\"num_models\"", "\"schema\"", "\"dtype\"", "\"shape\"",
        "\"_completed\"", "\"..\"", "\"a/b\"", "0", "-1", "1e400", "1.5", "9223372036854775807", "9223372036854775808",
        "99999999999999999999999", "4294967296", "null", "true", "\"float128\"", "\"uint8\"", "[[[[[[[[[[", "]]]]]]]]]]", "\\u0000",
        "\u00e9", " ", "\n"};

    private final SpecCodec codec = new SpecCodec();

    @Test
    void mutatedSpecsGiveASpecOrASpecExceptionAndAcceptedSpecsSizeWithoutOverflow() {
        Random random = new Random(SEED);
        int accepted = 0;
        for (int i = 0; i < CASES; i++) {
            String text = mutate(random, VALID);
            try {
                StoreSpec spec = codec.parse(text, "fuzz");
                spec.dataBytes();
                spec.schema().values().forEach(a -> NpyHeader.of(a.dtype(), LongStream.concat(LongStream.of(spec.numModels()),
                        LongStream.of(a.rowShape())).toArray()).encode());
                accepted++;
            } catch (SpecException expected) {
                assertTrue(!expected.problems().isEmpty(), text);
            } catch (RuntimeException | Error e) {
                fail("unexpected " + e + " for spec text: " + text, e);
            }
        }
        assertTrue(accepted > 20, "some mutations stay valid (" + accepted + " did)");
    }

    @Test
    void randomBytesInASpecFileGiveAWorkbenchExceptionOnly(@TempDir Path tmp) throws IOException {
        Random random = new Random(SEED + 1);
        Path file = tmp.resolve("spec.json");
        for (int i = 0; i < 500; i++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            if (random.nextBoolean()) {
                byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
                bytes = java.util.Arrays.copyOf(valid, valid.length + 1);
                bytes[random.nextInt(bytes.length)] = (byte) (0x80 + random.nextInt(128)); // an invalid UTF-8 byte somewhere
            }
            Files.write(file, bytes);
            try {
                codec.read(file);
            } catch (WorkbenchException expected) {
                assertTrue(!expected.getMessage().contains("Input length"), expected.getMessage());
            } catch (RuntimeException | Error e) {
                fail("unexpected " + e + " for " + java.util.HexFormat.of().formatHex(bytes), e);
            }
        }
    }

    private static String mutate(Random random, String valid) {
        StringBuilder text = new StringBuilder(valid);
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            int at = text.isEmpty() ? 0 : random.nextInt(text.length());
            String token = TOKENS[random.nextInt(TOKENS.length)];
            switch (random.nextInt(3)) {
                case 0 -> text.insert(at, token);
                case 1 -> text.delete(at, Math.min(text.length(), at + 1 + random.nextInt(6)));
                default -> {
                    // replace a number, where the interesting overflows are
                    int digit = indexOfDigit(text, at);
                    if (digit >= 0) {
                        int end = digit;
                        while (end < text.length() && Character.isDigit(text.charAt(end))) {
                            end++;
                        }
                        text.replace(digit, end, token);
                    }
                }
            }
        }
        return text.toString();
    }

    private static int indexOfDigit(CharSequence text, int from) {
        for (int i = 0; i < text.length(); i++) {
            int j = (from + i) % text.length();
            if (Character.isDigit(text.charAt(j))) {
                return j;
            }
        }
        return -1;
    }
}
