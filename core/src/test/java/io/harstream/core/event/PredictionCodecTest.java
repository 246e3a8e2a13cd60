package io.harstream.core.event;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PredictionCodecTest {

    private static final List<String> CLASSES = List.of("Walking", "Sitting");

    @Test
    void withoutSmoothingTheSmoothedFieldsAreAbsentAndActualStaysExplicit() {
        ActivityPrediction p = new ActivityPrediction("d", 1, 2, "Walking", CLASSES, new float[] {0.75f, 0.25f}, null,
                "m", null, null);
        String json = new String(PredictionCodec.encode(p), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("smoothed").contains("\"actual\":null");
        assertThat(PredictionCodec.decode(json.getBytes(StandardCharsets.UTF_8))).usingRecursiveComparison()
                .isEqualTo(p);
    }

    @Test
    void smoothedFieldsRoundTripAndOldRecordsStillRead() {
        ActivityPrediction p = new ActivityPrediction("d", 1, 2, "Walking", CLASSES, new float[] {0.75f, 0.25f},
                "Sitting", "m", "Sitting", new float[] {0.125f, 0.875f});
        String json = new String(PredictionCodec.encode(p), StandardCharsets.UTF_8);
        assertThat(json).endsWith("\"smoothedPredicted\":\"Sitting\",\"smoothedProbabilities\":[0.125,0.875]}");
        assertThat(PredictionCodec.decode(json.getBytes(StandardCharsets.UTF_8))).usingRecursiveComparison()
                .isEqualTo(p);
        // A record of the first format (no smoothed fields) and one from a later format (an unknown field) read.
        String old = "{\"device\":\"d\",\"windowStart\":1,\"windowEnd\":2,\"predicted\":\"Walking\","
                + "\"classes\":[\"Walking\",\"Sitting\"],\"probabilities\":[0.75,0.25],\"actual\":null,"
                + "\"modelVersion\":\"m\",\"later\":7}";
        ActivityPrediction read = PredictionCodec.decode(old.getBytes(StandardCharsets.UTF_8));
        assertThat(read.smoothedPredicted()).isNull();
        assertThat(read.smoothedProbabilities()).isNull();
        assertThat(read.predicted()).isEqualTo("Walking");
    }

    @Test
    void laggedLabelsRoundTripAfterTheSmoothedFields() {
        ActivityPrediction p = new ActivityPrediction("d", 5_000, 6_000, "Walking", CLASSES, new float[] {0.75f, 0.25f},
                "Walking", "m", "Walking", new float[] {0.875f, 0.125f},
                List.of(new LaggedPrediction(3_000, 4_000, "Sitting", null), new LaggedPrediction(4_000, 5_000,
                        "Walking", "Walking")));
        String json = new String(PredictionCodec.encode(p), StandardCharsets.UTF_8);
        assertThat(json).endsWith("\"lagged\":[{\"windowStart\":3000,\"windowEnd\":4000,\"predicted\":\"Sitting\","
                + "\"actual\":null},{\"windowStart\":4000,\"windowEnd\":5000,\"predicted\":\"Walking\","
                + "\"actual\":\"Walking\"}]}");
        assertThat(PredictionCodec.decode(json.getBytes(StandardCharsets.UTF_8))).usingRecursiveComparison()
                .isEqualTo(p);
        ActivityPrediction without = new ActivityPrediction("d", 1, 2, "Walking", CLASSES, new float[] {0.75f, 0.25f},
                null, "m", "Walking", new float[] {0.5f, 0.5f});
        String plain = new String(PredictionCodec.encode(without), StandardCharsets.UTF_8);
        assertThat(plain).doesNotContain("lagged");
        assertThat(PredictionCodec.decode(plain.getBytes(StandardCharsets.UTF_8)).lagged()).isNull();
    }
}
