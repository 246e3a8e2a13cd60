package io.harstream.streamapp.topology;

import io.harstream.core.event.ActivityPrediction;
import io.harstream.core.event.PredictionCodec;
import io.harstream.core.event.SensorEvent;
import io.harstream.core.window.WindowSpec;
import io.harstream.streamapp.TestModels;
import io.harstream.streamapp.metrics.HarMetrics;
import io.harstream.streamapp.metrics.HarMetrics.Outcome;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.harstream.streamapp.topology.TopologyFixture.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/** Windowing, batching and the prediction records, through the real topology (window 10, hop 5). */
class WindowingTest {

    private static final long T0 = 1_764_000_000_000L;
    private static final WindowSpec W = TestModels.WINDOW;

    private TopologyFixture app;

    private TopologyFixture start(int batchSize) {
        app = new TopologyFixture(TestModels.untrained(), batchSize);
        return app;
    }

    @AfterEach
    void close() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void firstWindowAfterLengthSamplesThenOneEveryHop() {
        start(256);
        app.sendSeries("d1", T0, W.length() - 1, "Walking");
        app.closeBatch();
        assertThat(app.predictions.isEmpty()).isTrue();

        app.send(event("d1", T0 + 50L * 9, 9, "Walking"));
        app.closeBatch();
        List<ActivityPrediction> first = app.readPredictions();
        assertThat(first).singleElement().satisfies(p -> {
            assertThat(p.windowStart()).isEqualTo(T0);
            assertThat(p.windowEnd()).isEqualTo(T0 + 50L * 9);
        });

        for (int i = 10; i < 20; i++) {
            app.send(event("d1", T0 + 50L * i, i, "Walking"));
        }
        app.closeBatch();
        assertThat(app.readPredictions()).extracting(ActivityPrediction::windowStart)
                .containsExactly(T0 + 50L * 5, T0 + 50L * 10);
        assertThat(app.events(Outcome.ACCEPTED)).isEqualTo(20);
    }

    @Test
    void devicesAreWindowedIndependently() {
        start(256);
        for (int i = 0; i < 10; i++) {
            app.send(event("a", T0 + 50L * i, i, "Walking"));
            app.send(event("b", T0 + 7 + 50L * i, i + 100, "Jogging"));
        }
        app.send(event("c", T0, 0, "Sitting"));
        app.closeBatch();
        assertThat(app.readPredictions()).extracting(ActivityPrediction::device, ActivityPrediction::actual)
                .containsExactlyInAnyOrder(tuple("a", "Walking"),
                        tuple("b", "Jogging"));
    }

    @Test
    void aFullBatchIsClassifiedAtOnceWithoutWaitingForTheClock() {
        start(3);
        app.sendSeries("a", T0, 10, "Walking");
        app.sendSeries("b", T0, 10, "Walking");
        assertThat(app.predictions.isEmpty()).as("two windows pending, batch size 3").isTrue();
        app.sendSeries("c", T0, 10, "Walking");
        assertThat(app.readPredictions()).extracting(ActivityPrediction::device).containsExactly("a", "b", "c");

        var size = app.registry.get(HarMetrics.INFERENCE_BATCH_SIZE).summary();
        assertThat(size.count()).isEqualTo(1);
        assertThat(size.totalAmount()).isEqualTo(3);
        assertThat(app.registry.get(HarMetrics.INFERENCE_BATCH).timer().count()).isEqualTo(1);
    }

    @Test
    void thePunctuatorClosesAPartialBatchAfterTheMaximumDelay() {
        start(256);
        app.sendSeries("a", T0, 10, "Walking");
        app.advanceClock(Duration.ofMillis(20));
        assertThat(app.predictions.isEmpty()).isTrue();
        app.advanceClock(Duration.ofMillis(30));
        assertThat(app.readPredictions()).hasSize(1);
        app.advanceClock(Duration.ofMillis(500));
        assertThat(app.registry.get(HarMetrics.INFERENCE_BATCH).timer().count())
                .as("an empty batch is not a batch").isEqualTo(1);
    }

    @Test
    void aBatchStaysOpenForTheMaximumDelayAfterItsFirstWindow() {
        start(256);
        app.sendSeries("a", T0, 10, "Walking");
        app.advanceClock(Duration.ofMillis(30));
        app.sendSeries("b", T0, 10, "Walking");
        assertThat(app.predictions.isEmpty()).isTrue();
        app.advanceClock(Duration.ofMillis(20));
        assertThat(app.readPredictions()).extracting(ActivityPrediction::device).containsExactly("a", "b");
        assertThat(app.registry.get(HarMetrics.INFERENCE_BATCH_SIZE).summary().count()).as("one batch").isEqualTo(1);
    }

    @Test
    void aGapRestartsTheSeries() {
        start(256);
        app.sendSeries("d", T0, 7, "Walking");
        long after = T0 + 50L * 6 + W.maxGapMs() + 1;
        app.sendSeries("d", after, 9, "Walking");
        app.closeBatch();
        assertThat(app.predictions.isEmpty()).as("7 + 9 samples across a gap make no window").isTrue();
        app.send(event("d", after + 50L * 9, 9, "Walking"));
        app.closeBatch();
        assertThat(app.readPredictions()).singleElement()
                .satisfies(p -> assertThat(p.windowStart()).isEqualTo(after));
        assertThat(app.events(Outcome.ACCEPTED)).isEqualTo(17);
        assertThat(app.count(HarMetrics.SERIES_RESTARTS, "reason", "gap")).isEqualTo(1);
        assertThat(app.count(HarMetrics.SERIES_RESTARTS, "reason", "step_back")).isZero();
    }

