package org.coar.workbench.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressThrottleTest {
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final List<Integer> delivered = new ArrayList<>();
    private final ProgressThrottle<Integer> throttle = new ProgressThrottle<>(Duration.ofSeconds(1), delivered::add, nanos::get);

    @Test
    void theFirstEventIsDeliveredAtOnceAndAtMostOnePerInterval() {
        throttle.accept(1);
        throttle.accept(2);
        nanos.addAndGet(999_999_999);
        throttle.accept(3);
        assertEquals(List.of(1), delivered);
        nanos.addAndGet(1);
        throttle.accept(4);
        assertEquals(List.of(1, 4), delivered);
    }

    @Test
    void theLatestHeldEventWins() {
        throttle.accept(1);
        throttle.accept(2);
        throttle.accept(3);
        throttle.flush();
        assertEquals(List.of(1, 3), delivered, "2 was replaced by 3 before it could be shown");
        assertEquals(3, throttle.latest());
    }

    @Test
    void theFinalEventIsDeliveredByFlushOnceOnly() {
        throttle.accept(1);
        throttle.accept(2);
        throttle.flush();
        throttle.flush();
        assertEquals(List.of(1, 2), delivered);
    }

    @Test
    void flushDeliversNothingWhenTheLastEventWasShown() {
        throttle.flush();
        assertNull(throttle.latest());
        throttle.accept(1);
        throttle.flush();
        assertEquals(List.of(1), delivered);
    }

    @Test
    void anUrgentEventIsDeliveredAtOnceAndReplacesTheHeldOne() {
        throttle.accept(1);
        throttle.accept(2);
        throttle.acceptNow(3);
        throttle.flush();
        assertEquals(List.of(1, 3), delivered);
        throttle.accept(4);
        assertEquals(List.of(1, 3), delivered, "an urgent delivery starts a new interval");
    }
}
