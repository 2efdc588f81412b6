package org.coar.workbench.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.coar.workbench.model.WorkerStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskRecordTest {
    @Test
    void theStateIsStoredAsTheLabelEarlierVersionsWrote(@TempDir Path store) throws IOException {
        new TaskRecord("n1", 7, null, null, 0, 10, 4, 1.5, WorkerStatus.PAUSED, "2026-11-23T09:00:00Z", "2026-11-23T09:01:00Z")
                .write(store);
        String json = Files.readString(store.resolve(TaskRecord.DIR).resolve("n1-7.json"));
        assertTrue(json.contains("\"state\":\"paused\""), json);

        // as an earlier version wrote it
        Files.writeString(store.resolve(TaskRecord.DIR).resolve("n2-8.json"), "{\"host\":\"n2\",\"pid\":8,\"start\":10,\"end\":20,"
                + "\"rows_built\":10,\"rows_per_second\":2.0,\"state\":\"finished\",\"started\":\"2026-11-23T10:00:00Z\","
                + "\"updated\":\"2026-11-23T10:05:00Z\"}");
        List<TaskRecord> records = TaskRecord.readAll(store);
        assertEquals(List.of(WorkerStatus.PAUSED, WorkerStatus.FINISHED), records.stream().map(TaskRecord::state).toList());
        assertTrue(records.getFirst().isRunning(), "paused counts as running");
        assertEquals("finished", records.getLast().displayState(java.time.Instant.parse("2026-11-23T12:00:00Z"),
                java.time.Duration.ofMinutes(5)));
    }
}
