package io.harstream.core.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON encoding of {@link SensorEvent}, with strict validation on decode: every way an event can be
 * wrong maps to one {@link RejectReason}. Uses Jackson's streaming API: this runs once for every event the
 * stream-app reads (the rates it is meant to sustain: BENCHMARKS.md#stream-app), where building a tree per
 * record would be the bottleneck.
 */
public final class SensorEventCodec {

    /** No valid event comes near this; anything larger is rejected before parsing. */
    public static final int MAX_BYTES = 1024;
    /** Phone accelerometers saturate at 2-8 g; 16 g (157 m/s^2) leaves room for any real sensor. */
    public static final float MAX_ABS_ACCELERATION = 160f;
    /** 2001-09-09 .. 2286-11-20 in epoch ms: rejects seconds, microseconds and nanoseconds by mistake. */
    public static final long MIN_TS = 1_000_000_000_000L;
    public static final long MAX_TS = 9_999_999_999_999L;
    public static final int MAX_DEVICE_LENGTH = 128;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private SensorEventCodec() {
    }

    public static byte[] encode(SensorEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("device", e.device());
            g.writeNumberField("ts", e.ts());
            g.writeNumberField("x", e.x());
            g.writeNumberField("y", e.y());
            g.writeNumberField("z", e.z());
            if (e.activity() != null) {
                g.writeStringField("activity", e.activity());
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** Parses and validates one event (the key check is the caller's: it knows the key). */
    public static SensorEvent decode(byte[] bytes) throws InvalidEventException {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidEventException(RejectReason.MALFORMED_JSON, "empty record");
        }
        if (bytes.length > MAX_BYTES) {
            throw new InvalidEventException(RejectReason.OVERSIZED, bytes.length + " bytes (max " + MAX_BYTES + ")");
        }
        String device = null;
        String activity = null;
        Long ts = null;
        Float x = null;
        Float y = null;
        Float z = null;
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEventException(RejectReason.MALFORMED_JSON, "not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "device" -> device = text(p, v, field);
                    case "activity" -> activity = v == JsonToken.VALUE_NULL ? null : text(p, v, field);
                    case "ts" -> ts = integer(p, v);
                    case "x" -> x = axis(p, v, field);
                    case "y" -> y = axis(p, v, field);
                    case "z" -> z = axis(p, v, field);
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new InvalidEventException(RejectReason.MALFORMED_JSON, "trailing content after the object");
            }
        } catch (IOException e) {
            throw new InvalidEventException(RejectReason.MALFORMED_JSON, firstLine(e.getMessage()));
        }
        if (device == null || ts == null || x == null || y == null || z == null) {
            throw new InvalidEventException(RejectReason.MISSING_FIELD, "needs device, ts, x, y and z");
        }
        if (device.isBlank() || device.length() > MAX_DEVICE_LENGTH) {
            throw new InvalidEventException(RejectReason.WRONG_TYPE, "device must be 1-" + MAX_DEVICE_LENGTH
                    + " characters");
        }
        if (ts < MIN_TS || ts > MAX_TS) {
            throw new InvalidEventException(RejectReason.OUT_OF_RANGE, "ts " + ts + " is not epoch milliseconds");
        }
        return new SensorEvent(device, ts, x, y, z, activity);
    }

    private static String text(JsonParser p, JsonToken v, String field) throws IOException, InvalidEventException {
        if (v != JsonToken.VALUE_STRING) {
            throw new InvalidEventException(RejectReason.WRONG_TYPE, field + " must be a string");
        }
        return p.getText();
    }

    private static Long integer(JsonParser p, JsonToken v) throws IOException, InvalidEventException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidEventException(RejectReason.WRONG_TYPE, "ts must be an integer (epoch ms)");
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new InvalidEventException(RejectReason.OUT_OF_RANGE, "ts does not fit in 64 bits");
        }
        return p.getLongValue();
    }

    private static Float axis(JsonParser p, JsonToken v, String field) throws IOException, InvalidEventException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v == JsonToken.VALUE_STRING) {
            String s = p.getText().trim();
            // JSON has no NaN/Infinity literals; producers that write them as strings mean non-finite
            if (s.equalsIgnoreCase("nan") || s.matches("(?i)[+-]?inf(inity)?")) {
                throw new InvalidEventException(RejectReason.NON_FINITE, field + " is " + s);
            }
            throw new InvalidEventException(RejectReason.WRONG_TYPE, field + " must be a number");
        }
        if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new InvalidEventException(RejectReason.WRONG_TYPE, field + " must be a number");
        }
        double d = p.getDoubleValue();
        if (!Double.isFinite(d)) {
            throw new InvalidEventException(RejectReason.NON_FINITE, field + " is " + d);
        }
        if (Math.abs(d) > MAX_ABS_ACCELERATION) {
            throw new InvalidEventException(RejectReason.OUT_OF_RANGE, field + " = " + d + " m/s^2 exceeds +-"
                    + MAX_ABS_ACCELERATION);
        }
        return (float) d;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unparseable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
