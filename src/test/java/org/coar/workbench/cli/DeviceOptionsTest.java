package org.coar.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeviceOptionsTest {
    @Test
    void batchSizeIsAPositiveNumberOrAutoElseAUsageError() {
        for (String command : new String[] {"build", "eval", "edit"}) {
            CoarRun run = CoarRun.coar(command, "--store", "/nonexistent", "--batch-size", "0");
            assertEquals(2, run.exitCode(), run.err());
            assertTrue(run.err().contains("expected a positive number or auto, got '0'"), run.err());
        }
        CoarRun help = CoarRun.coar("build", "--help");
        assertTrue(help.out().contains("or auto (default)"), help.out());
    }

    @Test
    void aMisspeltDeviceIsAUsageError() {
        for (String command : new String[] {"build", "eval", "edit"}) {
            CoarRun run = CoarRun.coar(command, "--store", "/nonexistent", "--devices", "cpu,tpu");
            assertEquals(2, run.exitCode(), run.err());
            assertTrue(run.err().contains("unknown device 'tpu'; use cpu or cuda:N (comma-separated), or auto"), run.err());
        }
    }
}
