package org.coar.workbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.JobCancelledException;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReplicaPoolTest {
    private static final int EXAMPLES = 64;
    private static EvalData data;
    private static Components components;
    private static ReplicaPool pool;

    @BeforeAll
    static void twoCpuReplicas() {
        data = ModelFixtures.demoData(EXAMPLES);
        try (TorchModel model = TorchModel.load(ModelFixtures.demoModel(), Device.cpu())) {
            components = Components.select(model.parameters(), List.of(), List.of());
        }
        pool = ReplicaPool.loaded(ModelFixtures.demoModel(), List.of(Device.cpu(), Device.cpu()), components, data, 32,
                OutputFunction.MARGIN, ModelOutput.SINGLE, false);
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    /** A queue handing out 0 .. count-1, then null. */
    private static java.util.function.Supplier<Integer> upTo(int count) {
        AtomicInteger next = new AtomicInteger();
        return () -> {
            int i = next.getAndIncrement();
            return i < count ? i : null;
        };
    }

    /** Every status each worker reported, in order. */
    private static final class Statuses implements ReplicaPool.Listener {
        final Map<Integer, List<WorkerStatus>> byWorker = new ConcurrentHashMap<>();

        @Override
        public void status(int worker, WorkerStatus status) {
            byWorker.computeIfAbsent(worker, w -> new CopyOnWriteArrayList<>()).add(status);
        }

        WorkerStatus last(int worker) {
            List<WorkerStatus> seen = byWorker.getOrDefault(worker, List.of());
            return seen.isEmpty() ? null : seen.getLast();
        }
    }

    @Test
    void evaluatesMasksInMaskOrderAsPyTorchDoes() throws IOException {
        try (NpyArray masks = NpyArray.open(Fixtures.resource("ablation/demo_masks.npy"), false);
             NpyArray margins = NpyArray.open(Fixtures.resource("ablation/demo_margins.npy"), false)) {
            // masks in an order that would expose a replica left ablated: ablated, full, ablated, full
            int[] rows = {2, 0, 1, 0};
            boolean[][] keep = new boolean[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                float[] row = masks.readRow(rows[i]);
                keep[i] = new boolean[row.length];
                for (int c = 0; c < row.length; c++) {
                    keep[i][c] = row[c] != 0;
                }
            }
            AtomicInteger reported = new AtomicInteger();
            AblatedEvaluator.Result[] results = pool.evaluate(rows.length, i -> keep[i], (i, r) -> reported.incrementAndGet(),
                    new Cancellation());
            assertEquals(rows.length, reported.get());
            for (int i = 0; i < rows.length; i++) {
                float[] expected = margins.readRow(rows[i]);
                for (int j = 0; j < EXAMPLES; j++) {
                    double tolerance = Math.max(1e-4, Math.abs(expected[j]) * 0x1p-11);
                    assertEquals(expected[j], results[i].outputs()[j], tolerance, "mask " + i + " example " + j);
                }
            }
        }
    }

    @Test
    void anOutOfMemoryErrorOfOneWorkerStopsTheOthersAndReachesTheCallerNamingTheFix() {
        int items = 1000;
        AtomicInteger done = new AtomicInteger();
        Statuses statuses = new Statuses();
        Cancellation cancellation = new Cancellation();
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> pool.run(upTo(items), (worker, item) -> {
            if (item == 1) {
                throw oom;
            }
            sleep(20);
            done.incrementAndGet();
        }, cancellation, statuses));
        assertSame(oom, e.getCause());
        assertTrue(e.getMessage().startsWith("the worker on cpu ran out of memory (Java heap space) at batch size 32; lower "
                + "--batch-size or --cpu-workers"), e.getMessage());
        assertTrue(done.get() < 10, "the other worker stopped after its item in flight: " + done.get() + " done");
        assertTrue(cancellation.isCancelled(), "a failure cancels the job");
        List<WorkerStatus> ends = List.of(statuses.last(0), statuses.last(1));
        assertTrue(ends.contains(WorkerStatus.FAILED) && ends.contains(WorkerStatus.CANCELLED), ends.toString());
    }

    @Test
    void aFailureInTheMaskCallbackIsTheJobsFailureNotAMissingResult() {
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> pool.evaluate(8, i -> {
            if (i == 5) {
                throw new StackOverflowError();
            }
            return allKept();
        }, (i, r) -> { }, new Cancellation()));
        assertInstanceOf(StackOverflowError.class, e.getCause());
        assertTrue(e.getMessage().startsWith("the worker on cpu failed: java.lang.StackOverflowError at "), e.getMessage());
    }

    @Test
    void aFailingWorkerReleasesPausedOnes() throws InterruptedException {
        Cancellation cancellation = new Cancellation();
        Statuses statuses = new Statuses();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                pool.run(upTo(2), (worker, item) -> {
                    if (item == 0) {
                        // pause the job, wait until the other worker holds, then fail
                        cancellation.pause();
                        int other = 1 - worker.index();
                        for (int i = 0; i < 500 && statuses.last(other) != WorkerStatus.PAUSED; i++) {
                            sleep(20);
                        }
                        assertEquals(WorkerStatus.PAUSED, statuses.last(other));
                        throw new OutOfMemoryError("Java heap space");
                    }
                    sleep(50);
                }, cancellation, statuses);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        caller.join(30_000);
        assertFalse(caller.isAlive(), "the paused worker was released by the failure");
        assertInstanceOf(WorkbenchException.class, thrown.get());
        assertTrue(thrown.get().getMessage().contains("ran out of memory"), thrown.get().getMessage());
    }

    @Test
    void pausingHoldsTheWorkersAndResumingFinishesTheQueue() throws InterruptedException {
        Cancellation cancellation = new Cancellation();
        cancellation.pause();
        Statuses statuses = new Statuses();
        ConcurrentLinkedQueue<Integer> done = new ConcurrentLinkedQueue<>();
        Thread caller = Thread.ofPlatform().start(() -> pool.run(upTo(6), (worker, item) -> done.add(item), cancellation, statuses));
        sleep(500);
        assertTrue(done.isEmpty(), "nothing is taken while paused");
        assertEquals(WorkerStatus.PAUSED, statuses.last(0));
        assertEquals(WorkerStatus.PAUSED, statuses.last(1));
        cancellation.resume();
        caller.join(30_000);
        assertEquals(List.of(0, 1, 2, 3, 4, 5), done.stream().sorted().toList());
        assertEquals(WorkerStatus.FINISHED, statuses.last(0));
        assertEquals(WorkerStatus.FINISHED, statuses.last(1));
    }

    @Test
    void aCancelledEvaluationEndsWithJobCancelledExceptionNotNull() {
        Cancellation cancellation = new Cancellation();
        assertThrows(JobCancelledException.class, () -> pool.evaluate(50, i -> allKept(), (i, r) -> cancellation.cancel(), cancellation));
        Cancellation before = new Cancellation();
        before.cancel();
        assertThrows(JobCancelledException.class, () -> pool.evaluate(1, i -> allKept(), (i, r) -> { }, before));
    }

    @Test
    void failuresNameTheDeviceAndWhatToChange() {
        WorkbenchException gpu = ReplicaPool.failure(Device.gpu(1), 512,
                new EngineException("CUDA out of memory. Tried to allocate 2.00 GiB\nmore detail"));
        assertEquals("the worker on cuda:1 ran out of GPU memory at batch size 512 (CUDA out of memory. Tried to allocate 2.00 GiB); "
                + "lower --batch-size, or free the GPU of other work", gpu.getMessage());
        WorkbenchException heap = ReplicaPool.failure(Device.gpu(0), 0, new OutOfMemoryError("Java heap space"));
        assertEquals("the worker on cuda:0 ran out of memory (Java heap space) at the automatic batch size; lower --batch-size, "
                + "or give the JVM more memory (COAR_JAVA_OPTS=-Xmx...)", heap.getMessage());
        WorkbenchException known = ReplicaPool.failure(Device.cpu(), 100, new WorkbenchException("store.npy: disk full"));
        assertEquals("the worker on cpu: store.npy: disk full", known.getMessage());
    }

    private static boolean[] allKept() {
        boolean[] keep = new boolean[components.total()];
        java.util.Arrays.fill(keep, true);
        return keep;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
