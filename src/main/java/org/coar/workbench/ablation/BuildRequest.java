package org.coar.workbench.ablation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.store.RunConfig;

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
 * @param batchSize  examples per forward pass; 0 chooses one per device ({@link org.coar.workbench.model.BatchSize})
 * @param rerun      rebuild rows that are already completed
 * @param claimTimeout age after which another host's claim is taken over
 */
public record BuildRequest(Path storeDir, RunConfig run, List<String> devices, int cpuWorkers, Long start, Long end, String partition,
                           int batchSize, boolean rerun, Duration claimTimeout) {
    public BuildRequest {
        devices = List.copyOf(devices);
        // Refused here, before any model is loaded, rather than by the first worker to start.
        if (batchSize < 0) {
            throw new WorkbenchException("--batch-size must be at least 1 (or auto), got " + batchSize);
        }
        if (cpuWorkers < 0) {
            throw new WorkbenchException("--cpu-workers must be 0 (one per core) or more, got " + cpuWorkers);
        }
        if (claimTimeout == null || claimTimeout.isNegative() || claimTimeout.isZero()) {
            throw new WorkbenchException("--claim-timeout must be more than 0 minutes, got "
                    + (claimTimeout == null ? "none" : claimTimeout.toMinutes()));
        }
    }
}
