package org.coar.workbench.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RowSplitTest {

    @Test
    void orderedWithoutSeedShuffledAndRepeatableWithOne(@TempDir Path tmp) throws IOException {
        SyntheticStore data = SyntheticStore.generate(1, 40, 3, 1, 0.5, 0.1, 3, -1, -1);
        for (int r = 0; r < 40; r += 4) {
            data.completed[r] = false; // 30 completed rows
        }
        Path dir = data.write(tmp.resolve("store"), "margins", Dtype.FLOAT32);
        try (Store store = Store.open(dir, false)) {
            RowSplit ordered = RowSplit.of(store, FitConfig.builder().optNumTrain(RowCount.of(20)).optNumVal(RowCount.of(5)).build());
            assertEquals(30, ordered.completed());
            int[] completed = java.util.stream.IntStream.range(0, 40).filter(r -> r % 4 != 0).toArray();
            for (int i = 0; i < completed.length; i++) {
                byte want = i < 20 ? RowSplit.TRAIN : i < 25 ? RowSplit.VALIDATION : RowSplit.SKIP;
                assertEquals(want, ordered.subsetOfRow()[completed[i]], "completed row " + completed[i]);
            }
            for (int r = 0; r < 40; r += 4) {
                assertEquals(RowSplit.SKIP, ordered.subsetOfRow()[r], "pending rows are never used");
            }

            FitConfig seeded = FitConfig.builder().optNumTrain(RowCount.fractionOf(0.5)).optNumVal(RowCount.fractionOf(0.2))
                    .optSeed(7L).build();
            RowSplit a = RowSplit.of(store, seeded);
            RowSplit b = RowSplit.of(store, seeded);
            assertArrayEquals(a.subsetOfRow(), b.subsetOfRow(), "same seed, same split");
            assertEquals(15, a.train());
            assertEquals(6, a.validation());
            assertEquals(15, count(a.subsetOfRow(), RowSplit.TRAIN));
            assertEquals(6, count(a.subsetOfRow(), RowSplit.VALIDATION));
            for (int r = 0; r < 40; r += 4) {
                assertEquals(RowSplit.SKIP, a.subsetOfRow()[r]);
            }
            assertFalse(java.util.Arrays.equals(a.subsetOfRow(), RowSplit.of(store,
                    seeded.toBuilder().optSeed(null).build()).subsetOfRow()), "a seed changes the split");
            assertTrue(a.method().contains("data.seed = 7"));

            WorkbenchException e = assertThrows(WorkbenchException.class,
                    () -> RowSplit.of(store, FitConfig.builder().optNumTrain(RowCount.of(0)).optNumVal(RowCount.of(5)).build()));
            assertTrue(e.getMessage().contains("data.num_train"), e.getMessage());
        }
    }

    private static int count(byte[] values, byte v) {
        int n = 0;
        for (byte b : values) {
            if (b == v) {
                n++;
            }
        }
        return n;
    }
}
