package io.harstream.simulator;

import io.harstream.core.data.SkipReport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The recordings to replay, already turned into one {@link DeviceSeries} per person.
 *
 * @param source            the file that was read
 * @param maxGapMs          the gap that separates series (the model's, so the stream-app agrees)
 * @param devices           one per person, in file order
 * @param skipped           input lines the reader passed over, by reason
 * @param duplicatesDropped exact repeats of the previous sample left out (the stream-app would ignore them)
 */
public record TestSet(Path source, long maxGapMs, List<DeviceSeries> devices, SkipReport skipped,
                      long duplicatesDropped) {

    public TestSet {
        devices = List.copyOf(devices);
    }

    public long sampleCount() {
        return devices.stream().mapToLong(DeviceSeries::size).sum();
    }

    public long userCount() {
        return devices.stream().map(DeviceSeries::user).distinct().count();
    }

    /** The first {@code n} devices in file order (all of them when there are fewer). */
    public TestSet firstDevices(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("device limit must be at least 1, got " + n);
        }
        return n >= devices.size() ? this
                : new TestSet(source, maxGapMs, devices.subList(0, n), skipped, duplicatesDropped);
    }

    /**
     * Every device replayed by {@code n} devices at once, ids {@code <device>-<k>} for k = 1..n in device
     * order: n people with the same recording, for a livelier demo or a load test. {@code n = 1} is this set.
     */
    public TestSet copies(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("copies must be at least 1, got " + n);
        }
        if (n == 1) {
            return this;
        }
        List<DeviceSeries> copied = new ArrayList<>(devices.size() * n);
        for (DeviceSeries d : devices) {
            for (int k = 1; k <= n; k++) {
                copied.add(new DeviceSeries(d.device() + "-" + k, d.user(), d.samples()));
            }
        }
        return new TestSet(source, maxGapMs, copied, skipped, duplicatesDropped);
    }
}
