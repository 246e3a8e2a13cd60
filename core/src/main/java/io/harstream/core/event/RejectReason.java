package io.harstream.core.event;

import java.util.Locale;

/** Why an input record went to the dead-letter topic; {@link #id()} is the header value and metric label. */
public enum RejectReason {
    /** Not parseable as a JSON object. */
    MALFORMED_JSON,
    /** A required field (device, ts, x, y, z) is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong JSON type (e.g. "x":"abc", "ts":1.5). */
    WRONG_TYPE,
    /** NaN or Infinity in an axis. */
    NON_FINITE,
    /** An axis beyond what a phone accelerometer can report, or a timestamp outside the plausible range. */
    OUT_OF_RANGE,
    /** The record key is missing or differs from the device field. */
    KEY_MISMATCH,
    /** An activity label the model does not know. */
    UNKNOWN_ACTIVITY,
    /** The record is larger than any valid event. */
    OVERSIZED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
