package org.coar.workbench.fit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The memory a fit may plan with: what the user set, or the machine's available memory
 * (MemAvailable in /proc/meminfo: free memory plus the page cache the kernel can reclaim) less a
 * margin for the rest of the process (Java heap, libraries) and the machine, or a device's memory.
 *
 * @param bytes  for the plan's data
 * @param source how it was determined, for the plan's printout and report.json
 */
public record MemoryBudget(long bytes, String source) {
    /** Kept free beyond the plan: the JVM, ND4J and OpenBLAS (about 0.3–0.6 GiB), and headroom for the machine. */
    static final long MARGIN = 1L << 30;

    static MemoryBudget of(PlanOptions options, OptionalLong deviceBytes) {
        if (options.memoryBytes() != null) {
            return new MemoryBudget(options.memoryBytes(), "--memory / workbench.memory");
        }
        if (deviceBytes.isPresent()) {
            long usable = deviceBytes.getAsLong() - (deviceBytes.getAsLong() / 20);
            return new MemoryBudget(usable, "the device's memory (" + Sizes.bytes(deviceBytes.getAsLong()) + ") less 5 %");
        }
        OptionalLong available = available(Path.of("/proc/meminfo"));
        if (available.isEmpty()) {
            long max = Runtime.getRuntime().maxMemory();
            return new MemoryBudget(max, "the Java heap limit (no /proc/meminfo here); set --memory to the memory you can spare");
        }
        long margin = Math.max(MARGIN, available.getAsLong() / 20);
        return new MemoryBudget(Math.max(0, available.getAsLong() - margin),
                "available memory (" + Sizes.bytes(available.getAsLong()) + ") less " + Sizes.bytes(margin));
    }

    static OptionalLong available(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemAvailable:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return OptionalLong.empty();
    }
}
