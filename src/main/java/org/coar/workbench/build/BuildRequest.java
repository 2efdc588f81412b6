package org.coar.workbench.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One invocation of a build: what to make ({@code run}) and how to execute it here.
 *
 * @param storeDir   the store to fill
 * @param run        settings that define the rows (recorded in run.json)
 * @param devices    device names: "cpu", "cuda:0", ...; empty for every local device
 * @param cpuWorkers model replicas on the CPU, each single-threaded; 0 for one per core
 * @param start      first row (inclusive), or null
 * @param end        end row (exclusive), or null
 * @param partition  "i/N", or null
 * @param batchSize  examples per forward pass
 * @param rerun      rebuild rows that are already completed
 * @param claimTimeout age after which another host's claim is taken over
 */
public record BuildRequest(Path storeDir, RunConfig run, List<String> devices, int cpuWorkers, Long start, Long end, String partition,
                           int batchSize, boolean rerun, Duration claimTimeout) {
    public BuildRequest {
        devices = List.copyOf(devices);
    }
}
