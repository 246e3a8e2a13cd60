package io.harstream.streamapp.replay;

import io.harstream.core.event.ActivityPrediction;
import io.harstream.core.event.SensorEvent;
import io.harstream.core.model.ModelBundle;
import io.harstream.streamapp.TestModels;
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
        ModelBundle bundle = TestModels.trained();
        Replay replay = Replay.of(SyntheticRecordings.generate(TestModels.CLASSES, 24, 100, 2024));
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
        }

        Map<WindowKey, String> streamed = new TreeMap<>();
        for (ActivityPrediction p : predictions) {
            assertThat(streamed.put(new WindowKey(p.device(), p.windowStart()), p.predicted()))
                    .as("window %s/%d predicted twice", p.device(), p.windowStart()).isNull();
        }
        assertThat(streamed).isEqualTo(new TreeMap<>(offline.predicted()));
        assertThat(Confusion.of(predictions)).isEqualTo(offline.confusion());
        assertThat(offline.confusion().total()).isEqualTo(predictions.size()).isGreaterThan(300);
    }
}