    @Test
    void aStepBackRestartsTheSeriesAndCountsAsLate() {
        start(256);
        app.sendSeries("d", T0, 8, "Walking");
        long back = T0 + 100;
        app.send(event("d", back, 50, "Walking"));
        for (int i = 1; i < 10; i++) {
            app.send(event("d", back + 50L * i, 50 + i, "Walking"));
        }
        app.closeBatch();
        assertThat(app.readPredictions()).singleElement()
                .satisfies(p -> assertThat(p.windowStart()).isEqualTo(back));
        assertThat(app.events(Outcome.LATE)).isEqualTo(1);
        assertThat(app.events(Outcome.ACCEPTED)).isEqualTo(17);
        assertThat(app.count(HarMetrics.SERIES_RESTARTS, "reason", "step_back")).isEqualTo(1);
    }

    @Test
    void anExactRepeatIsCountedAndIgnored() {
        start(256);
        app.sendSeries("d", T0, 5, "Walking");
        app.send(event("d", T0 + 50L * 4, 4, "Walking"));
        app.send(event("d", T0 + 50L * 4, 4, "Walking"));
        for (int i = 5; i < 10; i++) {
            app.send(event("d", T0 + 50L * i, i, "Walking"));
        }
        app.closeBatch();
        assertThat(app.readPredictions()).singleElement()
                .satisfies(p -> assertThat(p.windowStart()).isEqualTo(T0));
        assertThat(app.events(Outcome.DUPLICATE)).isEqualTo(2);
        assertThat(app.events(Outcome.ACCEPTED)).isEqualTo(10);
    }

    @Test
    void everyInputEndsAsASampleADuplicateOrADeadLetter() {
        start(4);
        int sent = 0;
        for (int i = 0; i < 40; i++) {
            app.send(event("d" + i % 3, T0 + 50L * (i / 3), i, "Walking"));
            sent++;
            if (i % 7 == 0) {
                app.sendRaw("d0", "{broken".getBytes(StandardCharsets.UTF_8), T0, new RecordHeaders());
                sent++;
            }
            if (i % 11 == 0) {
                app.send(event("d1", T0 - 1_000, 0, "Walking"));
                sent++;
            }
        }
        double total = 0;
        for (Outcome o : Outcome.values()) {
            total += app.events(o);
        }
        assertThat(total).isEqualTo(sent);
    }

    @Test
    void thePredictionRecordCarriesTheWindowItsLabelsAndTheModel() {
        start(256);
        long completedAt = T0 + 123_456;
        for (int i = 0; i < 10; i++) {
            SensorEvent e = event("phone-7", T0 + 50L * i, i, i < 6 ? "Jogging" : "Walking");
            app.send(e, i == 9 ? completedAt : e.ts());
        }
        app.closeBatch();
        TestRecord<String, byte[]> record = app.predictions.readRecord();
        assertThat(record.key()).isEqualTo("phone-7");
        assertThat(record.timestamp()).as("the completing event's record timestamp").isEqualTo(completedAt);
        ActivityPrediction p = PredictionCodec.decode(record.value());
        assertThat(p.device()).isEqualTo("phone-7");
        assertThat(p.windowStart()).isEqualTo(T0);
        assertThat(p.windowEnd()).isEqualTo(T0 + 450);
        assertThat(p.actual()).as("majority label").isEqualTo("Jogging");
        assertThat(p.classes()).isEqualTo(TestModels.CLASSES);
        assertThat(p.probabilities()).hasSize(TestModels.CLASSES.size());
        float sum = 0;
        int best = 0;
        for (int i = 0; i < p.probabilities().length; i++) {
            sum += p.probabilities()[i];
            best = p.probabilities()[i] > p.probabilities()[best] ? i : best;
        }
        assertThat(sum).isCloseTo(1f, within(1e-4f));
        assertThat(p.predicted()).isEqualTo(TestModels.CLASSES.get(best));
        assertThat(p.modelVersion()).isEqualTo(app.bundle.manifest().modelVersion());
        assertThat(app.count(HarMetrics.PREDICTIONS, "actual", "Jogging", "predicted", p.predicted())).isEqualTo(1);
    }

    @Test
    void anUnlabelledWindowHasNoActualAndCountsAsUnknown() {
        start(256);
        app.sendSeries("d", T0, 10, null);
        app.closeBatch();
        ActivityPrediction p = app.readPredictions().get(0);
        assertThat(p.actual()).isNull();
        assertThat(app.count(HarMetrics.PREDICTIONS, "actual", HarMetrics.UNKNOWN_ACTUAL, "predicted", p.predicted()))
                .isEqualTo(1);
    }

    @Test
    void latencyRunsFromTheCompletingEventsRecordTimestampToTheForward() {
        start(256);
        long recordTs = TopologyFixture.START.toEpochMilli() - 200;
        for (int i = 0; i < 10; i++) {
            app.send(event("d", T0 + 50L * i, i, "Walking"), recordTs);
        }
        app.advanceClock(Duration.ofMillis(50));
        var latency = app.registry.get(HarMetrics.EVENT_TO_PREDICTION).timer();
        assertThat(latency.count()).isEqualTo(1);
        // 200 ms before the driver's clock started, 50 ms batch delay, plus the forward pass in real time
        assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isBetween(250.0, 250.0 + 10_000);
    }
}
