package org.coar.workbench.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** Where the commands that run the model run it: devices, CPU replicas, batch size. */
final class DeviceOptions {
    @Option(names = "--devices", paramLabel = "LIST", split = ",",
            description = "Devices, e.g. cpu or cuda:0,cuda:1; one worker and model replica each (default: every GPU, else the CPU).")
    List<String> devices = List.of();

    @Option(names = "--cpu-workers", paramLabel = "N", defaultValue = "0",
            description = "Model replicas on the CPU, one single-threaded worker each (default: one per core).")
    int cpuWorkers;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "100", description = "Examples per forward pass (default ${DEFAULT-VALUE}).")
    int batchSize;
}
