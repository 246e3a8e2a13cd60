package io.harstream.streamapp.topology;

import io.harstream.core.event.RejectReason;
import io.harstream.streamapp.TestModels;
import io.harstream.streamapp.metrics.HarMetrics;
import io.harstream.streamapp.metrics.HarMetrics.Outcome;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static io.harstream.streamapp.topology.TopologyFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

/** Every way an input record can be rejected: it reaches the dead-letter topic intact, with its reason. */
class DeadLetterTest {

    private static final long T0 = 1_764_000_000_000L;
    private static final String VALID = "\"device\":\"d1\",\"ts\":1764000000000,\"x\":0.5,\"y\":9.8,\"z\":-0.1";

    private TopologyFixture app;

    @BeforeEach
    void start() {
        app = new TopologyFixture(TestModels.untrained(), 256);
    }

    @AfterEach
    void close() {
        app.close();
    }

    static Stream<Arguments> rejects() {
        return Stream.of(
                Arguments.of("truncated JSON", "d1", "{\"device\":\"d1\",\"ts\":", RejectReason.MALFORMED_JSON),
                Arguments.of("not an object", "d1", "[1,2,3]", RejectReason.MALFORMED_JSON),
                Arguments.of("not JSON at all", "d1", "hello", RejectReason.MALFORMED_JSON),
                Arguments.of("empty value", "d1", "", RejectReason.MALFORMED_JSON),
                Arguments.of("trailing garbage", "d1", "{" + VALID + "} {}", RejectReason.MALFORMED_JSON),
                Arguments.of("missing z", "d1", "{\"device\":\"d1\",\"ts\":1764000000000,\"x\":0.5,\"y\":9.8}",
                        RejectReason.MISSING_FIELD),
                Arguments.of("missing device", "d1", "{\"ts\":1764000000000,\"x\":0.5,\"y\":9.8,\"z\":1}",
                        RejectReason.MISSING_FIELD),
                Arguments.of("axis is text", "d1", "{" + VALID.replace("\"x\":0.5", "\"x\":\"abc\"") + "}",
                        RejectReason.WRONG_TYPE),
                Arguments.of("ts is fractional", "d1",
                        "{" + VALID.replace("\"ts\":1764000000000", "\"ts\":1764000000000.5") + "}",
                        RejectReason.WRONG_TYPE),
                Arguments.of("device is a number", "d1", "{" + VALID.replace("\"device\":\"d1\"", "\"device\":7") + "}",
                        RejectReason.WRONG_TYPE),
                Arguments.of("NaN as a string", "d1", "{" + VALID.replace("\"x\":0.5", "\"x\":\"NaN\"") + "}",
                        RejectReason.NON_FINITE),
                Arguments.of("Infinity as a string", "d1", "{" + VALID.replace("\"y\":9.8", "\"y\":\"-Infinity\"") + "}",
                        RejectReason.NON_FINITE),
                Arguments.of("axis beyond 16 g", "d1", "{" + VALID.replace("\"z\":-0.1", "\"z\":500") + "}",
                        RejectReason.OUT_OF_RANGE),
                Arguments.of("ts in seconds", "d1",
                        "{" + VALID.replace("\"ts\":1764000000000", "\"ts\":1764000000") + "}",
                        RejectReason.OUT_OF_RANGE),
                Arguments.of("ts in nanoseconds", "d1",
                        "{" + VALID.replace("\"ts\":1764000000000", "\"ts\":1764000000000000000") + "}",
                        RejectReason.OUT_OF_RANGE),
                Arguments.of("key differs from device", "d2", "{" + VALID + "}", RejectReason.KEY_MISMATCH),
                Arguments.of("no key", null, "{" + VALID + "}", RejectReason.KEY_MISMATCH),
                Arguments.of("unknown activity", "d1", "{" + VALID + ",\"activity\":\"Swimming\"}",
                        RejectReason.UNKNOWN_ACTIVITY),
                Arguments.of("oversized", "d1", "{" + VALID + ",\"pad\":\"" + "x".repeat(2_000) + "\"}",
                        RejectReason.OVERSIZED));
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("rejects")
    void goesToTheDeadLetterTopicWithOriginalBytesAndReason(String what, String key, String value,
                                                            RejectReason reason) {
        byte[] original = value.getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace-id", "abc".getBytes(StandardCharsets.UTF_8));
        app.sendRaw(key, original, T0 + 5, headers);
        app.closeBatch();

        TestRecord<byte[], byte[]> dead = app.deadLetters.readRecord();
        assertThat(dead.key()).isEqualTo(key == null ? null : key.getBytes(StandardCharsets.UTF_8));
        assertThat(dead.value()).isEqualTo(original);
        assertThat(dead.timestamp()).isEqualTo(T0 + 5);
        assertThat(header(dead, "harstream.reject.reason")).isEqualTo(reason.id());
        assertThat(header(dead, "harstream.reject.detail")).startsWith(reason.id() + ": ").hasSizeGreaterThan(
                reason.id().length() + 4);
        assertThat(header(dead, "trace-id")).as("producer headers are kept").isEqualTo("abc");
        assertThat(app.deadLetters.isEmpty()).isTrue();
        assertThat(app.predictions.isEmpty()).isTrue();

        assertThat(app.events(Outcome.REJECTED)).isEqualTo(1);
        assertThat(app.events(Outcome.ACCEPTED)).isZero();
        for (RejectReason r : RejectReason.values()) {
            assertThat(app.count(HarMetrics.DEAD_LETTERS, "reason", r.id())).as(r.id()).isEqualTo(r == reason ? 1 : 0);
        }
    }

    @Test
    void rejectedRecordsNeitherStopNorDisturbTheDevicesSeries() {
        for (int i = 0; i < 10; i++) {
            app.send(event("d1", T0 + 50L * i, i, "Walking"));
            app.sendRaw("d1", "{oops".getBytes(StandardCharsets.UTF_8), T0, new RecordHeaders());
            app.sendRaw("d1", ("{\"device\":\"d1\",\"ts\":" + (T0 + 50L * i + 1) + ",\"x\":1,\"y\":1,\"z\":999}")
                    .getBytes(StandardCharsets.UTF_8), T0, new RecordHeaders());
        }
        app.closeBatch();
        assertThat(app.readPredictions()).singleElement().satisfies(p -> assertThat(p.windowStart()).isEqualTo(T0));
        assertThat(app.deadLetters.getQueueSize()).isEqualTo(20);
        assertThat(app.events(Outcome.REJECTED)).isEqualTo(20);
        assertThat(app.events(Outcome.ACCEPTED)).isEqualTo(10);
    }

    @Test
    void aRecordHeaderClaimingARejectReasonIsReplacedNotDuplicated() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("harstream.reject.reason", "forged".getBytes(StandardCharsets.UTF_8));
        app.sendRaw("d1", "nope".getBytes(StandardCharsets.UTF_8), T0, headers);
        TestRecord<byte[], byte[]> dead = app.deadLetters.readRecord();
        assertThat(dead.headers().headers("harstream.reject.reason")).hasSize(1);
        assertThat(header(dead, "harstream.reject.reason")).isEqualTo("malformed_json");
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
