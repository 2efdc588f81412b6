package org.coar.workbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.List;
import java.util.Map;
import org.coar.workbench.WorkbenchException;
import org.junit.jupiter.api.Test;

class DevicesTest {
    @Test
    void namesParseInAnyCaseAndWriteBackCanonically() {
        assertEquals(Device.cpu(), Devices.parse(" CPU "));
        assertEquals(Device.gpu(3), Devices.parse("cuda:3"));
        assertEquals(Device.gpu(1), Devices.parse("GPU:1"));
        assertEquals("cuda:3", Devices.name(Devices.parse("gpu:3")));
        assertEquals("cpu", Devices.name(Device.cpu()));
        for (String bad : List.of("tpu", "cuda:", "cuda:x", "cuda:-1", "")) {
            WorkbenchException e = assertThrows(WorkbenchException.class, () -> Devices.parse(bad));
            assertEquals("--devices: unknown device '" + bad + "'; use cpu or cuda:N (comma-separated), or auto", e.getMessage());
        }
    }

    @Test
    void eachGpuIsOneWorkerAndTheCpuOnePerCpuWorker() {
        assertEquals(List.of(Device.gpu(0), Device.cpu(), Device.cpu(), Device.cpu(), Device.gpu(1)),
                Devices.perWorker(List.of(Device.gpu(0), Device.cpu(), Device.gpu(1)), 3));
        assertEquals(Runtime.getRuntime().availableProcessors(), Devices.perWorker(List.of(Device.cpu()), 0).size(),
                "0: one per core");
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Devices.perWorker(List.of(Device.cpu()), -1));
        assertEquals("--cpu-workers must be 0 (one per core) or more, got -1", e.getMessage());
    }

    @Test
    void autoOrNothingMeansEveryGpuElseTheCpuAndAbsentDevicesAreRefused() {
        List<Device> gpus = Devices.available().stream().filter(Device::isGpu).toList();
        List<Device> expected = gpus.isEmpty() ? List.of(Device.cpu()) : gpus;
        assertEquals(expected, Devices.resolve(List.of()));
        assertEquals(expected, Devices.resolve(List.of("auto")));
        assertEquals(List.of(Device.cpu()), Devices.resolve(List.of("cpu", "CPU")), "a device named twice is one");
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Devices.resolve(List.of("cuda:63")));
        assertTrue(e.getMessage().startsWith("--devices: cuda:63 is not available here; available: cpu"), e.getMessage());
    }

    @Test
    void autocastNeedsGpuWorkersOnly() {
        Devices.checkAutocast(true, List.of(Device.gpu(0), Device.gpu(1)));
        Devices.checkAutocast(false, List.of(Device.cpu()));
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> Devices.checkAutocast(true, List.of(Device.gpu(0), Device.cpu())));
        assertTrue(e.getMessage().startsWith("--autocast: rows made under CUDA autocast (float16) need GPU workers only"), e.getMessage());
    }

    @Test
    void aDeviceIsDescribedByItsProductNameAndMemory() {
        GpuMemory h200 = new GpuMemory(150_000_000_000L, 100_000_000_000L);
        assertEquals("cuda:1 — NVIDIA H200 (140 GiB)", Devices.describe(Device.gpu(1), Map.of(1, "NVIDIA H200"), h200, 16));
        assertEquals("cuda:0 — GPU 0", Devices.describe(Device.gpu(0), Map.of(), null, 16));
        assertEquals("cpu — 16 cores, one model replica per core", Devices.describe(Device.cpu(), Map.of(), null, 16));
    }
}
