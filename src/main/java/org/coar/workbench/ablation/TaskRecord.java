package org.coar.workbench.ablation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.coar.workbench.AtomicFiles;
import org.coar.workbench.model.WorkerStatus;

/**
 * What one build process is doing, kept beside the store in {@code tasks/HOST-PID.json} so that
 * {@code coar watch}, {@code coar info} and the GUI can show every process filling the store
 * (e.g. SLURM array tasks): its range, rows built, rate, and whether it has gone quiet.
 *
 * @param host        host name
 * @param pid         process id
 * @param slurmJob    SLURM_ARRAY_JOB_ID (or SLURM_JOB_ID), null outside SLURM
 * @param slurmTask   SLURM_ARRAY_TASK_ID, null outside an array
 * @param start       first row of the process's range
 * @param end         end (exclusive) of the range
 * @param rowsBuilt   rows this process built
 * @param rowsPerSecond its rate
 * @param state       running, paused, finished, cancelled or failed (stored as its label)
 * @param started     when it started (ISO-8601)
 * @param updated     last update (ISO-8601); a running task not updated for a while has stalled (or died)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskRecord(String host, long pid, String slurmJob, String slurmTask, long start, long end, long rowsBuilt,
                         double rowsPerSecond, WorkerStatus state, String started, String updated) {
    public static final String DIR = "tasks";
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public boolean isRunning() {
        return state == WorkerStatus.RUNNING || state == WorkerStatus.PAUSED;
    }

    /**
     * Running by its own account, but a process of this host that no longer exists (killed with
     * kill -9, or its machine's power cut): dead now, not only once it has been silent for a while.
     */
    public boolean isDead() {
        return isRunning() && host.equals(RowClaims.hostName()) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    /** What to show for its state: DEAD, STALLED (silent for longer than {@code quiet}) or its own state. */
    public String displayState(Instant now, Duration quiet) {
        return isDead() ? "DEAD" : isStalled(now, quiet) ? "STALLED" : state.label();
    }

    /** Running (by its own account) but silent for longer than {@code quiet}: hung, or killed without a word. */
    public boolean isStalled(Instant now, Duration quiet) {
        return isRunning() && Instant.parse(updated).plus(quiet).isBefore(now);
    }

    public String label() {
        return slurmTask != null ? "task " + slurmTask + (slurmJob != null ? " (job " + slurmJob + ")" : "") : host + ":" + pid;
    }

    void write(Path storeDir) {
        try {
            Path dir = Files.createDirectories(storeDir.resolve(DIR));
            AtomicFiles.replace(dir.resolve(host + "-" + pid + ".json"), temp -> JSON.writeValue(temp.toFile(), this));
        } catch (IOException e) {
            // Monitoring must never stop a build; the rows themselves are what matters.
        }
    }

    /** Every record beside the store, oldest first; unreadable records are skipped. */
    public static List<TaskRecord> readAll(Path storeDir) {
        List<TaskRecord> records = new ArrayList<>();
        Path dir = storeDir.resolve(DIR);
        if (!Files.isDirectory(dir)) {
            return records;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : files) {
                try {
                    records.add(JSON.readValue(file.toFile(), TaskRecord.class));
                } catch (IOException e) {
                    // being replaced right now, or foreign: skip
                }
            }
        } catch (IOException e) {
            return records;
        }
        records.sort(java.util.Comparator.comparing(TaskRecord::started));
        return records;
    }
}
