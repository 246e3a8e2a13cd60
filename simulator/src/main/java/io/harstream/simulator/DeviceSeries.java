package io.harstream.simulator;

import io.harstream.core.data.Sample;

import java.util.List;

/**
 * One person's recording, replayed as one simulated device: their phone.
 *
 * @param device  device id, the record key and the event's {@code device} field: the user id
 * @param user    the WISDM user the samples were recorded from
 * @param samples the recorded samples, timestamps (recording clock, ms) strictly increasing; the series
 *                after a break are moved up to a short pause after the previous one ({@link TestSetReader})
 */
public record DeviceSeries(String device, String user, List<Sample> samples) {

    public DeviceSeries {
        samples = List.copyOf(samples);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("device " + device + " has no samples");
        }
        for (int i = 1; i < samples.size(); i++) {
            // The replayed timestamps keep these steps; a zero or negative one would reach the
            // stream-app as a duplicate or a late sample and break the series there.
            if (samples.get(i).timestampMs() <= samples.get(i - 1).timestampMs()) {
                throw new IllegalArgumentException("device " + device + ": timestamp " + samples.get(i).timestampMs()
                        + " at sample " + i + " does not follow " + samples.get(i - 1).timestampMs());
            }
        }
    }

    public int size() {
        return samples.size();
    }

    /** Recorded time from the first to the last sample. */
    public long durationMs() {
        return samples.get(samples.size() - 1).timestampMs() - samples.get(0).timestampMs();
    }
}
