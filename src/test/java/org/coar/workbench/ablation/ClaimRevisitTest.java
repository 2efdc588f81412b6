package org.coar.workbench.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.model.ModelFixtures;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.model.WorkerStatus;

/** Rows claimed by another live process are revisited, and taken over once that process dies (issue 14). */
class ClaimRevisitTest {

    @Test
    void aRowClaimedByAProcessThatDiesLaterIsBuiltWhenItDies(@TempDir Path tmp) throws Exception {
        Path store = tmp.resolve("store");
        Store.create(store, new SpecCodec().parse("{\"num_models\": 6, \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": [240]}, "
                + "\"margins\": {\"dtype\": \"float32\", \"shape\": [16]}}}", "spec"));
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(store, RunConfig.builder().optModel(ModelFixtures.demoModel().toString())
                .optData(ModelFixtures.demoDataSpec(16)).optAlpha(0.1).optSeed(3L).build());
        service.record(store, run);
        // Another builder on this host holds row 2: a live process (here a sleep) whose claim file names it.
        Process holder = new ProcessBuilder("sleep", "60").start();
        Files.createDirectories(store.resolve(RowClaims.DIR));
        Files.writeString(store.resolve(RowClaims.DIR).resolve("2.claim"), RowClaims.hostName() + " " + holder.pid() + " "
                + Instant.now() + "\n");

        AtomicReference<BuildResult> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread builder = Thread.ofPlatform().start(() -> {
            try {
                result.set(service.build(new BuildRequest(store, RunConfig.read(store), List.of("cpu"), 1, null, null, null, 16, false,
                        Duration.ofHours(1)), p -> { }, new Cancellation()));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (completed(store) < 5 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1500);
        assertEquals(5, completed(store), "every row but the claimed one");
        assertTrue(builder.isAlive(), "the builder waits for the claimed row instead of ending with it pending");

        holder.destroyForcibly().waitFor();
        builder.join(60_000);
        assertFalse(builder.isAlive());
        assertEquals(null, failure.get());
        assertEquals(6, result.get().rowsBuilt(), "the dead process's row is built too");
        assertEquals(6, completed(store));
    }

    private static long completed(Path store) {
        try (Store opened = Store.open(store, false)) {
            return opened.completedCount();
        }
    }

    @Test
    void aRunningTaskRecordOfThisHostWhoseProcessIsGoneIsDeadAtOnce() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String now = Instant.now().toString();
        TaskRecord dead = new TaskRecord(RowClaims.hostName(), gone.pid(), null, null, 0, 10, 3, 1.0, WorkerStatus.RUNNING, now, now);
        TaskRecord alive = new TaskRecord(RowClaims.hostName(), ProcessHandle.current().pid(), null, null, 0, 10, 3, 1.0, WorkerStatus.RUNNING, now, now);
        TaskRecord remote = new TaskRecord("elsewhere.example", gone.pid(), null, null, 0, 10, 3, 1.0, WorkerStatus.RUNNING, now, now);
        assertTrue(dead.isDead());
        assertEquals("DEAD", dead.displayState(Instant.now(), Duration.ofMinutes(5)));
        assertFalse(alive.isDead());
        assertEquals("running", alive.displayState(Instant.now(), Duration.ofMinutes(5)));
        assertFalse(remote.isDead(), "another host's process cannot be checked; it stalls after the timeout instead");
    }
}
