package org.coar.workbench.job;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.coar.workbench.WorkbenchException;
import org.junit.jupiter.api.Test;

class CancellationTest {
    @Test
    void aCancelledJobEndsWithTheOneExceptionWhichIsNotAnError() {
        Cancellation c = new Cancellation();
        assertDoesNotThrow(c::throwIfCancelled);
        c.cancel();
        JobCancelledException e = assertThrows(JobCancelledException.class, c::throwIfCancelled);
        assertFalse(WorkbenchException.class.isInstance(e));
    }

    @Test
    void pauseBlocksUntilResumed() throws InterruptedException {
        Cancellation c = new Cancellation();
        c.pause();
        CountDownLatch released = new CountDownLatch(1);
        Thread job = Thread.ofPlatform().start(() -> {
            c.awaitRunning();
            released.countDown();
        });
        assertFalse(released.await(300, TimeUnit.MILLISECONDS), "a paused job must hold");
        c.resume();
        assertTrue(released.await(5, TimeUnit.SECONDS), "resuming releases the job");
        job.join();
    }

    @Test
    void cancelReleasesAPausedJob() throws InterruptedException {
        Cancellation c = new Cancellation();
        c.pause();
        CountDownLatch released = new CountDownLatch(1);
        Thread job = Thread.ofPlatform().start(() -> {
            c.awaitRunning();
            released.countDown();
        });
        assertFalse(released.await(300, TimeUnit.MILLISECONDS));
        c.cancel();
        assertTrue(released.await(5, TimeUnit.SECONDS), "cancelling releases a paused job");
        assertFalse(c.isPaused(), "a cancelled job is not paused");
        job.join();
    }

    @Test
    void anInterruptWhilePausedCancels() throws InterruptedException {
        Cancellation c = new Cancellation();
        c.pause();
        Thread job = Thread.ofPlatform().start(c::awaitRunning);
        job.interrupt();
        job.join(5000);
        assertFalse(job.isAlive());
        assertTrue(c.isCancelled());
    }
}
