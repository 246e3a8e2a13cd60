package io.harstream.streamapp.replay;

import io.harstream.core.event.ActivityPrediction;
import io.harstream.core.event.SensorEvent;
import io.harstream.core.model.ModelBundle;
import io.harstream.streamapp.TestModels;
import io.harstream.streamapp.metrics.HarMetrics;
import io.harstream.streamapp.topology.TopologyFixture;
import io.harstream.streamapp.topology.TopologySettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fixed-lag smoother served by the topology ({@code --smoothing-lag}): the lagged label of every window, carried
 * by the record of a later window of its device, must be the offline fixed-lag smoother's (core's
 * {@code ActivitySmoother.smooth} with the same lag over the device's windows in time order, what the trainer
 * evaluates), exactly once, in the records and in {@code har_predictions_total{stage="lagged"}}, while the devices
 * interleave and batches of different make-up close; and a task restarted from its stores must continue exactly.
 */
class FixedLagReplayTest {

    private static final int LAG = 4;
    private static final ModelBundle BUNDLE = TestModels.withSmoothing(TestModels.trained(), 0.95);

    /**
     * 24 devices, some switching activity midway, some with a pause within the smoother's gap limit, each ending
     * with one window after a pause over it, so that every other window's lagged label becomes final.
     */
    private static Replay replay() {
        int length = BUNDLE.segmenter().spec().length();
        return Replay.of(SyntheticRecordings.closedByAPause(
                SyntheticRecordings.generate(TestModels.CLASSES, 24, 160, 2024), length, 60_000));
    }

    @Test
    void everyWindowsLaggedLabelIsTheOfflineFixedLagSmoothersOnce() {
        Replay replay = replay();
        Replay.Offline offline = replay.offline(BUNDLE);
        Map<WindowKey, String> lagged = replay.laggedOffline(BUNDLE, LAG);
        long changed = lagged.keySet().stream().filter(k -> !lagged.get(k).equals(offline.smoothed().get(k))).count();
        assertThat(changed).as("windows the lag classifies differently from the causal filter").isGreaterThan(5);

        List<ActivityPrediction> predictions = new ArrayList<>();
        Confusion counted;
        try (TopologyFixture app = new TopologyFixture(BUNDLE, settings())) {
            send(app, replay.events(), 0, Integer.MAX_VALUE);
            app.closeBatch();
            predictions.addAll(app.readPredictions());
            counted = Confusion.fromMetrics(app.registry, BUNDLE.classes(), HarMetrics.Stage.LAGGED);
            assertThat(Confusion.fromMetrics(app.registry, BUNDLE.classes(), HarMetrics.Stage.SMOOTHED))
                    .as("the causal smoothing is unchanged").isEqualTo(offline.smoothedConfusion());
        }
        assertLaggedAsOffline(predictions, replay, offline, lagged);
        assertThat(counted).as("har_predictions_total{stage=\"lagged\"}").isEqualTo(LaggedLabels.confusion(predictions));
    }

    @Test
    void aTaskRestartedFromItsStoresContinuesExactly() {
        Replay replay = replay();
        Replay.Offline offline = replay.offline(BUNDLE);
        Map<WindowKey, String> lagged = replay.laggedOffline(BUNDLE, LAG);
        List<SensorEvent> events = replay.events();
        List<ActivityPrediction> predictions = new ArrayList<>();
        TopologyFixture app = new TopologyFixture(BUNDLE, settings());
        try {
            // Stopped in the middle, with windows waiting for their lagged labels and a batch still open.
            send(app, events, 0, events.size() / 2);
            predictions.addAll(app.readPredictions());
            assertThat(predictions).as("predictions before the restart").isNotEmpty();
            app = app.restartedFromStores();
            send(app, events, events.size() / 2, events.size());
            app.closeBatch();
            predictions.addAll(app.readPredictions());
        } finally {
            app.close();
        }
        assertLaggedAsOffline(predictions, replay, offline, lagged);
    }

