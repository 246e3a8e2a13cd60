package io.harstream.simulator;

import io.harstream.core.data.SkipReport;

import java.nio.file.Path;
import java.util.List;

/**
 * The recordings to replay, already cut into one {@link DeviceSeries} per uninterrupted series.
 *
 * @param source            the file that was read
 * @param maxGapMs          the gap that separates series (the model's, so the stream-app agrees)
 * @param devices           one per series, in file order
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
}
