package org.coar.workbench.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.model.BatchSize;
import org.coar.workbench.model.ModelFixtures;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.coar.workbench.store.RunConfig;

/** The build settings that GPUs brought: autocast recorded in run.json, batch size chosen per device. */
class GpuBuildSettingsTest {
    private static final int EXAMPLES = 32;

    private static Path newStore(Path tmp, int rows) {
        Path dir = tmp.resolve("store");
        Store.create(dir, new SpecCodec().parse("{\"num_models\": " + rows + ", \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": "
                + "[240]}, \"margins\": {\"dtype\": \"float16\", \"shape\": [" + EXAMPLES + "]}}}", "spec"));
        return dir;
    }

    private static RunConfig requested(Boolean autocast) {
        return RunConfig.builder().optModel(ModelFixtures.demoModel().toString())
                .optData(ModelFixtures.demoDataSpec(EXAMPLES)).optAlpha(0.1).optSeed(3L).optAutocast(autocast).build();
    }

    @Test
    void runJsonRecordsAutocastOffByDefaultAndOnWhenAsked(@TempDir Path tmp) throws Exception {
        Path store = newStore(tmp, 4);
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(store, requested(null));
        service.build(new BuildRequest(store, run, List.of("cpu"), 1, null, null, null, BatchSize.AUTO, false, Duration.ofHours(1)),
                p -> { }, new Cancellation());
        String json = Files.readString(store.resolve(RunConfig.FILE));
        assertTrue(json.contains("\"autocast\" : false"), json);
        assertFalse(RunConfig.read(store).usesAutocast());

        assertTrue(service.resolveRun(tmp.resolve("other"), requested(true)).usesAutocast());
    }

    @Test
    void resumingWithAnotherAutocastSettingIsRefused(@TempDir Path tmp) {
        Path store = newStore(tmp, 4);
        BuildService service = new BuildService();
        service.resolveRun(store, requested(null)).write(store);
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> service.resolveRun(store, requested(true)));
        assertTrue(e.getMessage().contains("--autocast recorded as false, requested true"), e.getMessage());
        // a run.json written before the setting existed reads as off
        assertFalse(RunConfig.builder().build().usesAutocast());
    }

    @Test
    void autocastRowsAreRefusedOnCpuWorkersBeforeAnyRow(@TempDir Path tmp) {
        Path store = newStore(tmp, 4);
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(store, requested(true));
        BuildRequest request = new BuildRequest(store, run, List.of("cpu"), 1, null, null, null, BatchSize.AUTO, false, Duration.ofHours(1));
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> service.build(request, p -> { }, new Cancellation()));
        assertTrue(e.getMessage().startsWith("--autocast: rows made under CUDA autocast (float16) need GPU workers only"), e.getMessage());
        assertFalse(RunConfig.exists(store), "nothing recorded");
    }

    @Test
    void workersReportTheirBatchSizeAndRate(@TempDir Path tmp) {
        Path store = newStore(tmp, 6);
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(store, requested(null));
        List<BuildProgress> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        service.build(new BuildRequest(store, run, List.of("cpu"), 1, null, null, null, BatchSize.AUTO, false, Duration.ofHours(1)),
                events::add, new Cancellation());
        BuildProgress.WorkerState last = events.getLast().workers().getFirst();
        assertEquals(BatchSize.CPU_DEFAULT, last.batchSize(), "auto on the CPU");
        assertEquals(6, last.rowsBuilt());
        assertTrue(last.rowsPerSecond() > 0, last.toString());
        assertEquals(-1, last.memoryUsedBytes(), "no GPU memory for a CPU worker");
    }
}
