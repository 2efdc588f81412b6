package org.coar.workbench.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
    private static final String INVENTORY_FIELDS = "index,name,driver_version,memory.total,memory.used,compute_cap";

    /**
     * One GPU as the driver sees it (machine numbering, not CUDA_VISIBLE_DEVICES'), memory in MiB;
     * {@code computeCapability} is null where the driver is too old to report it.
     */
    public record Gpu(int index, String name, String driver, long memoryTotalMiB, long memoryUsedMiB, String computeCapability) {
    }

    /** What {@code nvidia-smi} says: the GPUs, or why it could not say (no driver, driver not loaded). */
    public record Inventory(List<Gpu> gpus, String problem) {
        public Inventory {
            gpus = List.copyOf(gpus);
        }
    }

    private GpuNames() {
    }

    /** CUDA device number (as DJL counts them) to product name; empty where none can be read. */
    public static Map<Integer, String> query() {
        Output output = run(QUERY);
        return output != null && output.exitCode() == 0 ? parse(output.text(), System.getenv("CUDA_VISIBLE_DEVICES")) : Map.of();
    }

    /** Every GPU the NVIDIA driver reports, with driver version and memory; for {@code coar doctor}. */
    public static Inventory inventory() {
        Output output = run(List.of("nvidia-smi", "--query-gpu=" + INVENTORY_FIELDS, "--format=csv,noheader,nounits"));
        if (output != null && output.exitCode() != 0 && output.text().contains("compute_cap")) {
            // drivers before 510 do not know the field
            output = run(List.of("nvidia-smi", "--query-gpu=" + INVENTORY_FIELDS.replace(",compute_cap", ""), "--format=csv,noheader,nounits"));
        }
        if (output == null) {
            return new Inventory(List.of(), "nvidia-smi not found: no NVIDIA driver is installed here (or it is not on PATH)");
        }
        if (output.exitCode() != 0) {
            return new Inventory(List.of(), "nvidia-smi failed: " + output.text().strip().lines().findFirst().orElse("exit code " + output.exitCode()));
        }
        return parseInventory(output.text());
    }

    /** Parses {@code nvidia-smi --query-gpu=index,name,driver_version,memory.total,memory.used[,compute_cap] --format=csv,noheader,nounits}. */
    static Inventory parseInventory(String csv) {
        List<Gpu> gpus = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            String[] fields = line.split(",");
            if (fields.length < 5) {
                continue;
            }
            try {
                gpus.add(new Gpu(Integer.parseInt(fields[0].trim()), fields[1].trim(), fields[2].trim(), Long.parseLong(fields[3].trim()),
                        Long.parseLong(fields[4].trim()), fields.length > 5 && !fields[5].trim().startsWith("[") ? fields[5].trim() : null));
            } catch (NumberFormatException e) {
                // not a device line (a driver message, or "[N/A]" memory)
            }
        }
        return new Inventory(gpus, gpus.isEmpty() ? "nvidia-smi lists no GPU" : null);
    }

    private record Output(int exitCode, String text) {
    }

    /** Runs a short command; null when it cannot be started (not installed). */
    private static Output run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Output(-1, "nvidia-smi did not answer within 10 s");
            }
            return new Output(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Output(-1, "interrupted");
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
