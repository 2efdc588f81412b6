package org.coar.workbench.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fit-side defects of issue 14: config messages, leftovers of killed fits, and warnings. */
class FitRobustnessTest {
    private final FitConfigReader reader = new FitConfigReader();

    private static String problem(FitConfigReader reader, String yaml) {
        return assertThrows(WorkbenchException.class, () -> reader.parse(yaml, "c.yaml")).getMessage();
    }

    @Test
    void aRowCountNoStoreCanHoldIsRefusedAsTooManyRowsNotAsTooFew() {
        String message = problem(reader, "data:\n  num_train: 100000000000000000000\n");
        assertTrue(message.contains("data.num_train: 100000000000000000000 rows is more than a fit can read (at most 2147483639)"),
                message);
        assertFalse(message.toLowerCase().contains("raise"), message);
    }

    @Test
    void aRowCountBeyondTheCompletedRowsIsRefusedWithoutOverflowingTheSum(@TempDir Path tmp) throws Exception {
        Path store = SyntheticStore.generate(3, 40, 6, 2, 0.8, 0.1, 6, -1, -1).write(tmp.resolve("store"), "margins", Dtype.FLOAT32);
        FitConfig config = FitConfig.builder().optNumTrain(RowCount.of(RowCount.MAX_ROWS))
                .optNumVal(RowCount.of(RowCount.MAX_ROWS)).build();
        try (Store opened = Store.open(store, false)) {
            WorkbenchException e = assertThrows(WorkbenchException.class, () -> RowSplit.of(opened, config));
            assertTrue(e.getMessage().contains("only 40 of 40 rows are completed"), e.getMessage());
        }
    }

    @Test
    void epsZeroSaysGreaterThanZeroNotTheSmallestDouble() {
        String message = problem(reader, "cfg:\n  eps: 0\n");
        assertEquals("c.yaml: cfg.eps: must be in (0, 1] (greater than 0), found 0.0", message);
        assertFalse(message.contains("E-324"), message);
    }

    @Test
    void aConfigThatIsNotUtf8NamesTheByteAndTheFix(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("latin1.yaml");
        Files.write(file, "data:\n  # r\u00e9gression\n  num_train: 10\n".getBytes(StandardCharsets.ISO_8859_1));
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> reader.read(file));
        assertEquals(file + ": the regression config is not UTF-8 text: byte 0xE9 at offset 11 (line 2) is not valid UTF-8 "
                + "(a Latin-1 or Windows-1252 file?). Save the file as UTF-8", e.getMessage());
    }

    @Test
    void aSectionOrKeyGivenTwiceIsRefusedInsteadOfTheLastWinningSilently() {
        String section = problem(reader, "data:\n  num_train: 10\ncfg:\n  k: 1\ndata:\n  num_train: 20\n");
        assertTrue(section.startsWith("c.yaml, line 5: 'data' is given twice in one mapping"), section);
        String key = problem(reader, "data:\n  num_train: 10\n  num_train: 20\n");
        assertTrue(key.contains("'num_train' is given twice"), key);
    }

    @Test
    void stagingDirectoriesOfKilledFitsAreRemovedByTheNextFit(@TempDir Path tmp) throws Exception {
        Path store = SyntheticStore.generate(3, 60, 6, 2, 0.8, 0.1, 6, -1, -1).write(tmp.resolve("store"), "margins", Dtype.FLOAT32);
        Path out = tmp.resolve("attributions");
        // A fit of this host killed with kill -9: its process is gone.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String host = java.net.InetAddress.getLocalHost().getHostName();
        Path killed = Files.createDirectories(tmp.resolve(".attributions.partial-" + gone.pid() + "-0badcafe-" + host));
        Files.writeString(killed.resolve("weight.npy"), "half");
        // One of a live process (this one), and one of another host: both left alone.
        Path live = Files.createDirectories(tmp.resolve(".attributions.partial-" + ProcessHandle.current().pid() + "-12345678-" + host));
        Path remote = Files.createDirectories(tmp.resolve(".attributions.partial-" + gone.pid() + "-12345678-elsewhere.example"));

        FitOlsTest.fit(store, out, FitConfig.defaults());
        assertFalse(Files.exists(killed), "the dead fit's leftover is removed");
        assertTrue(Files.isDirectory(live) && Files.isDirectory(remote));
        try (Stream<Path> entries = Files.list(tmp)) {
            assertEquals(java.util.Set.of(".attributions.partial-" + gone.pid() + "-12345678-elsewhere.example",
                    ".attributions.partial-" + ProcessHandle.current().pid() + "-12345678-" + host, "attributions", "store"),
                    entries.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                    "only the attributions and the leftovers that may still be in use");
        }
    }

    @Test
    void rowsThatTheDefaultSplitLeavesUnusedByRoundingAreWarnedAbout(@TempDir Path tmp) throws Exception {
        Path store = SyntheticStore.generate(3, 15, 4, 2, 0.8, 0.1, 4, -1, -1).write(tmp.resolve("store"), "margins", Dtype.FLOAT32);
        try (Store opened = Store.open(store, false)) {
            RowSplit split = RowSplit.of(opened, FitConfig.defaults());
            assertEquals(List.of("data.num_train 0.9 and data.num_val 0.1 of the 15 completed rows round down to 13 + 1 rows, so 1 "
                    + "completed row(s) are used neither to train nor to validate; give counts (e.g. data.num_train: 14) to use "
                    + "every row"), FitWarnings.forSplit(split, FitConfig.defaults()));
            FitConfig counts = FitConfig.builder().optNumTrain(RowCount.of(13)).optNumVal(RowCount.of(1)).build();
            assertEquals(List.of(), FitWarnings.forSplit(RowSplit.of(opened, counts), counts), "counts that leave rows out mean it");
        }
    }

    @Test
    void attributionsThatAreAllZeroOrUnderdeterminedAreWarnedAbout() {
        FitResult constant = new FitResult(Path.of("a"), Solver.OLS, 50, 0, 50, 8, 8, 3, Double.NaN, java.util.Map.of(), null, -1, List.of());
        assertTrue(FitWarnings.forResult(constant).getFirst().startsWith("every one of the 8 components was constant over the fitted "
                + "rows"), FitWarnings.forResult(constant).toString());
        FitResult few = new FitResult(Path.of("a"), Solver.OLS, 20, 0, 20, 240, 0, 3, Double.NaN, java.util.Map.of(), null, -1, List.of());
        assertEquals(List.of("the fit used 20 training rows for 240 components: fewer rows than unknowns, so least squares has many "
                + "solutions and the workbench returns the minimum-norm one; the attributions are poorly determined. Build at least "
                + "2000 rows (about 8 per component)"), FitWarnings.forResult(few));
        FitResult fine = new FitResult(Path.of("a"), Solver.OLS, 500, 0, 500, 24, 1, 3, Double.NaN, java.util.Map.of(), null, -1, List.of());
        assertEquals(List.of(), FitWarnings.forResult(fine));
    }
}
