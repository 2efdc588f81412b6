package org.coar.workbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token ids with their padding as lengths or as an attention mask, made by numpy (tools/make_architecture_fixtures.py). */
class TokenDataTest {
    /** The fixture's lengths, as the script writes them. */
    private static final int[] LENGTHS = {12, 5, 2, 9, 12, 3, 7};

    private static String lm(String name) {
        return Fixtures.resource("lm/" + name).toString();
    }

    private static DataSpec tokens(String ids, String mask) {
        return DataSpec.builder().setPath(ids).optAttentionMask(mask).build();
    }

    private static WorkbenchException failure(DataSpec spec) {
        return assertThrows(WorkbenchException.class, () -> new DataLoader().load(spec));
    }

    private static Path write(Path file, Dtype dtype, long[] shape, long... values) throws IOException {
        NpyArray.create(file, dtype, shape);
        try (NpyArray array = NpyArray.open(file, true)) {
            for (int i = 0; i < values.length; i++) {
                array.setLong(i, values[i]);
            }
        }
        return file;
    }

    @Test
    void lengthsAndAttentionMaskGiveTheSameSequences() throws IOException {
        EvalData byLengths = new DataLoader().load(tokens(lm("tokens.npy"), lm("lengths.npy")));
        EvalData byMask = new DataLoader().load(tokens(lm("tokens.npy"), lm("attention_mask.npy")));
        assertTrue(byLengths.isTokens());
        assertArrayEquals(LENGTHS, byLengths.tokenLengths());
        assertArrayEquals(LENGTHS, byMask.tokenLengths());
        assertArrayEquals(byLengths.inputs(), byMask.inputs());
        assertArrayEquals(new long[] {12}, byLengths.exampleShape());
        assertArrayEquals(new int[7], byLengths.labels(), "token data has no class labels");
        try (NpyArray ids = NpyArray.open(Fixtures.resource("lm/tokens.npy"), false)) {
            for (int i = 0; i < 7 * 12; i++) {
                assertEquals(ids.getLong(i), (long) byLengths.inputs()[i], "id " + i);
            }
        }
        assertTrue(byLengths.description().startsWith("tokens "), byLengths.description());
    }

    @Test
    void theFormatIsTokensWhenAnAttentionMaskIsGivenAndSkipAndLimitSubsample() {
        DataSpec resolved = new DataLoader().resolve(tokens(lm("tokens.npy"), lm("lengths.npy")));
        assertEquals(DataLoader.TOKENS, resolved.format());
        EvalData every3rd = new DataLoader().load(DataSpec.builder().setPath(lm("tokens.npy")).optLimit(2).optSkip(3)
                .optAttentionMask(lm("lengths.npy")).build());
        assertArrayEquals(new int[] {12, 9}, every3rd.tokenLengths(), "sequences 0 and 3");
    }

    @Test
    void withoutAMaskEverySequenceFillsAllPositions() {
        EvalData data = new DataLoader().load(DataSpec.builder().setPath(lm("tokens.npy")).optFormat("tokens").build());
        assertArrayEquals(new int[] {12, 12, 12, 12, 12, 12, 12}, data.tokenLengths());
    }

    @Test
    void anAttentionMaskThatIsNotRightPaddedIsRefused(@TempDir Path dir) throws IOException {
        Path ids = write(dir.resolve("ids.npy"), Dtype.INT64, new long[] {2, 4}, 1, 2, 3, 4, 5, 6, 7, 8);
        Path left = write(dir.resolve("left.npy"), Dtype.INT64, new long[] {2, 4}, 1, 1, 1, 1, 0, 0, 1, 1);
        String message = failure(tokens(ids.toString(), left.toString())).getMessage();
        assertTrue(message.contains("row 1 of the attention mask is not right-padded: position 2 is 1 after padding began at 0"), message);
        Path two = write(dir.resolve("two.npy"), Dtype.INT64, new long[] {2, 4}, 1, 1, 2, 0, 1, 1, 0, 0);
        assertTrue(failure(tokens(ids.toString(), two.toString())).getMessage().contains("the attention mask holds 2 at [0, 2]"));
    }

    @Test
    void sequencesNeedTwoTokensAndLengthsMustFit(@TempDir Path dir) throws IOException {
        Path ids = write(dir.resolve("ids.npy"), Dtype.INT32, new long[] {2, 4}, 1, 2, 3, 4, 5, 6, 7, 8);
        Path one = write(dir.resolve("one.npy"), Dtype.INT64, new long[] {2}, 4, 1);
        assertTrue(failure(tokens(ids.toString(), one.toString())).getMessage().contains("sequence 1 has 1 real token; each needs at least 2"));
        Path five = write(dir.resolve("five.npy"), Dtype.INT64, new long[] {2}, 5, 2);
        assertTrue(failure(tokens(ids.toString(), five.toString())).getMessage().contains("length 5 of sequence 0 is outside 0..4"));
        Path wrongShape = write(dir.resolve("shape.npy"), Dtype.INT64, new long[] {3}, 2, 2, 2);
        assertTrue(failure(tokens(ids.toString(), wrongShape.toString())).getMessage()
                .contains("has shape [3], but the token ids are (2, 4); give the attention mask (2, 4) or the lengths (2,)"));
    }

    @Test
    void idsMustBeNonNegativeIntegers(@TempDir Path dir) throws IOException {
        Path negative = write(dir.resolve("neg.npy"), Dtype.INT64, new long[] {1, 3}, 4, -100, 2);
        String message = failure(DataSpec.builder().setPath(negative.toString()).optFormat("tokens").build()).getMessage();
        assertTrue(message.contains("token id -100 at [0, 1] is negative; pad with a real token id"), message);
        Path floats = dir.resolve("floats.npy");
        NpyArray.create(floats, Dtype.FLOAT32, 1, 3);
        assertTrue(failure(DataSpec.builder().setPath(floats.toString()).optFormat("tokens").build()).getMessage()
                .contains("token ids are float32; use an integer dtype"));
    }

    @Test
    void imageOptionsAndLabelsAreRefusedForTokensAndTheMaskForOtherFormats() {
        WorkbenchException labels = failure(DataSpec.builder().setPath(lm("tokens.npy")).optFormat("tokens")
                .optLabels(lm("lengths.npy")).build());
        assertTrue(labels.getMessage().contains("is not used with token data"), labels.getMessage());
        WorkbenchException crop = failure(DataSpec.builder().setPath(lm("tokens.npy")).optCrop(8)
                .optAttentionMask(lm("lengths.npy")).build());
        assertTrue(crop.getMessage().contains("are for images, not token data"), crop.getMessage());
        WorkbenchException mask = failure(DataSpec.builder().setPath(lm("tokens.npy")).optFormat("npy")
                .optLabels(lm("lengths.npy")).optAttentionMask(lm("lengths.npy")).build());
        assertTrue(mask.getMessage().contains("is for token data (--data-format tokens), not npy data"), mask.getMessage());
    }
}
