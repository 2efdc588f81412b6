package org.coar.workbench.attributions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading attribution directories, and the prediction formula of DESIGN.md worked by hand. */
class AttributionsTest {

    /** p = 3 components, m = 2 examples; component 2 never varied (std 0). */
    private static Path small(Path dir) throws IOException {
        Files.createDirectories(dir);
        AttributionsFixture.matrix(dir.resolve("weight.npy"), new float[][] {{1, -2}, {0.5f, 4}, {9, 9}});
        AttributionsFixture.vector(dir.resolve("bias.npy"), new double[] {10, 20});
        AttributionsFixture.vector(dir.resolve("mask_mean.npy"), new double[] {0.5, 0.75, 1});
        AttributionsFixture.vector(dir.resolve("mask_std.npy"), new double[] {0.5, 0.25, 0});
        return dir;
    }

    @Test
    void predictionIsTheStandardisedMaskTimesWeightPlusBias(@TempDir Path tmp) throws IOException {
        try (Attributions a = Attributions.load(small(tmp.resolve("a")))) {
            assertEquals(3, a.components());
            assertEquals(2, a.examples());
            // x = (1, 0, 0): z = ((1 - .5)/.5, (0 - .75)/.25, 0) = (1, -3, 0)
            //   example 0: 1*1 + -3*0.5 + 10 = 9.5;  example 1: 1*-2 + -3*4 + 20 = 6
            assertArrayEquals(new float[] {9.5f, 6f}, a.predict(new boolean[] {true, false, false}), 1e-6f);
            // x = (0, 1, 1): z = (-1, 1, 0): example 0: -1 + 0.5 + 10 = 9.5; example 1: 2 + 4 + 20 = 26
            float[][] block = a.predict(List.of(new boolean[] {false, true, true}, new boolean[] {true, false, false}));
            assertArrayEquals(new float[] {9.5f, 26f}, block[0], 1e-6f);
            assertArrayEquals(new float[] {9.5f, 6f}, block[1], 1e-6f);
            // raw scores = weight / std (0 where std is 0), per example
            float[][] raw = a.rawScores(new int[] {1, 0});
            assertArrayEquals(new float[] {-4, 16, 0}, raw[0], 1e-6f);
            assertArrayEquals(new float[] {2, 2, 0}, raw[1], 1e-6f);
            assertThrows(WorkbenchException.class, () -> a.rawScores(new int[] {2}));
            assertFalse(a.componentList().isPresent());
        }
    }

    @Test
    void missingFilesAndMismatchedShapesAreNamed(@TempDir Path tmp) throws IOException {
        Path dir = small(tmp.resolve("a"));
        Files.delete(dir.resolve("bias.npy"));
        Files.delete(dir.resolve("mask_std.npy"));
        WorkbenchException missing = assertThrows(WorkbenchException.class, () -> Attributions.load(dir));
        assertTrue(missing.getMessage().contains("missing bias.npy, mask_std.npy"), missing.getMessage());

        Path shapes = small(tmp.resolve("b"));
        AttributionsFixture.vector(shapes.resolve("bias.npy"), new double[] {1, 2, 3});
        WorkbenchException bias = assertThrows(WorkbenchException.class, () -> Attributions.load(shapes));
        assertTrue(bias.getMessage().endsWith("bias.npy: shape (3,), expected (2,) (num_examples = 2, from weight.npy (3, 2))"),
                bias.getMessage());

        Path raw = small(tmp.resolve("c"));
        AttributionsFixture.matrix(raw.resolve("raw_weight.npy"), new float[][] {{1, 2, 3}, {4, 5, 6}});
        WorkbenchException rawShape = assertThrows(WorkbenchException.class, () -> Attributions.load(raw));
        assertTrue(rawShape.getMessage().contains("raw_weight.npy: shape (2, 3) differs from weight.npy (3, 2)"), rawShape.getMessage());

        Path oneD = small(tmp.resolve("d"));
        AttributionsFixture.vector(oneD.resolve("weight.npy"), new double[] {1, 2});
        WorkbenchException weight = assertThrows(WorkbenchException.class, () -> Attributions.load(oneD));
        assertTrue(weight.getMessage().contains("weight.npy: expected shape (num_components, num_examples), found (2,)"),
                weight.getMessage());

        WorkbenchException absent = assertThrows(WorkbenchException.class, () -> Attributions.load(tmp.resolve("nothing")));
        assertTrue(absent.getMessage().contains("no such attributions directory"), absent.getMessage());
    }

