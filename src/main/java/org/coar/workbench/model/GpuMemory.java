package org.coar.workbench.model;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;

/** Memory of one CUDA device as the CUDA runtime reports it (the whole device, every process on it). */
public record GpuMemory(long totalBytes, long freeBytes) {
    public long usedBytes() {
        return totalBytes - freeBytes;
    }

    /** The device's memory now, or null for the CPU or where the CUDA runtime cannot tell. */
    public static GpuMemory of(Device device) {
        if (!device.isGpu()) {
            return null;
        }
        try {
            MemoryUsage usage = CudaUtils.getGpuMemory(device);
            return new GpuMemory(usage.getMax(), usage.getMax() - usage.getCommitted());
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
