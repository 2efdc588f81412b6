package org.coar.workbench.model;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.coar.workbench.WorkbenchException;

/**
 * The devices a job runs the model on, as the CLI ({@code --devices}, {@code --cpu-workers}) and
 * the GUI's device list name them: parsing names, resolving them against what DJL finds here,
 * expanding them into one entry per worker, and what the user sees of each (GPU product name,
 * memory).
 */
public final class Devices {
    /** The name that means "every GPU, else the CPU", as an empty list does. */
    public static final String AUTO = "auto";

    private Devices() {
    }

    /** Devices DJL can use here: the CPU and every CUDA GPU it finds. */
    public static List<Device> available() {
        List<Device> devices = new ArrayList<>();
        devices.add(Device.cpu());
        int gpus = TorchModel.engine().getGpuCount();
        for (int i = 0; i < gpus; i++) {
            devices.add(Device.gpu(i));
        }
        return devices;
    }

    /** {@code cpu}, {@code cuda:N} (or {@code gpu:N}), any case; refuses anything else naming the forms. */
    public static Device parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        for (String prefix : List.of("cuda:", "gpu:")) {
            if (n.startsWith(prefix)) {
                try {
                    int id = Integer.parseInt(n.substring(prefix.length()));
                    if (id >= 0) {
                        return Device.gpu(id);
                    }
                } catch (NumberFormatException e) {
                    // refused below
                }
                break;
            }
        }
        throw new WorkbenchException("--devices: unknown device '" + name + "'; use cpu or cuda:N (comma-separated), or auto");
    }

    /** How the workbench writes a device: {@code cpu} or {@code cuda:N}, what {@link #parse} reads back. */
    public static String name(Device device) {
        return device.isGpu() ? "cuda:" + device.getDeviceId() : "cpu";
    }

    /**
     * The devices named (cpu, cuda:N; repeats once), or every GPU (else the CPU) when none is named
     * or the list is {@link #AUTO}; refuses absent ones, listing what is available.
     */
    public static List<Device> resolve(List<String> names) {
        List<Device> available = available();
        if (names.isEmpty() || names.size() == 1 && names.getFirst().trim().equalsIgnoreCase(AUTO)) {
            List<Device> gpus = available.stream().filter(Device::isGpu).toList();
            return gpus.isEmpty() ? List.of(Device.cpu()) : gpus;
        }
        List<Device> chosen = new ArrayList<>();
        for (String name : names) {
            Device device = parse(name);
            if (!available.contains(device)) {
                throw new WorkbenchException("--devices: " + name + " is not available here; available: "
                        + String.join(", ", available.stream().map(Devices::name).toList())
                        + (device.isGpu() ? ". GPUs need CUDA natives for DJL; see the user guide" : ""));
            }
            if (!chosen.contains(device)) {
                chosen.add(device);
            }
        }
        return chosen;
    }

    /** One entry per worker: each GPU once, the CPU once per CPU worker ({@code cpuWorkers} 0: one per core). */
    public static List<Device> perWorker(List<Device> devices, int cpuWorkers) {
        if (cpuWorkers < 0) {
            throw new WorkbenchException("--cpu-workers must be 0 (one per core) or more, got " + cpuWorkers);
        }
        int perCpu = cpuWorkers > 0 ? cpuWorkers : Runtime.getRuntime().availableProcessors();
        List<Device> workers = new ArrayList<>();
        for (Device device : devices) {
            for (int i = 0; i < (device.isGpu() ? 1 : perCpu); i++) {
                workers.add(device);
            }
        }
        return workers;
    }

    /** {@link #resolve} then {@link #perWorker}: the worker devices of a job given its options. */
    public static List<Device> workers(List<String> names, int cpuWorkers) {
        return perWorker(resolve(names), cpuWorkers);
    }

    /** Autocast rows come from CUDA's float16 kernels; a CPU worker would make other rows for the same store. */
    public static void checkAutocast(boolean autocast, List<Device> devices) {
        if (autocast && devices.stream().anyMatch(d -> !d.isGpu())) {
            throw new WorkbenchException("--autocast: rows made under CUDA autocast (float16) need GPU workers only, but the "
                    + "devices include the CPU; give --devices cuda:0[,cuda:1...], or make the store without --autocast");
        }
    }

    /** Product names of the CUDA devices by device number (e.g. 0 → "NVIDIA H200"); empty where the driver cannot say. */
    public static Map<Integer, String> gpuNames() {
        return GpuNames.query();
    }

    /** The device's memory now (the whole device), or null for the CPU or where the CUDA runtime cannot tell. */
    public static GpuMemory memory(Device device) {
        return GpuMemory.of(device);
    }

    /**
     * One line for a device list: "cuda:0 — NVIDIA H200 (140 GiB)", "cpu — 16 cores, one model replica
     * per core"; {@code gpuNames} as {@link #gpuNames()} gives them, {@code memory} null where unknown.
     */
    public static String describe(Device device, Map<Integer, String> gpuNames, GpuMemory memory, int cores) {
        if (!device.isGpu()) {
            return "cpu — " + cores + " cores, one model replica per core";
        }
        return name(device) + " — " + gpuNames.getOrDefault(device.getDeviceId(), "GPU " + device.getDeviceId())
                + (memory == null ? "" : String.format(Locale.ROOT, " (%.0f GiB)", memory.totalBytes() / (1024.0 * 1024 * 1024)));
    }
}
