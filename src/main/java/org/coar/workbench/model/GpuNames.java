package org.coar.workbench.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Product names of the CUDA devices (e.g. "NVIDIA H200"), which DJL does not report, read from
 * {@code nvidia-smi} where the driver installed it. Best effort: without it, or when it fails, the
 * devices are listed by number alone.
 */
public final class GpuNames {
    private static final List<String> QUERY = List.of("nvidia-smi", "--query-gpu=index,name", "--format=csv,noheader");

    private GpuNames() {
    }

    /** CUDA device number (as DJL counts them) to product name; empty where none can be read. */
    public static Map<Integer, String> query() {
        try {
            Process process = new ProcessBuilder(QUERY).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Map.of();
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.exitValue() == 0 ? parse(output, System.getenv("CUDA_VISIBLE_DEVICES")) : Map.of();
        } catch (IOException e) {
            return Map.of(); // no nvidia-smi
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    /**
     * Parses {@code nvidia-smi --query-gpu=index,name --format=csv,noheader}, whose indices are the
     * machine's; with CUDA_VISIBLE_DEVICES as a list of indices, CUDA's device k is its k-th entry.
     * A list of UUIDs cannot be mapped from this output, so it yields no names.
     */
    static Map<Integer, String> parse(String csv, String cudaVisibleDevices) {
        Map<Integer, String> byMachineIndex = new HashMap<>();
        for (String line : csv.split("\\R")) {
            int comma = line.indexOf(',');
            if (comma < 0) {
                continue;
            }
            try {
                byMachineIndex.put(Integer.parseInt(line.substring(0, comma).trim()), line.substring(comma + 1).trim());
            } catch (NumberFormatException e) {
                // not a device line (a driver message)
            }
        }
        if (cudaVisibleDevices == null) {
            return byMachineIndex;
        }
        Map<Integer, String> byCudaIndex = new HashMap<>();
        String[] visible = cudaVisibleDevices.split(",");
        for (int k = 0; k < visible.length; k++) {
            try {
                String name = byMachineIndex.get(Integer.parseInt(visible[k].trim()));
                if (name != null) {
                    byCudaIndex.put(k, name);
                }
            } catch (NumberFormatException e) {
                return Map.of();
            }
        }
        return byCudaIndex;
    }
}
