package io.harstream.simulator;

import io.harstream.core.event.RejectReason;
import io.harstream.core.event.SensorEvent;
import io.harstream.core.event.SensorEventCodec;

/**
 * One Kafka record about to be sent to {@code sensor-events}.
 *
 * @param key      the record key (a device id)
 * @param value    the record value, exactly the bytes sent
 * @param rejectAs null for a valid event; for a deliberately bad one, the reason the stream-app must give
 */
public record OutgoingRecord(String key, byte[] value, RejectReason rejectAs) {

    /** A valid event, keyed by its device as the contract requires. */
    public static OutgoingRecord of(SensorEvent event) {
        return new OutgoingRecord(event.device(), SensorEventCodec.encode(event), null);
    }

    public boolean valid() {
        return rejectAs == null;
    }
}
