package org.coar.workbench.fit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's memory high-water marks, for report.json (off-heap ND4J memory shows only in the RSS). */
record ProcessMemory(long peakRssBytes, long currentRssBytes, long heapPeakUsedBytes, long heapPeakCommittedBytes, long heapMaxBytes) {

    static ProcessMemory now() {
        long heapPeak = 0;
        long heapCommitted = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                heapPeak += pool.getPeakUsage().getUsed();
                heapCommitted += pool.getPeakUsage().getCommitted();
            }
        }
        return new ProcessMemory(status("VmHWM:"), status("VmRSS:"), heapPeak, heapCommitted, Runtime.getRuntime().maxMemory());
    }

    /** A size field (VmHWM: peak RSS, VmRSS: RSS now) from /proc/self/status (Linux); -1 elsewhere. */
    private static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
