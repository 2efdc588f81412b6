package org.coar.workbench.job;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The one throttle between a job and a view that cannot show every event (a terminal line, a
 * task record): the latest event wins, at most one is delivered per interval, and an event
 * held back is delivered by {@link #flush()}, so the final event of a job is always shown.
 * Any thread may report; the sink hears one event at a time.
 *
 * @param <T> the event, e.g. {@link Progress}
 */
public final class ProgressThrottle<T> implements Consumer<T> {
    private final long intervalNanos;
    private final Consumer<? super T> sink;
    private final LongSupplier clock;
    private boolean deliveredOnce;
    private long lastDelivery;
    private T latest;
    private T held;

    public ProgressThrottle(Duration interval, Consumer<? super T> sink) {
        this(interval, sink, System::nanoTime);
    }

    /** With {@code nanoClock} in place of {@link System#nanoTime()} (tests). */
    public ProgressThrottle(Duration interval, Consumer<? super T> sink, LongSupplier nanoClock) {
        this.intervalNanos = interval.toNanos();
        this.sink = Objects.requireNonNull(sink);
        this.clock = nanoClock;
    }

    /** Delivers {@code event} now when an interval has passed since the last delivery; otherwise holds it, replacing any held one. */
    @Override
    public synchronized void accept(T event) {
        latest = event;
        long now = clock.getAsLong();
        if (deliveredOnce && now - lastDelivery < intervalNanos) {
            held = event;
            return;
        }
        deliver(event, now);
    }

    /** Delivers {@code event} now whatever the interval, for events a view must not skip (a new stage, a warning); it replaces any held one. */
    public synchronized void acceptNow(T event) {
        latest = event;
        deliver(event, clock.getAsLong());
    }

    /** Delivers the held event, if any: the end of a job (or of a stage) calls it so its last event is shown. */
    public synchronized void flush() {
        if (held != null) {
            deliver(held, clock.getAsLong());
        }
    }

    /** The most recent event reported, delivered or not; null before the first. */
    public synchronized T latest() {
        return latest;
    }

    private void deliver(T event, long now) {
        held = null;
        deliveredOnce = true;
        lastDelivery = now;
        sink.accept(event);
    }
}