    @Test
    void withoutALagNoRecordCarriesLaggedLabelsAndNoCounterExists() {
        Replay replay = Replay.of(SyntheticRecordings.generate(TestModels.CLASSES, 4, 160, 2024));
        try (TopologyFixture app = new TopologyFixture(BUNDLE, 16)) {
            send(app, replay.events(), 0, Integer.MAX_VALUE);
            app.closeBatch();
            List<ActivityPrediction> predictions = app.readPredictions();
            assertThat(predictions).isNotEmpty().allSatisfy(p -> assertThat(p.lagged()).isNull());
            assertThat(app.registry.find(HarMetrics.PREDICTIONS).tag("stage", "lagged").counters()).isEmpty();
        }
    }

    /**
     * A device whose first window comes long after the other devices' (and after its own earlier life, as far as the
     * stream knows): its filter starts at its own prediction, and no other device's waiting windows reach its
     * records.
     */
    @Test
    void aDeviceWhoseFirstWindowArrivesAfterALongGapStartsAtItsOwnPrediction() {
        int length = BUNDLE.segmenter().spec().length();
        try (TopologyFixture app = new TopologyFixture(BUNDLE, settings().withBatching(1, Duration.ofMillis(50)))) {
            app.sendSeries("early", TopologyFixture.START.toEpochMilli(), length * 3, "Walking");
            app.closeBatch();
            List<ActivityPrediction> early = app.readPredictions();
            assertThat(early).hasSizeGreaterThan(LAG);
            long tenMinutesLater = TopologyFixture.START.toEpochMilli() + 600_000;
            app.sendSeries("late", tenMinutesLater, length + 3 * BUNDLE.segmenter().spec().hop(), "Walking");
            app.closeBatch();
            List<ActivityPrediction> late = app.readPredictions();
            assertThat(late).hasSize(4).allSatisfy(p -> assertThat(p.device()).isEqualTo("late"));
            ActivityPrediction first = late.get(0);
            assertThat(first.smoothedPredicted()).as("a restart: the network's own class").isEqualTo(first.predicted());
            assertThat(first.smoothedProbabilities()).hasSize(first.probabilities().length);
            for (int j = 0; j < first.probabilities().length; j++) {
                assertThat(first.smoothedProbabilities()[j]).isCloseTo(first.probabilities()[j],
                        org.assertj.core.data.Offset.offset(1e-6f));
            }
            assertThat(late).as("nothing final yet: fewer than %d later windows", LAG)
                    .allSatisfy(p -> assertThat(p.lagged()).isNull());
        }
    }

    private static TopologySettings settings() {
        return TopologySettings.defaults().withBatching(16, Duration.ofMillis(50)).withSmoothingLag(LAG);
    }

    private static void send(TopologyFixture app, List<SensorEvent> events, int from, int to) {
        for (int i = from; i < Math.min(to, events.size()); i++) {
            app.send(events.get(i));
            // Some batches close on size, some on the clock: every make-up of batch is exercised.
            if ((i + 1) % 97 == 0) {
                app.advanceClock(Duration.ofMillis(50));
            }
        }
    }

    /**
     * Raw and causal as offline; every window's lagged label once and the offline one, except each device's last
     * window (after the pause), which waits for later windows.
     */
    private static void assertLaggedAsOffline(List<ActivityPrediction> predictions, Replay replay,
                                              Replay.Offline offline, Map<WindowKey, String> expected) {
        Map<WindowKey, String> raw = new TreeMap<>();
        Map<WindowKey, String> smoothed = new TreeMap<>();
        for (ActivityPrediction p : predictions) {
            WindowKey k = new WindowKey(p.device(), p.windowStart());
            assertThat(raw.put(k, p.predicted())).as("window %s predicted twice", k).isNull();
            smoothed.put(k, p.smoothedPredicted());
        }
        assertThat(raw).as("raw, window by window").isEqualTo(new TreeMap<>(offline.predicted()));
        assertThat(smoothed).as("causal, window by window").isEqualTo(new TreeMap<>(offline.smoothed()));
        for (ActivityPrediction p : predictions) {
            if (p.lagged() != null) {
                p.lagged().forEach(l -> assertThat(l.actual())
                        .isEqualTo(offline.actual().get(new WindowKey(p.device(), l.windowStart()))));
            }
        }
        Map<WindowKey, String> streamed = LaggedLabels.of(predictions);
        assertThat(streamed).as("lagged labels, window by window")
                .isEqualTo(LaggedLabels.allButEachDevicesLast(expected));
        assertThat(streamed).hasSize(offline.predicted().size() - replay.devices().size());
    }
}
