package org.coar.workbench.ablation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.coar.workbench.model.AblatedEvaluator;
import org.coar.workbench.model.WorkerStatus;
import org.junit.jupiter.api.Test;

/** Rows/s and ETA over running time, on a clock the test moves by hand. */
class ProgressTrackerTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong();
    private final AtomicReference<BuildProgress> latest = new AtomicReference<>();

    private void at(long seconds) {
        now.set(seconds * SECOND);
    }

    private static AblatedEvaluator.Result row() {
        return new AblatedEvaluator.Result(new float[] {2f, -1f, 0.5f, 3f}, 3, new int[] {0, 1, 2, 3});
    }

    /** 100 rows planned, 10 built before; two CPU workers running from t = 0. */
    private ProgressTracker twoWorkers() {
        ProgressTracker tracker = new ProgressTracker(100, 10, List.of(Device.cpu(), Device.cpu()), latest::set, now::get);
        for (int w = 0; w < 2; w++) {
            tracker.ready(w, 50);
            tracker.status(w, WorkerStatus.RUNNING);
        }
        return tracker;
    }

    @Test
    void aPauseCountsNeitherInTheRateNorInTheEta() {
        ProgressTracker tracker = twoWorkers();
        at(20);
        for (int i = 0; i < 10; i++) {
            tracker.rowBuilt(0, i, row());
            tracker.rowBuilt(1, 100 + i, row());
        }
        // Worker 0 pauses at 20 s, worker 1 after its row in flight at 22 s: the build holds from 22 s.
        tracker.status(0, WorkerStatus.PAUSED);
        at(22);
        tracker.status(1, WorkerStatus.PAUSED);
        // 20 rows in 22 s of running: 0.909 rows/s; 70 rows left take 77 s.
        assertEquals(20.0 / 22, latest.get().rowsPerSecond(), 1e-12);
        assertEquals(Duration.ofSeconds(77), latest.get().eta());

        // A minute's pause, then 6 rows more by 100 s: 26 rows in 22 + 18 = 40 s running, 0.65 rows/s
        // (wall time would say 26 / 100 = 0.26); 64 rows left take 64 / 0.65 = 98.46 s.
        at(82);
        tracker.status(0, WorkerStatus.RUNNING);
        tracker.status(1, WorkerStatus.RUNNING);
        at(100);
        for (int i = 10; i < 13; i++) {
            tracker.rowBuilt(0, i, row());
            tracker.rowBuilt(1, 100 + i, row());
        }
        BuildProgress p = latest.get();
        assertEquals(36, p.progress().done());
        assertEquals(0.65, p.rowsPerSecond(), 1e-12);
        assertEquals(Duration.ofMillis(98_461), p.eta());
        // Each worker's own clock: worker 0 ran 20 + 18 = 38 s, worker 1 22 + 18 = 40 s, 13 rows each.
        assertEquals(13.0 / 38, p.workers().get(0).rowsPerSecond(), 1e-12);
        assertEquals(13.0 / 40, p.workers().get(1).rowsPerSecond(), 1e-12);
    }

    @Test
    void oneWorkerPausedWhileTheOtherStillRunsKeepsTheBuildsClockGoing() {
        ProgressTracker tracker = twoWorkers();
        at(10);
        tracker.status(0, WorkerStatus.PAUSED);
        at(40);
        tracker.rowBuilt(1, 0, row());
        // The build ran all 40 s; worker 0's clock stopped at 10 s.
        assertEquals(1.0 / 40, latest.get().rowsPerSecond(), 1e-12);
        assertEquals(0, latest.get().workers().get(0).rowsPerSecond());
        assertEquals(1.0 / 40, latest.get().workers().get(1).rowsPerSecond(), 1e-12);
    }

    @Test
    void aFinishedWorkerDoesNotKeepAPausedBuildsClockGoing() {
        ProgressTracker tracker = twoWorkers();
        at(10);
        tracker.rowBuilt(0, 0, row());
        tracker.status(1, WorkerStatus.FINISHED);
        tracker.status(0, WorkerStatus.PAUSED);
        at(1000);
        tracker.status(0, WorkerStatus.RUNNING);
        assertEquals(1.0 / 10, latest.get().rowsPerSecond(), 1e-12);
    }

    @Test
    void snapshotsCarryTheLatestRowsOutputsAndTheUnablatedAccuracyOnceMeasured() {
        ProgressTracker tracker = twoWorkers();
        assertNull(latest.get().latestOutputs());
        assertTrue(Double.isNaN(latest.get().unablatedAccuracy()));
        assertNull(latest.get().eta(), "no rate before the first row");
        tracker.unablatedAccuracy(0.9);
        at(5);
        tracker.rowBuilt(0, 3, row());
        assertEquals(0.9, latest.get().unablatedAccuracy());
        assertEquals(0.75, latest.get().latestAccuracy());
        assertEquals(List.of(2f, -1f, 0.5f, 3f), boxed(latest.get().latestOutputs()));
    }

    private static List<Float> boxed(float[] values) {
        Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return List.of(boxed);
    }
}
