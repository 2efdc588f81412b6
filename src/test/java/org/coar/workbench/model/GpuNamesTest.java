package org.coar.workbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GpuNamesTest {
    // nvidia-smi --query-gpu=index,name --format=csv,noheader on a machine with three GPUs.
    private static final String THREE_GPUS = "0, NVIDIA H200\n1, NVIDIA H200\n2, NVIDIA A100-SXM4-80GB\n";

    @Test
    void namesEveryDeviceByIndex() {
        assertEquals(Map.of(0, "NVIDIA H200", 1, "NVIDIA H200", 2, "NVIDIA A100-SXM4-80GB"), GpuNames.parse(THREE_GPUS, null));
    }

    @Test
    void cudaVisibleDevicesRenumbersThem() {
        // CUDA_VISIBLE_DEVICES=2,0: CUDA's device 0 is the machine's GPU 2.
        assertEquals(Map.of(0, "NVIDIA A100-SXM4-80GB", 1, "NVIDIA H200"), GpuNames.parse(THREE_GPUS, "2,0"));
    }

    @Test
    void uuidsOrDriverMessagesGiveNoNames() {
        assertEquals(Map.of(), GpuNames.parse(THREE_GPUS, "GPU-5f8d3c1a-0000-0000-0000-000000000000"));
        assertEquals(Map.of(), GpuNames.parse("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n", null));
    }
}
