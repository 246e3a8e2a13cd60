package io.harstream.simulator;

import io.harstream.core.event.RejectReason;

import java.time.Duration;
import java.util.Map;

/**
 * A snapshot of a {@link Simulator}'s progress, safe to take from any thread at any time.
 *
 * @param eventsSent       records handed to the producer, good and bad
 * @param malformedByKind  deliberately bad records handed to the producer, by the reason they must be rejected with
 * @param acknowledged     records the broker confirmed
 * @param sendErrors       records the producer reported as failed
 * @param devices          devices in the replay
 * @param activeDevices    devices in the middle of their series right now
 * @param pass             the pass over the test set, 1 for the first
 * @param elapsed          time since the run started (until it ended, once it has)
 * @param running          true from the start of {@link Simulator#run()} until it returns
 */
public record SimulatorStats(long eventsSent, Map<RejectReason, Long> malformedByKind, long acknowledged,
                             long sendErrors, int devices, int activeDevices, int pass, Duration elapsed,
                             boolean running) {

    public SimulatorStats {
        malformedByKind = Map.copyOf(malformedByKind);
    }

    public long malformedSent() {
        return malformedByKind.values().stream().mapToLong(Long::longValue).sum();
    }

    public long validSent() {
        return eventsSent - malformedSent();
    }

    /** Events per second over the whole run so far. */
    public double averageRate() {
        double s = elapsed.toNanos() / 1e9;
        return s > 0 ? eventsSent / s : 0;
    }

    /** Events per second between {@code earlier} and this snapshot, for "current rate" displays. */
    public double rateSince(SimulatorStats earlier) {
        double s = elapsed.minus(earlier.elapsed).toNanos() / 1e9;
        return s > 0 ? (eventsSent - earlier.eventsSent) / s : 0;
    }
}
