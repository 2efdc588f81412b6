package org.coar.workbench.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.JobCancelledException;
import org.coar.workbench.job.Progress;
import org.coar.workbench.npy.Dtype;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures a user can act on: the message names the file, the field and the fix; nothing half-written is left. */
class FitBadInputTest {

    private static SyntheticStore small() {
        return SyntheticStore.generate(3, 120, 8, 3, 0.8, 0.1, 8, -1, -1);
    }

    private static WorkbenchException fails(Path store, Path out, FitConfig config) {
        return assertThrows(WorkbenchException.class, () -> FitOlsTest.fit(store, out, config));
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void storeWithoutCompletedRowsSaysToBuildFirst(@TempDir Path tmp) throws IOException {
        SyntheticStore data = small();
        java.util.Arrays.fill(data.completed, false);
        Path store = data.write(tmp.resolve("store"), "margins", Dtype.FLOAT16);
        WorkbenchException e = fails(store, tmp.resolve("out"), FitConfig.defaults());
        assertTrue(e.getMessage().contains("no completed rows") && e.getMessage().contains("coar build"), e.getMessage());
        assertEquals(List.of("store"), entries(tmp), "no output and no staging directory left");
    }

    @Test
    void fewerCompletedRowsThanTheSplitAsksForSaysHowManyExist(@TempDir Path tmp) throws IOException {
        SyntheticStore data = small();
        for (int r = 100; r < 120; r++) {
            data.completed[r] = false;
        }
        Path store = data.write(tmp.resolve("store"), "margins", Dtype.FLOAT16);
        WorkbenchException e = fails(store, tmp.resolve("out"),
                FitConfig.builder().optNumTrain(RowCount.of(90)).optNumVal(RowCount.of(20)).build());
        assertTrue(e.getMessage().contains("90 + 20 = 110 rows but only 100 of 120 rows are completed"), e.getMessage());
        assertTrue(e.getMessage().contains("lower num_train/num_val"), e.getMessage());
    }

    @Test
    void nonFiniteOutputsNameTheRowsAndAreExcludedOnlyWhenAsked(@TempDir Path tmp) throws IOException {
        SyntheticStore data = small();
        data.outputs[7][1] = Double.NaN;
        data.outputs[55][0] = Double.POSITIVE_INFINITY;
        Path store = data.write(tmp.resolve("store"), "margins", Dtype.FLOAT16);
        WorkbenchException e = fails(store, tmp.resolve("out"), FitConfig.defaults());
        assertTrue(e.getMessage().contains("margins.npy: NaN or Inf outputs") && e.getMessage().contains("2 selected completed rows: rows 7, 55")
                && e.getMessage().contains("--exclude-non-finite"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("out")));

        FitResult result = FitOlsTest.fit(store, tmp.resolve("out"), FitConfig.builder().optExcludeNonFinite(true).build());
        assertEquals(118, result.trainRows() + result.validationRows());
        JsonNode report = new ObjectMapper().readTree(tmp.resolve("out/report.json").toFile());
        assertEquals("[7,55]", report.get("split").get("non_finite_rows_excluded").toString());
        assertTrue(Double.isFinite(Attributions.read(tmp.resolve("out")).weight()[0][0]));
    }

    @Test
    void missingOutputArrayListsWhatTheStoreHas(@TempDir Path tmp) throws IOException {
        Path store = small().write(tmp.resolve("store"), "margins", Dtype.FLOAT16);
        WorkbenchException e = fails(store, tmp.resolve("out"), FitConfig.builder().optOutputArray("test_margins").build());
        assertTrue(e.getMessage().contains("no output array 'test_margins' (--output-array / workbench.output_array); the store has margins, masks"),
                e.getMessage());
        NpyArrayCopy.copy(store.resolve("margins.npy"), store.resolve("logits.npy"));
        WorkbenchException several = fails(store, tmp.resolve("out"), FitConfig.defaults());
        assertTrue(several.getMessage().contains("several output arrays (logits, margins); name the one holding the outputs with --output-array"),
                several.getMessage());
    }

    @Test
    void unwritableOutputFailsBeforeReadingAndLeavesNothing(@TempDir Path tmp) throws IOException {
        Path store = small().write(tmp.resolve("store"), "margins", Dtype.FLOAT16);
        Files.writeString(tmp.resolve("a-file"), "x");
        WorkbenchException e = fails(store, tmp.resolve("a-file/attributions"), FitConfig.defaults());
        assertTrue(e.getMessage().contains("cannot write the attributions directory") && e.getMessage().contains("writable --out"),
                e.getMessage());
        Files.createDirectories(tmp.resolve("taken"));
        Files.writeString(tmp.resolve("taken/weight.npy"), "old");
        WorkbenchException taken = fails(store, tmp.resolve("taken"), FitConfig.defaults());
        assertTrue(taken.getMessage().contains("already exists and is not an empty directory"), taken.getMessage());
        assertEquals(List.of("weight.npy"), entries(tmp.resolve("taken")));
        assertEquals(List.of("a-file", "store", "taken"), entries(tmp));
    }

    @Test
    void cancellingWhileWritingLeavesNoHalfWrittenDirectory(@TempDir Path tmp) throws IOException {
        Path store = small().write(tmp.resolve("store"), "margins", Dtype.FLOAT16);
        Cancellation cancel = new Cancellation();
        List<String> stages = new java.util.concurrent.CopyOnWriteArrayList<>();
        assertThrows(JobCancelledException.class, () -> new FitService().fit(new FitRequest(store, tmp.resolve("out"),
                FitConfig.defaults()), p -> {
                    stages.add(p.stage());
                    if (p.stage().equals(FitStages.WRITING)) {
                        cancel.cancel();
                    }
                }, cancel));
        assertEquals(List.of("store"), entries(tmp), "neither the target nor the hidden staging directory remains");
        assertTrue(stages.containsAll(List.of(FitStages.READING, FitStages.SOLVING, FitStages.WRITING)), stages.toString());
    }

    @Test
    void cancellingWhileReadingRowsEndsWithTheJobExceptionAndWritesNothing(@TempDir Path tmp) throws IOException {
        Path store = small().write(tmp.resolve("store"), "margins", Dtype.FLOAT16);
        Cancellation cancel = new Cancellation();
        List<String> stages = new java.util.concurrent.CopyOnWriteArrayList<>();
        assertThrows(JobCancelledException.class, () -> new FitService().fit(new FitRequest(store, tmp.resolve("out"),
                FitConfig.defaults()), p -> {
                    stages.add(p.stage());
                    if (p.stage().equals(FitStages.READING)) {
                        cancel.cancel();
                    }
                }, cancel));
        assertEquals(List.of("store"), entries(tmp));
        assertFalse(stages.contains(FitStages.WRITING), "a fit cancelled while reading stops there: " + stages);
    }

    @Test
    void cancellingOnALassoPathEndsWithTheJobExceptionAndWritesNothing(@TempDir Path tmp) throws IOException {
        Path store = small().write(tmp.resolve("store"), "margins", Dtype.FLOAT32);
        FitConfig lasso = FitConfig.builder().optSolver(Solver.LASSO, "test").optNumTrain(RowCount.of(90)).optNumVal(RowCount.of(30))
                .optK(10).optEps(1e-3).optManualMaxLambda(-1).optLambdas(List.of()).optIncludeZeroLambda(true).build();
        Cancellation cancel = new Cancellation();
        List<Progress> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        assertThrows(JobCancelledException.class, () -> new FitService().fit(new FitRequest(store, tmp.resolve("out"), lasso), p -> {
            events.add(p);
            if (p.stage().equals(FitStages.SOLVING) && p.total() > 2 && p.done() == 2) {
                cancel.cancel();
            }
        }, cancel));
        assertEquals(List.of("store"), entries(tmp));
        Progress last = events.getLast();
        assertEquals(FitStages.SOLVING, last.stage());
        assertTrue(last.done() < last.total(), "the path stopped before its last λ: " + last);
    }

    @Test
    void masksThatAreNotZeroOneAreRefusedWithTheRow(@TempDir Path tmp) throws IOException {
        Path store = tmp.resolve("store");
        Files.createDirectories(store);
        org.coar.workbench.npy.NpyArray.create(store.resolve("masks.npy"), Dtype.UINT8, 4, 3);
        org.coar.workbench.npy.NpyArray.create(store.resolve("margins.npy"), Dtype.FLOAT32, 4, 2);
        org.coar.workbench.npy.NpyArray.create(store.resolve("_completed.npy"), Dtype.BOOL, 4);
        try (var masks = org.coar.workbench.npy.NpyArray.open(store.resolve("masks.npy"), true);
             var done = org.coar.workbench.npy.NpyArray.open(store.resolve("_completed.npy"), true)) {
            masks.writeRow(2, new double[] {1, 2, 0});
            for (int r = 0; r < 4; r++) {
                done.set(r, 1);
            }
        }
        WorkbenchException e = fails(store, tmp.resolve("out"),
                FitConfig.builder().optNumTrain(RowCount.of(4)).optNumVal(RowCount.of(0)).build());
        assertTrue(e.getMessage().contains("masks.npy: row 2, component 1 has mask value 2.0; keep-masks must be 0/1"), e.getMessage());
    }

    /** Copies a .npy file byte for byte. */
    private static final class NpyArrayCopy {
        static void copy(Path from, Path to) throws IOException {
            Files.copy(from, to);
        }
    }
}
