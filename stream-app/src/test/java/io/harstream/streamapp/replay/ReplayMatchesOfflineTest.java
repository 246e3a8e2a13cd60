package io.harstream.streamapp.replay;

import io.harstream.core.event.ActivityPrediction;
import io.harstream.core.event.SensorEvent;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.model.TestBundles;
import io.harstream.core.window.AxesFrame;
import io.harstream.streamapp.TestModels;
import io.harstream.streamapp.metrics.HarMetrics;
import io.harstream.streamapp.topology.TopologyFixture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's central end-to-end check, on the topology: replaying labelled recordings as events must
 * give exactly the trainer's offline windows and confusion matrix — in the prediction records and in
 * {@code har_predictions_total}. The events interleave many devices, so the stream classifies windows in
 * batches of a different make-up than the offline pass; the argmax must not care.
 */
class ReplayMatchesOfflineTest {


    @Test
    void replayedRecordingsReproduceTheOfflineConfusionMatrix() {
        replayMatchesOffline(TestModels.trained(),
                Replay.of(SyntheticRecordings.generate(TestModels.CLASSES, 24, 100, 2024)));
    }

    /**
     * The same with the walking frame: each device's windows are turned by the frame its own past motion set,
     * kept in the {@code device-frames} store, while the devices interleave. The frame must matter (it
     * changes predictions), or this would not show the stream applies it.
     */
    @Test
    void theWalkingFrameIsAppliedPerDeviceAsOffline() {
        ModelBundle walking = TestBundles.inFrame(TestModels.trained(), AxesFrame.WALKING);
        Replay replay = Replay.of(SyntheticRecordings.generate(TestModels.CLASSES, 24, 100, 2024));
        Map<WindowKey, String> phone = replay.offline(TestModels.trained()).predicted();
        Map<WindowKey, String> turned = replay.offline(walking).predicted();
        long changed = phone.keySet().stream().filter(k -> !phone.get(k).equals(turned.get(k))).count();
        assertThat(changed).as("windows the walking frame classifies differently").isGreaterThan(10);

        replayMatchesOffline(walking, replay);
    }

    /**
     * A bundle that smooths: each device's smoother state lives in the {@code device-smoothers} store while the
     * devices interleave and batches of different make-up close, and the smoothed class of every window must be the
     * offline smoother's over the same device's windows in time order, in the records and in
     * {@code har_predictions_total{stage="smoothed"}}. The smoother must matter (change predictions), or this would
     * not show the stream applies it.
     */
    @Test
    void theSmoothedPredictionsAreTheOfflineSmoothersPerDevice() {
        ModelBundle smoothing = TestModels.withSmoothing(TestModels.trained(), 0.95);
        Replay replay = Replay.of(SyntheticRecordings.generate(TestModels.CLASSES, 24, 100, 2024));
        Replay.Offline offline = replay.offline(smoothing);
        long changed = offline.predicted().keySet().stream()
                .filter(k -> !offline.predicted().get(k).equals(offline.smoothed().get(k))).count();
        assertThat(changed).as("windows the smoother classifies differently").isGreaterThan(10);

        replayMatchesOffline(smoothing, replay);
    }

    private static void replayMatchesOffline(ModelBundle bundle, Replay replay) {
        Replay.Offline offline = replay.offline(bundle);
        assertThat(offline.confusion().predictedClasses()).as("a model that predicts more than one class")
                .isGreaterThan(2);

        List<ActivityPrediction> predictions;
        try (TopologyFixture app = new TopologyFixture(bundle, 16)) {
            int sent = 0;
            for (SensorEvent e : replay.events()) {
                app.send(e);
                // Some batches close on size, some on the clock: every make-up of batch is exercised.
                if (++sent % 97 == 0) {
                    app.advanceClock(Duration.ofMillis(50));
                }
            }
            app.closeBatch();
            predictions = app.readPredictions();
            assertThat(Confusion.fromMetrics(app.registry, bundle.classes())).isEqualTo(offline.confusion());
            if (bundle.manifest().smoothed()) {
                assertThat(Confusion.fromMetrics(app.registry, bundle.classes(), HarMetrics.Stage.SMOOTHED))
                        .as("har_predictions_total{stage=\"smoothed\"}").isEqualTo(offline.smoothedConfusion());
            } else {
                assertThat(app.registry.find(HarMetrics.PREDICTIONS).tag("stage", "smoothed").counters())
                        .as("no smoothed counters without smoothing").isEmpty();
            }
        }

        Map<WindowKey, String> streamed = new TreeMap<>();
        for (ActivityPrediction p : predictions) {
            assertThat(streamed.put(new WindowKey(p.device(), p.windowStart()), p.predicted()))
                    .as("window %s/%d predicted twice", p.device(), p.windowStart()).isNull();
        }
        assertThat(streamed).isEqualTo(new TreeMap<>(offline.predicted()));
        Map<WindowKey, String> smoothed = new TreeMap<>();
        for (ActivityPrediction p : predictions) {
            if (p.smoothedPredicted() != null) {
                smoothed.put(new WindowKey(p.device(), p.windowStart()), p.smoothedPredicted());
            }
        }
        assertThat(smoothed).as("smoothed, window by window").isEqualTo(new TreeMap<>(offline.smoothed()));
        assertThat(Confusion.of(predictions)).isEqualTo(offline.confusion());
        assertThat(offline.confusion().total()).isEqualTo(predictions.size()).isGreaterThan(300);
    }
}
