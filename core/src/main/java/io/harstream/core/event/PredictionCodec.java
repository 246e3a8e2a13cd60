package io.harstream.core.event;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON for {@link ActivityPrediction}: the record's components as fields, {@code actual} null when unknown. */
public final class PredictionCodec {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private PredictionCodec() {
    }

    public static byte[] encode(ActivityPrediction p) {
        try {
            return JSON.writeValueAsBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ActivityPrediction decode(byte[] bytes) {
        try {
            return JSON.readValue(bytes, ActivityPrediction.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