    @Test
    void storeRowsToCheckFollowTheFitsReport(@TempDir Path tmp) throws IOException {
        Path storeDir = tmp.resolve("store");
        Store.create(storeDir, new SpecCodec().parse("{\"num_models\": 10, \"schema\": {\"masks\": {\"dtype\": \"bool_\", "
                + "\"shape\": [3]}, \"y\": {\"dtype\": \"float32\", \"shape\": [2]}}}", "spec"));
        try (Store store = Store.open(storeDir, true)) {
            for (long row : new long[] {0, 1, 2, 3, 5, 6, 7, 8}) { // row 4 and 9 pending
                store.writeRow(row, java.util.Map.of("masks", new boolean[3], "y", new float[2]));
            }
        }
        Path dir = small(tmp.resolve("a"));
        try (Store store = Store.open(storeDir, false)) {
            assertEquals(0, split(dir, null, store).rows().length);
            assertTrue(split(dir, null, store).description().startsWith("no report.json"));
            // ordered split: train = completed rows 0,1,2,3; validation = 5,6; never seen = 7,8
            FitSplit.Rows unused = split(dir, "{\"split\": {\"method\": \"ordered\", \"train_rows\": 4, \"validation_rows\": 2, "
                    + "\"final_fit_rows\": 6}}", store);
            assertArrayEquals(new long[] {7, 8}, unused.rows());
            assertFalse(unused.inSample());
            FitSplit.Rows refit = split(dir, "{\"split\": {\"method\": \"ordered\", \"train_rows\": 4, \"validation_rows\": 4, "
                    + "\"final_fit_rows\": 8}}", store);
            assertArrayEquals(new long[] {5, 6, 7, 8}, refit.rows());
            assertTrue(refit.inSample(), "the final fit was refitted on the validation rows");
            FitSplit.Rows listed = split(dir, "{\"split\": {\"held_out_rows\": [8, 4, 2, 99]}}", store);
            assertArrayEquals(new long[] {8, 2}, listed.rows(), "pending and out-of-range rows are dropped");
            FitSplit.Rows shuffled = split(dir, "{\"split\": {\"method\": \"completed rows shuffled with data.seed = 3\", "
                    + "\"train_rows\": 4, \"validation_rows\": 2}}", store);
            assertEquals(0, shuffled.rows().length);
            assertTrue(shuffled.description().contains("does not say which rows"), shuffled.description());
        }
    }

    private static FitSplit.Rows split(Path dir, String report, Store store) throws IOException {
        Files.deleteIfExists(dir.resolve("report.json"));
        if (report != null) {
            Files.writeString(dir.resolve("report.json"), report);
        }
        try (Attributions a = Attributions.load(dir)) {
            return a.split().rowsToCheck(store);
        }
    }

    @Test
    void float64AndFloat16ArraysAreAcceptedAsWritten(@TempDir Path tmp) throws IOException {
        Path dir = small(tmp.resolve("a"));
        Files.delete(dir.resolve("bias.npy"));
        NpyArray.create(dir.resolve("bias.npy"), Dtype.FLOAT64, 2);
        try (NpyArray bias = NpyArray.open(dir.resolve("bias.npy"), true)) {
            bias.set(0, 10);
            bias.set(1, 20);
        }
        try (Attributions a = Attributions.load(dir)) {
            assertArrayEquals(new float[] {9.5f, 6f}, a.predict(new boolean[] {true, false, false}), 1e-6f);
        }
    }

    @Test
    void defaultAttributionsAreInTheStoreElseBesideIt(@TempDir Path tmp) throws IOException {
        Path store = Files.createDirectories(tmp.resolve("project/store"));
        assertEquals(java.util.Optional.empty(), Attributions.defaultFor(store));
        Files.createDirectories(tmp.resolve("project/attributions"));
        assertEquals(java.util.Optional.empty(), Attributions.defaultFor(store), "a folder without weight.npy is not attributions");
        Files.writeString(tmp.resolve("project/attributions/weight.npy"), "");
        assertEquals(java.util.Optional.of(tmp.resolve("project/attributions")), Attributions.defaultFor(store));
        Files.createDirectories(store.resolve("attributions"));
        Files.writeString(store.resolve("attributions/weight.npy"), "");
        assertEquals(java.util.Optional.of(store.resolve("attributions")), Attributions.defaultFor(store), "the store's own come first");
    }
}
