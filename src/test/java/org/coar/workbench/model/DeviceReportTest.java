package org.coar.workbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceReportTest {
    private static final GpuNames.Inventory ONE_H200 = GpuNames.parseInventory("0, NVIDIA H200, 580.159.03, 143771, 1, 9.0\n");

    @Test
    void readsTheDriversInventory() {
        GpuNames.Gpu gpu = ONE_H200.gpus().getFirst();
        assertEquals(new GpuNames.Gpu(0, "NVIDIA H200", "580.159.03", 143771, 1, "9.0"), gpu);
        // without compute_cap (drivers before 510), and a driver message instead of devices
        assertEquals(null, GpuNames.parseInventory("0, Tesla T4, 470.82.01, 15109, 0\n").gpus().getFirst().computeCapability());
        GpuNames.Inventory none = GpuNames.parseInventory("No devices were found\n");
        assertTrue(none.gpus().isEmpty());
        assertEquals("nvidia-smi lists no GPU", none.problem());
    }

    @Test
    void cpuNativesWithAGpuPresentNameBothWaysToCudaNatives() {
        List<String> why = DeviceReport.whyNoGpu(ONE_H200, false, "cpu", null, false);
        assertEquals(1, why.size(), why.toString());
        assertTrue(why.getFirst().startsWith("The driver shows 1 GPU (NVIDIA H200, driver 580.159.03), but the PyTorch natives in use "
                + "are CPU-only (flavour cpu)"), why.getFirst());
        assertTrue(why.getFirst().contains("-Pcu124") && why.getFirst().contains("PYTORCH_LIBRARY_PATH"), why.getFirst());
    }

    @Test
    void cudaLibtorchWithoutARuntimeForDjlSaysWhereToPointIt() {
        String why = DeviceReport.whyNoGpu(ONE_H200, true, "cu130", null, true).getFirst();
        assertTrue(why.contains("DJL found no CUDA runtime (libcudart.so)") && why.contains("LD_LIBRARY_PATH"), why);
        String tooOld = DeviceReport.whyNoGpu(ONE_H200, true, "cu130", "13.0", true).getFirst();
        assertTrue(tooOld.startsWith("The CUDA runtime 13.0 finds no device although the driver shows 1 GPU"), tooOld);
        List<String> noFlavour = DeviceReport.whyNoGpu(ONE_H200, true, "cuda (PYTORCH_FLAVOR not set)", "13.0", true);
        assertEquals(System.getenv("PYTORCH_FLAVOR") == null ? 2 : 1, noFlavour.size(), "PYTORCH_FLAVOR unset is named too: " + noFlavour);
    }

    @Test
    void noDriverIsSaidPlainly() {
        GpuNames.Inventory none = new GpuNames.Inventory(List.of(), "nvidia-smi not found: no NVIDIA driver is installed here");
        assertEquals(List.of("No GPU: nvidia-smi not found: no NVIDIA driver is installed here. Builds run on the CPU"),
                DeviceReport.whyNoGpu(none, false, "cpu", null, false));
    }

    @Test
    void engineFailuresNameTheMissingBridgeOrTheMismatch() {
        String missing = DeviceReport.explainEngineFailure(new EngineException("Cannot download jni files: https://x/libdjl_torch.so",
                new java.io.IOException("Offline model is enabled.")));
        assertTrue(missing.contains("need DJL's JNI bridge") && missing.contains("tools/gpu/build-djl-jni.sh")
                && missing.contains("-libdjl_torch.so"), missing);
        String mismatch = DeviceReport.explainEngineFailure(new EngineException("Failed to load PyTorch native library",
                new UnsatisfiedLinkError("/c/0.35.1-libdjl_torch.so: undefined symbol: _ZN3c106detail14torchCheckFailEPKcS2_jRKSs")));
        assertTrue(mismatch.startsWith("the JNI bridge (libdjl_torch.so) does not match the libtorch"), mismatch);
        assertTrue(mismatch.contains("undefined symbol: _ZN3c10"), mismatch);
        String other = DeviceReport.explainEngineFailure(new EngineException("Failed to load PyTorch native library",
                new UnsatisfiedLinkError("/x/libtorch.so: file too short")));
        assertTrue(other.contains("failed to load (/x/libtorch.so: file too short)"), other);
    }
}
