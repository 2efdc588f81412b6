package org.coar.workbench.fit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.coar.workbench.Sizes;
import org.coar.workbench.fit.linalg.DeviceMemory;
import org.coar.workbench.fit.linalg.LinearAlgebra;

/**
 * The memory a fit may plan with: what the user set, or the machine's available memory
 * (MemAvailable in /proc/meminfo: free memory plus the page cache the kernel can reclaim) less a
 * margin for the rest of the process (Java heap, libraries), and at most 80 % of the machine, or a
 * device's memory.
 *
 * @param bytes  for the plan's data
 * @param source how it was determined, for the plan's printout and report.json
 */
public record MemoryBudget(long bytes, String source) {
    /** Kept free beyond the plan: the JVM, ND4J and OpenBLAS (about 0.3–0.6 GiB), and headroom for the machine. */
    static final long MARGIN = 1L << 30;

    /**
     * The budget for a fit on {@code la}: --memory when given; else the host's available memory
     * less a margin, and for a backend whose matrices live on a GPU also at most its free memory
     * less 5 % (matrices have a copy on each side there).
     */
    static MemoryBudget of(PlanOptions options, LinearAlgebra la) {
        if (options.memoryBytes() != null) {
            return new MemoryBudget(options.memoryBytes(), "--memory / workbench.memory");
        }
        MemoryBudget host = host(Path.of("/proc/meminfo"));
        if (la.deviceResident()) {
            DeviceMemory device = la.memory();
            long free = device.freeBytes() >= 0 ? device.freeBytes() : device.totalBytes();
            long usable = free - free / 20;
            if (free >= 0 && usable < host.bytes()) {
                return new MemoryBudget(usable, device.device() + " free memory (" + Sizes.human(free) + ") less 5 %");
            }
        }
        return host;
    }

    static MemoryBudget host(Path meminfo) {
        OptionalLong available = available(meminfo);
        if (available.isEmpty()) {
            long max = Runtime.getRuntime().maxMemory();
            return new MemoryBudget(max, "the Java heap limit (no /proc/meminfo here); set --memory to the memory you can spare");
        }
        long margin = Math.max(MARGIN, available.getAsLong() / 20);
        long budget = Math.max(0, available.getAsLong() - margin);
        OptionalLong total = field(meminfo, "MemTotal:");
        if (total.isPresent() && budget > total.getAsLong() / 5 * 4) {
            // Never plan for more than 80 % of the machine: the kernel, the page cache the store is read through
            // and whatever else runs need the rest, even when they are not using it at the start.
            return new MemoryBudget(total.getAsLong() / 5 * 4, "80 % of the machine's memory (" + Sizes.human(total.getAsLong())
                    + "; available: " + Sizes.human(available.getAsLong()) + ")");
        }
        return new MemoryBudget(budget, "available memory (" + Sizes.human(available.getAsLong()) + ") less " + Sizes.human(margin));
    }

    static OptionalLong available(Path meminfo) {
        return field(meminfo, "MemAvailable:");
    }

    private static OptionalLong field(Path meminfo, String name) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith(name)) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return OptionalLong.empty();
    }
}
