package org.coar.workbench.ui.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.concurrent.Task;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Jobs run on named daemon threads, call back on the FX thread, and are listed for the task view while they run. */
class FxTaskExecutorTest {
    private final FakeDialogs dialogs = new FakeDialogs();
    private final FxTaskExecutor tasks = new FxTaskExecutor(new JobReporter(dialogs, "/tmp/workbench.log"));
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void toolkit() {
        FxThread.start();
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(30, TimeUnit.SECONDS), "timed out");
    }

    @Test
    void workRunsOffTheFxThreadAndCallbacksOnIt() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        FxThread.run(() -> tasks.submit(BackgroundJob.titled("Naming the thread", p -> {
            Thread thread = Thread.currentThread();
            return thread.getName() + (thread.isDaemon() ? " daemon" : "") + (Platform.isFxApplicationThread() ? " fx" : "");
        }).onSuccess(name -> calls.add(name + (Platform.isFxApplicationThread() ? " then fx" : ""))).andFinally(done::countDown)));
        await(done);
        assertEquals(1, calls.size());
        assertTrue(calls.getFirst().matches("coar-task-\\d+ daemon then fx"), calls.getFirst());
    }

    @Test
    void aRunningJobIsListedWithItsProgressAndTheTaskViewsCancelStopsIt() throws InterruptedException {
        Cancellation cancellation = new Cancellation();
        CountDownLatch reported = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        FxThread.run(() -> tasks.submit(BackgroundJob.titled("Building s", p -> {
            p.accept(new Progress("building", 3, 12, "rows"));
            reported.countDown();
            while (true) {
                cancellation.throwIfCancelled();
                Thread.sleep(5);
            }
        }).cancelWith(cancellation::cancel).onCancelled(() -> calls.add("cancelled")).andFinally(ended::countDown)));
        await(reported);
        Task<?> listed = FxThread.call(() -> {
            assertEquals(1, tasks.running().size());
            return tasks.running().getFirst();
        });
        // Task.updateProgress reaches the properties on a later pulse.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (FxThread.call(listed::getProgress) != 0.25 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0.25, FxThread.call(listed::getProgress));
        assertEquals("building: 3 / 12 rows", FxThread.call(listed::getMessage));
        assertEquals("Building s", FxThread.call(listed::getTitle));

        assertTrue(FxThread.call(() -> listed.cancel()), "the job says it can be cancelled");
        await(ended);
        assertEquals(List.of("cancelled"), calls);
        assertEquals(List.of(), dialogs.errors);
        assertTrue(FxThread.call(() -> tasks.running().isEmpty()));
        assertEquals("Cancelled: Building s", FxThread.call(() -> tasks.statusProperty().get()));
    }

    @Test
    void aJobWithoutACancelCannotBeCancelledFromTheTaskView() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        FxThread.run(() -> tasks.submit(BackgroundJob.titled("Reading", p -> {
            started.countDown();
            release.await();
            return "read";
        }).onSuccess(calls::add).andFinally(ended::countDown)));
        await(started);
        assertFalse(FxThread.call(() -> tasks.running().getFirst().cancel()));
        release.countDown();
        await(ended);
        assertEquals(List.of("read"), calls);
    }

    @Test
    void afterShutdownNewJobsAreDroppedNotRejected() {
        tasks.shutdown();
        FxThread.run(() -> tasks.submit(BackgroundJob.titled("Planning the fit", p -> {
            calls.add("ran");
            return 1;
        }).andFinally(() -> calls.add("finally"))));
        FxThread.run(() -> { }); // a pulse for anything the submit queued
        assertEquals(List.of(), calls);
        assertTrue(FxThread.call(() -> tasks.running().isEmpty()));
    }

    @Test
    void anUnlistedJobIsNotInTheTaskView() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        FxThread.run(() -> tasks.submit(BackgroundJob.titled("Refreshing", p -> {
            started.countDown();
            release.await();
            return 1;
        }).unlisted().andFinally(ended::countDown)));
        await(started);
        assertTrue(FxThread.call(() -> tasks.running().isEmpty()));
        release.countDown();
        await(ended);
    }
}
