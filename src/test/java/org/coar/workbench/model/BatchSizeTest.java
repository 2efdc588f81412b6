package org.coar.workbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.coar.workbench.WorkbenchException;
import org.junit.jupiter.api.Test;

class BatchSizeTest {
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;

    @Test
    void halfOfTheMemoryLeftAfterTheInputsGoesToActivations() {
        // 10 GiB free, 2 GiB of inputs, 10 MiB per example: (8 GiB / 2) / 10 MiB = 409.6
        assertEquals(409, BatchSize.fromMemory(10 * GIB, 2 * GIB, 10 * MIB, 50_000, "cuda:0"));
        assertEquals(300, BatchSize.fromMemory(10 * GIB, 2 * GIB, 10 * MIB, 300, "cuda:0"), "never more than the examples");
        assertEquals(BatchSize.GPU_MAX, BatchSize.fromMemory(140 * GIB, 0, MIB, 50_000, "cuda:0"));
        assertEquals(1, BatchSize.fromMemory(2 * GIB + 15 * MIB, 2 * GIB, 10 * MIB, 1000, "cuda:0"));
    }

    @Test
    void inputsThatDoNotFitAreRefusedWithTheSizes() {
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> BatchSize.fromMemory(4 * GIB, 30 * GIB, 25 * MIB, 50_000, "cuda:1"));
        assertTrue(e.getMessage().startsWith("cuda:1 has 4.0 GiB free, but the evaluation inputs take 30.0 GiB on it"), e.getMessage());
        assertTrue(e.getMessage().contains("--limit"), e.getMessage());
    }

    @Test
    void parsesNumbersAndAuto() {
        assertEquals(BatchSize.AUTO, BatchSize.parse("auto"));
        assertEquals(BatchSize.AUTO, BatchSize.parse(" "));
        assertEquals(64, BatchSize.parse("64"));
        for (String bad : new String[] {"0", "-3", "many"}) {
            WorkbenchException e = assertThrows(WorkbenchException.class, () -> BatchSize.parse(bad));
            assertTrue(e.getMessage().contains("positive number or auto"), e.getMessage());
        }
    }

    @Test
    void autoOnTheCpuIsTheSingleThreadedDefaultAndARequestIsKept() {
        try (TorchModel model = TorchModel.load(ModelFixtures.demoModel(), Device.cpu())) {
            assertEquals(BatchSize.CPU_DEFAULT, BatchSize.choose(BatchSize.AUTO, model, ModelFixtures.demoData(50)));
            assertEquals(7, BatchSize.choose(7, model, ModelFixtures.demoData(50)));
        }
    }
}
