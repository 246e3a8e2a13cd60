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
}
