package org.coar.workbench.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What one worker of a {@link ReplicaPool} (one device, one model replica) is doing, and, in a
 * build's task record, what the whole process is doing. {@link #label()} is what the CLI and the
 * GUI show, and what task records store.
 */
public enum WorkerStatus {
    /** Not started yet, or holding until rows another process has claimed are completed or given up. */
    WAITING,
    /** Loading its model replica and choosing its batch size. */
    LOADING,
    RUNNING,
    /** Held between two units of work until the job resumes. */
    PAUSED,
    /** Ran out of work. */
    FINISHED,
    /** Stopped because the job was cancelled (or another worker failed). */
    CANCELLED,
    /** Stopped by an error, which the job reports. */
    FAILED;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Still working or about to: the job has not ended for this worker. */
    public boolean isActive() {
        return this == WAITING || this == LOADING || this == RUNNING || this == PAUSED;
    }

    /** The status whose {@link #label()} is {@code label}. */
    @JsonCreator
    public static WorkerStatus ofLabel(String label) {
        for (WorkerStatus status : values()) {
            if (status.label().equals(label)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown worker status '" + label + "'");
    }
}
