package io.harstream.streamapp.it;

import io.harstream.core.event.SensorEvent;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.model.TestBundles;
import io.harstream.core.window.AxesFrame;
import io.harstream.streamapp.RunningStreamApp;
import io.harstream.streamapp.StreamApp;
import io.harstream.streamapp.TestModels;
import io.harstream.streamapp.config.StreamAppConfig;
import io.harstream.streamapp.replay.LaggedLabels;
import io.harstream.streamapp.replay.Replay;
import io.harstream.streamapp.replay.SyntheticRecordings;
import io.harstream.streamapp.replay.WindowKey;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exactly-once claim under a real crash: an instance in a child JVM is killed with SIGKILL while
 * events are still arriving, a new instance with the same application id takes over, with the same state
 * directory or, as after losing the disk, an empty one (the stores then come back from the changelogs
 * alone), and a read_committed consumer still sees every window predicted exactly once, each as the offline
 * path predicts it: with the walking frame, that needs every device's frame restored as committed. Served with
 * a smoothing lag, every window's lagged label is emitted once too, as the offline fixed-lag smoother gives it: the
 * windows waiting for theirs are in the device-smoothers store, written in the same transaction as the records, so
 * a kill between a window's prediction and its smoother's update cannot separate them.
 */
class CrashRecoveryTest {

    private static final int DEVICES = 30;
    private static final int SAMPLES_PER_DEVICE = 200;
    private static final int EVENTS_PER_SECOND = 400;
    private static final int LAG = 3;

    @RegisterExtension
    static final EmbeddedBroker KAFKA = new EmbeddedBroker();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "state directory {0}")
    @ValueSource(strings = {"kept", "lost"})
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aKilledInstanceIsReplacedWithoutLosingOrRepeatingAWindow(String stateDirectory) throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        String in = "crash-" + stateDirectory + "-events";
        String out = "crash-" + stateDirectory + "-predictions";
        KafkaTestClients.createTopics(bootstrap, 2, in, out, "crash-" + stateDirectory + "-dlq");
        // In the walking frame and smoothing: each device's frame (device-frames store) and smoother state
        // (device-smoothers store) must survive the kill too, in step with the predictions.
        ModelBundle bundle = TestModels.withSmoothing(TestBundles.inFrame(TestModels.trained(), AxesFrame.WALKING),
                0.95);
        Path bundleDir = dir.resolve("bundle");
        bundle.save(bundleDir);
        // With a smoothing lag: the windows waiting for their lagged labels (in device-smoothers too) must survive,
        // and every lagged label be emitted once. Each device ends with a window after a long pause, which makes
        // the labels of all its other windows final.
        Replay replay = Replay.of(SyntheticRecordings.closedByAPause(
                SyntheticRecordings.generate(TestModels.CLASSES, DEVICES, SAMPLES_PER_DEVICE, 31),
                bundle.segmenter().spec().length(), 60_000));
        Replay.Offline offline = replay.offline(bundle);
        Map<WindowKey, String> lagged = LaggedLabels.allButEachDevicesLast(replay.laggedOffline(bundle, LAG));
        int expected = offline.predicted().size();
        List<SensorEvent> events = replay.events();

        Map<String, String> settings = ManyDevicesScenario.settings(bootstrap, "crash-" + stateDirectory, in, out,
                "crash-" + stateDirectory + "-dlq", dir.resolve("state"), 1);
        settings.put("model.bundle", bundleDir.toString());
        settings.put("smoothing.lag", String.valueOf(LAG));

        AtomicInteger sent = new AtomicInteger();
        try (StreamAppProcess first = StreamAppProcess.start(settings, dir.resolve("first.log"));
             KafkaTestClients.CommittedReader predictions =
                     new KafkaTestClients.CommittedReader(bootstrap, out)) {
            first.awaitReady(Duration.ofSeconds(120));
            Thread producer = new Thread(() -> producePaced(bootstrap, in, events, sent), "paced-producer");
            producer.start();

            predictions.pollUntil(() -> predictions.count() >= expected / 5, Duration.ofSeconds(120), Duration.ZERO);
            assertThat(predictions.count()).as("first instance predicted before the crash\n" + first.logTail())
                    .isGreaterThanOrEqualTo(expected / 5);
            first.kill();
            int sentAtCrash = sent.get();
            int predictedAtCrash = predictions.count();

            Map<String, String> replacement = new HashMap<>(settings);
            replacement.put("http.port", "0");
            if (stateDirectory.equals("lost")) {
                replacement.put("state.dir", dir.resolve("empty-state").toString());
            }
            try (RunningStreamApp second = StreamApp.start(StreamAppConfig.of(replacement), bundle)) {
                producer.join(Duration.ofMinutes(2).toMillis());
                predictions.pollUntil(() -> predictions.count() >= expected, Duration.ofSeconds(180),
                        Duration.ofSeconds(3));
                assertThat(sentAtCrash).as("the crash happened while events were still arriving")
                        .isLessThan(events.size());
                assertThat(predictedAtCrash).isLessThan(expected);
                ManyDevicesScenario.assertExactlyOnce(predictions.predictions(), offline);
                assertThat(LaggedLabels.of(predictions.predictions())).as("lagged labels, each once, as offline")
                        .isEqualTo(lagged);
            }
        }
    }

    private static void producePaced(String bootstrap, String topic, List<SensorEvent> events, AtomicInteger sent) {
        int chunk = EVENTS_PER_SECOND / 10;
        try (KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(bootstrap)) {
            for (int from = 0; from < events.size(); from += chunk) {
                List<SensorEvent> part = events.subList(from, Math.min(events.size(), from + chunk));
                KafkaTestClients.send(producer, topic, part);
                sent.addAndGet(part.size());
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
