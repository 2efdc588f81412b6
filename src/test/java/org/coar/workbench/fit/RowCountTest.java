package org.coar.workbench.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.coar.workbench.WorkbenchException;
import org.junit.jupiter.api.Test;

/** The one rule for "a row count or a fraction", as the YAML, the CLI and the Regression panel's fields read it. */
class RowCountTest {
    @Test
    void digitsOnlyAreACountOfRowsEvenOne() {
        assertEquals(RowCount.of(45_000), RowCount.parse("45000", "--num-train"));
        assertEquals(RowCount.of(45_000), RowCount.parse(" 45_000 ", "--num-train"));
        assertEquals(RowCount.of(1), RowCount.parse("1", "--num-train"));
        assertEquals(RowCount.of(0), RowCount.parse("0", "--num-val"));
        assertEquals(1, RowCount.parse("1", "--num-train").resolve(50_000), "1 is one row, not every row");
    }

    @Test
    void aDecimalPointInZeroToOneIsAFractionOfTheCompletedRows() {
        assertEquals(RowCount.fractionOf(0.9), RowCount.parse("0.9", "Training rows"));
        assertEquals(RowCount.fractionOf(0.05), RowCount.parse(".05", "Training rows"));
        assertEquals(RowCount.fractionOf(0.0), RowCount.parse("0.0", "Validation rows"));
        assertEquals(RowCount.fractionOf(1.0), RowCount.parse("1.0", "Training rows"));
        assertEquals(RowCount.fractionOf(1e-3), RowCount.parse("1e-3", "Training rows"));
        assertEquals(50_000, RowCount.parse("1.0", "Training rows").resolve(50_000), "1.0 is every row");
        assertEquals(45_000, RowCount.parse("0.9", "Training rows").resolve(50_000));
    }

    @Test
    void aWholeNumberAboveOneWrittenWithADecimalPointIsACount() {
        assertEquals(RowCount.of(45_000), RowCount.parse("45000.0", "Training rows"));
        assertEquals(RowCount.of(45_000), RowCount.parse("4.5e4", "data.num_train"));
        assertEquals(RowCount.of(2), RowCount.parse("2.0", "--num-val"));
    }

    @Test
    void otherValuesAreRefusedNamingTheFieldAndWhatToWrite() {
        for (String bad : new String[] {"1.5", "45000.5", "-3", "-0.5", "lots", "", "0.9f", "NaN", "Infinity", "1,000", "0x10"}) {
            String message = assertThrows(WorkbenchException.class, () -> RowCount.parse(bad, "Validation rows")).getMessage();
            assertEquals("Validation rows: expected a row count (a whole number, e.g. 45000) or a fraction of the completed rows "
                    + "between 0 and 1 (e.g. 0.9 for 90 %), found \"" + bad + "\"", message);
        }
    }

    @Test
    void aCountNoFitCanReadIsRefusedAsTooManyRows() {
        assertEquals(RowCount.of(2_147_483_639), RowCount.parse("2147483639", "--num-train"));
        for (String huge : new String[] {"2147483640", "100000000000000000000", "1e400"}) {
            String message = assertThrows(WorkbenchException.class, () -> RowCount.parse(huge, "--num-train")).getMessage();
            assertTrue(message.startsWith("--num-train: " + huge + " rows is more than a fit can read (at most 2147483639)"), message);
        }
    }
}
