package org.coar.workbench.job;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CancellationFollowingTest {
    @Test
    void aTokenFollowingAFlagIsCancelledTheMomentTheFlagIsSet() {
        AtomicBoolean flag = new AtomicBoolean();
        Cancellation token = Cancellation.following(flag::get);
        assertFalse(token.isCancelled());
        assertDoesNotThrow(token::throwIfCancelled);
        token.pause();
        assertTrue(token.isPaused());
        flag.set(true);
        assertTrue(token.isCancelled());
        assertFalse(token.isPaused(), "a cancelled job no longer holds");
        assertThrows(JobCancelledException.class, token::throwIfCancelled);
        token.awaitRunning(); // returns at once: cancelled
    }

    @Test
    void cancellingTheTokenDoesNotNeedTheFlag() {
        Cancellation token = Cancellation.following(() -> false);
        token.cancel();
        assertTrue(token.isCancelled());
    }
}
