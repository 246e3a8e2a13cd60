package io.harstream.simulator;

import io.harstream.core.data.Sample;
import io.harstream.core.event.SensorEvent;

import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Every device's events merged into one sequence, in event-time order, each with the moment it is due.
 * Pure: it never reads a clock, so the sender decides what "now" is and tests need not sleep.
 *
 * <p><b>Timestamps.</b> Device {@code d}'s sample {@code i} of pass {@code p} gets
 * {@code ts = base + p * passSpan + stagger(d) + (recorded(i) - recorded(0))}: the recorded spacing is
 * kept exactly, so each device's timestamps are strictly increasing and never gap where the recording
 * did not. {@code stagger(d)} spreads the devices' starts evenly over {@link Pacing#staggerMs()}.
 *
 * <p><b>Loop.</b> Passes replay the whole set, and every device keeps its id across passes. The next
 * pass starts {@code passSpan} later, where {@code passSpan} exceeds every device's stagger plus
 * duration by more than {@code maxGapMs}: each device's first sample of a pass is more than the gap
 * after its last one, so the stream-app starts a fresh series (no window bridges two passes), while its
 * state stays bounded by the number of devices (new ids per pass would grow it forever). Because a pass
 * is the whole set, every pass reproduces the trainer's test windows exactly. Short devices sit idle
 * until the longest has finished.
 *
 * <p><b>Send time.</b> An event is due {@code (ts - base) / speed} after the start, or at once with
 * {@link Pacing#asFastAsPossible()}; ties go to the lower device index, so the order is deterministic.
 */
public final class Schedule {

    /**
     * One event to send.
     *
     * @param deviceIndex index into the device list
     * @param event       the event, timestamp rebased onto the simulator's timeline
     * @param dueNanos    when to send it, in nanoseconds after the start
     * @param pass        0 for the first pass over the set
     */
    public record Entry(int deviceIndex, SensorEvent event, long dueNanos, int pass) {
    }

    /** Where one device is: its next sample and pass, and that sample's event-time offset. */
    private static final class Cursor {
        final int device;
        int sample;
        int pass;
        long offsetMs;

        Cursor(int device, long offsetMs) {
            this.device = device;
            this.offsetMs = offsetMs;
        }
    }

    private final List<DeviceSeries> devices;
    private final long baseEpochMs;
    private final boolean loop;
    private final double nanosPerOffsetMs;
    private final long[] staggerMs;
    private final long passSpanMs;
    private final PriorityQueue<Cursor> queue = new PriorityQueue<>(
            Comparator.<Cursor>comparingLong(c -> c.offsetMs).thenComparingInt(c -> c.device));
    private int active;
    private int pass;

    /**
     * @param devices     what to replay
     * @param pacing      speed, loop and stagger
     * @param maxGapMs    the stream-app's series gap, which separates passes
     * @param baseEpochMs the timestamp of the first device's first sample (normally: now)
     */
    public Schedule(List<DeviceSeries> devices, Pacing pacing, long maxGapMs, long baseEpochMs) {
        this.devices = List.copyOf(devices);
        this.baseEpochMs = baseEpochMs;
        this.loop = pacing.loop();
        this.nanosPerOffsetMs = pacing.asFastAsPossible() ? 0 : 1_000_000.0 / pacing.speed();
        this.staggerMs = new long[this.devices.size()];
        long lastEnd = 0;
        for (int d = 0; d < staggerMs.length; d++) {
            staggerMs[d] = staggerMs(d, staggerMs.length, pacing.staggerMs());
            lastEnd = Math.max(lastEnd, staggerMs[d] + this.devices.get(d).durationMs());
            queue.add(new Cursor(d, staggerMs[d]));
        }
        this.passSpanMs = lastEnd + maxGapMs + 1;
    }

    /** Device {@code index} of {@code count} starts this long after the first, spreading them evenly over {@code spanMs}. */
    static long staggerMs(int index, int count, long spanMs) {
        return count == 0 ? 0 : spanMs * index / count;
    }

    /** Event time from one pass's start to the next's. */
    public long passSpanMs() {
        return passSpanMs;
    }

    public boolean isDone() {
        return queue.isEmpty();
    }

    /** When the next event is due, in nanoseconds after the start; {@link Long#MAX_VALUE} when done. */
    public long peekDueNanos() {
        Cursor next = queue.peek();
        return next == null ? Long.MAX_VALUE : dueNanos(next.offsetMs);
    }

    /** The next event, advancing its device; null when done. */
    public Entry poll() {
        Cursor c = queue.poll();
        if (c == null) {
            return null;
        }
        List<Sample> samples = devices.get(c.device).samples();
        Sample s = samples.get(c.sample);
        Entry entry = new Entry(c.device, new SensorEvent(devices.get(c.device).device(), baseEpochMs + c.offsetMs,
                s.x(), s.y(), s.z(), s.activity()), dueNanos(c.offsetMs), c.pass);
        pass = c.pass;
        if (c.sample == 0) {
            active++;
        }
        if (c.sample == samples.size() - 1) {
            active--;
            if (loop) {
                c.pass++;
                c.sample = 0;
                c.offsetMs = c.pass * passSpanMs + staggerMs[c.device];
                queue.add(c);
            }
        } else {
            c.sample++;
            c.offsetMs += samples.get(c.sample).timestampMs() - s.timestampMs();
            queue.add(c);
        }
        return entry;
    }

    /** Devices that have sent their first event of the current pass and not yet their last. */
    public int activeDevices() {
        return active;
    }

    /** The pass of the event polled last, 0 for the first. */
    public int pass() {
        return pass;
    }

    private long dueNanos(long offsetMs) {
        return Math.round(offsetMs * nanosPerOffsetMs);
    }
}
