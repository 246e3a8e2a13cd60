package io.harstream.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.harstream.core.event.RejectReason;
import io.harstream.core.event.SensorEvent;
import io.harstream.core.event.SensorEventCodec;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deliberately bad events mixed into the stream so the dead-letter path has something to show: a
 * given fraction of everything sent, cycling through every {@link RejectReason} in turn.
 * Deterministic (no randomness): the same run sends the same bad events after the same good ones.
 *
 * <p>Each bad event is built from the good event just sent and keyed by its device, so it lands in that
 * device's partition right after it (a key from elsewhere would arrive out of order with the device's
 * own events). The two kinds {@link SensorEventCodec#decode} accepts are harmless even to a consumer
 * that skipped the key and activity checks: the unknown-activity event repeats the good sample exactly
 * (the segmenter ignores an exact duplicate), and the key-mismatch event carries the good sample under
 * a device id that no device has ({@code <device>-impostor}), so windowing by either its key or its
 * device field touches no real series.
 */
public final class MalformedMix {

    /** Appended to the device id in the body of a key-mismatch event. */
    static final String IMPOSTOR_SUFFIX = "-impostor";
    /** An activity no model knows. */
    static final String UNKNOWN_ACTIVITY = "Levitating";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RejectReason[] KINDS = RejectReason.values();

    private final double badPerGood;
    private double credit;
    private int nextKind;

    /** @param fraction share of all sent events that are bad, 0 (none) up to but excluding 1 */
    public MalformedMix(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("malformed fraction must be at least 0 and below 1, got " + fraction);
        }
        // b bad per good event makes b / (1 + b) of the total bad: solve for the fraction asked.
        this.badPerGood = fraction / (1 - fraction);
    }

    /** The bad events to send right after {@code good} (usually none). */
    public List<OutgoingRecord> after(SensorEvent good) {
        credit += badPerGood;
        if (credit < 1) {
            return List.of();
        }
        int n = (int) credit;
        credit -= n;
        List<OutgoingRecord> bad = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            bad.add(build(KINDS[nextKind], good));
            nextKind = (nextKind + 1) % KINDS.length;
        }
        return bad;
    }

    /** A record the stream-app must reject with {@code reason}, derived from {@code good}. */
    static OutgoingRecord build(RejectReason reason, SensorEvent good) {
        byte[] value = switch (reason) {
            case MALFORMED_JSON -> {
                // a writer that died mid-record: the closing brace is missing
                byte[] json = SensorEventCodec.encode(good);
                yield Arrays.copyOf(json, json.length - 1);
            }
            case MISSING_FIELD -> {
                Map<String, Object> m = fields(good);
                m.remove("z");
                yield json(m);
            }
            case WRONG_TYPE -> {
                // an ISO time instead of epoch milliseconds
                Map<String, Object> m = fields(good);
                m.put("ts", Instant.ofEpochMilli(good.ts()).toString());
                yield json(m);
            }
            case NON_FINITE -> {
                // JSON has no NaN literal; producers that have one write it as a string
                Map<String, Object> m = fields(good);
                m.put("x", "NaN");
                yield json(m);
            }
            case OUT_OF_RANGE -> {
                // about 100 g: no phone accelerometer reports that
                Map<String, Object> m = fields(good);
                m.put("y", 1_000.0f);
                yield json(m);
            }
            case KEY_MISMATCH -> SensorEventCodec.encode(new SensorEvent(good.device() + IMPOSTOR_SUFFIX, good.ts(),
                    good.x(), good.y(), good.z(), good.activity()));
            case UNKNOWN_ACTIVITY -> SensorEventCodec.encode(new SensorEvent(good.device(), good.ts(), good.x(),
                    good.y(), good.z(), UNKNOWN_ACTIVITY));
            case OVERSIZED -> {
                // a valid event dragging a payload along: larger than any event the contract allows
                Map<String, Object> m = fields(good);
                m.put("debug", "x".repeat(SensorEventCodec.MAX_BYTES));
                yield json(m);
            }
        };
        return new OutgoingRecord(good.device(), value, reason);
    }

    private static Map<String, Object> fields(SensorEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", e.device());
        m.put("ts", e.ts());
        m.put("x", e.x());
        m.put("y", e.y());
        m.put("z", e.z());
        if (e.activity() != null) {
            m.put("activity", e.activity());
        }
        return m;
    }

    private static byte[] json(Map<String, Object> fields) {
        try {
            return JSON.writeValueAsString(fields).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
