package org.coar.workbench.fit.linalg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory of the device a {@link LinearAlgebra} computes on, for a memory plan: the host's RAM
 * for CPU backends, the GPU's own memory for CUDA. {@code -1} where unknown.
 */
public record DeviceMemory(String device, long totalBytes, long freeBytes) {

    /** The host's RAM from /proc/meminfo (MemTotal, MemAvailable); the JVM's limits elsewhere. */
    public static DeviceMemory host() {
        long total = -1;
        long available = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    total = kibibytes(line);
                } else if (line.startsWith("MemAvailable:")) {
                    available = kibibytes(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through to what the JVM knows
        }
        if (total < 0) {
            total = Runtime.getRuntime().maxMemory();
            available = total - (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
        }
        return new DeviceMemory("host RAM", total, available);
    }

    private static long kibibytes(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
    }
}
