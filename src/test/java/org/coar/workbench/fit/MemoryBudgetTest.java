package org.coar.workbench.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryBudgetTest {

    @TempDir
    Path dir;

    private MemoryBudget budgetFor(long totalKib, long availableKib) throws IOException {
        Path meminfo = dir.resolve("meminfo");
        Files.writeString(meminfo, "MemTotal:       " + totalKib + " kB\nMemFree:        1000 kB\n"
                + "MemAvailable:   " + availableKib + " kB\n");
        return MemoryBudget.host(meminfo);
    }

    @Test
    void aBusyMachinePlansWithItsAvailableMemoryLessTheMargin() throws IOException {
        // 24 GiB machine, 8 GiB available: 8 GiB less max(1 GiB, 5 %) = 7 GiB.
        MemoryBudget budget = budgetFor(24L << 20, 8L << 20);
        assertEquals(7L << 30, budget.bytes());
    }

    @Test
    void anIdleMachineIsPlannedAtMostToEightyPercent() throws IOException {
        // 24 GiB machine with 23.5 GiB available: the margin alone would leave 22.3 GiB; the cap gives 19.2 GiB.
        MemoryBudget budget = budgetFor(24L << 20, 47L << 19);
        assertEquals((24L << 30) / 5 * 4, budget.bytes());
    }

    @Test
    void aLargeMachineKeepsFivePercentFree() throws IOException {
        // 256 GiB machine with 100 GiB available: 5 % of it (5 GiB) is more than the 1 GiB margin.
        MemoryBudget budget = budgetFor(256L << 20, 100L << 20);
        assertEquals((100L << 30) - (100L << 30) / 20, budget.bytes());
    }
}
