package io.harstream.simulator;

/**
 * The global events-per-second cap. Each send books one interval of {@code 1 / rate}; an event may go
 * once the bookings have caught up with it. Pure: the caller says what time it is.
 *
 * <p>Bookings may fall up to {@link #BURST_NANOS} behind the clock, so a sender that overslept can
 * catch up in a short burst: without that slack, at high rates (an interval of a few microseconds,
 * below what a thread can sleep) the cap would be enforced by sleep granularity and the achieved
 * rate would fall far below it. In any span of T seconds at most {@code rate * (T + 0.02) + 1} events go:
 * within 2 % of the cap over a second, exact in the long run.
 */
public final class RateCap {

    /** How far behind the clock bookings may fall: the largest burst, in time. */
    static final long BURST_NANOS = 20_000_000L;

    private final long intervalNanos;
    private long nextFreeNanos = Long.MIN_VALUE;

    private RateCap(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** No cap: every event may go when it is due. */
    public static RateCap none() {
        return new RateCap(0);
    }

    /** At most {@code eventsPerSecond} on average over any second; 0 means no cap. */
    public static RateCap of(double eventsPerSecond) {
        if (!(eventsPerSecond >= 0)) {
            throw new IllegalArgumentException("rate must not be negative, got " + eventsPerSecond);
        }
        return eventsPerSecond == 0 ? none() : new RateCap(Math.max(1, Math.round(1e9 / eventsPerSecond)));
    }

    /** The earliest time an event due at {@code dueNanos} may be sent. */
    public long earliest(long dueNanos) {
        return intervalNanos == 0 ? dueNanos : Math.max(dueNanos, nextFreeNanos);
    }

    /** Books one send made at {@code atNanos}. */
    public void sent(long atNanos) {
        if (intervalNanos != 0) {
            nextFreeNanos = Math.max(nextFreeNanos, atNanos - BURST_NANOS) + intervalNanos;
        }
    }
}
