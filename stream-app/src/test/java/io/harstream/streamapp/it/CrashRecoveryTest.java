package io.harstream.streamapp.it;

import io.harstream.core.event.SensorEvent;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.model.TestBundles;
import io.harstream.core.window.AxesFrame;
import io.harstream.kafka.EmbeddedKafkaBroker;
import io.harstream.streamapp.RunningStreamApp;
import io.harstream.streamapp.StreamApp;
import io.harstream.streamapp.TestModels;
import io.harstream.streamapp.config.StreamAppConfig;
import io.harstream.streamapp.replay.Replay;
import io.harstream.streamapp.replay.SyntheticRecordings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exactly-once claim under a real crash: an instance in a child JVM is killed with SIGKILL while
 * events are still arriving, a new instance with the same application id and state directory takes
 * over, and a read_committed consumer still sees every window predicted exactly once, each as the offline
 * path predicts it: with the walking frame, that needs every device's frame restored as committed.
 */
class CrashRecoveryTest {

    private static final int DEVICES = 30;
    private static final int SAMPLES_PER_DEVICE = 200;
    private static final int EVENTS_PER_SECOND = 400;

    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aKilledInstanceIsReplacedWithoutLosingOrRepeatingAWindow() throws Exception {
        String bootstrap = broker.bootstrapServers();
        KafkaTestClients.createTopics(bootstrap, 2, "crash-events", "crash-predictions", "crash-dlq");
        // In the walking frame and smoothing: each device's frame (device-frames store) and smoother state
        // (device-smoothers store) must survive the kill too, in step with the predictions.
        ModelBundle bundle = TestModels.withSmoothing(TestBundles.inFrame(TestModels.trained(), AxesFrame.WALKING),
                0.95);
        Path bundleDir = dir.resolve("bundle");
        bundle.save(bundleDir);
        Replay replay = Replay.of(SyntheticRecordings.generate(TestModels.CLASSES, DEVICES, SAMPLES_PER_DEVICE, 31));
        Replay.Offline offline = replay.offline(bundle);
        int expected = offline.predicted().size();
        List<SensorEvent> events = replay.events();

        Map<String, String> settings = ManyDevicesScenario.settings(bootstrap, "crash-app", "crash-events",
                "crash-predictions", "crash-dlq", dir.resolve("state"), 1);
        settings.put("model.bundle", bundleDir.toString());
        List<String> args = new ArrayList<>();
        settings.forEach((k, v) -> {
            if (k.startsWith("kafka.")) {
                args.add("--kafka=" + k.substring("kafka.".length()) + "=" + v);
            } else if (!k.equals("http.port")) {
                args.add("--" + flagOf(k) + "=" + v);
            }
        });

        AtomicInteger sent = new AtomicInteger();
        try (StreamAppProcess first = StreamAppProcess.start(args, freePort(), dir.resolve("first.log"));
             KafkaTestClients.CommittedReader predictions =
                     new KafkaTestClients.CommittedReader(bootstrap, "crash-predictions")) {
            first.awaitReady(Duration.ofSeconds(120));
            Thread producer = new Thread(() -> producePaced(bootstrap, events, sent), "paced-producer");
            producer.start();

            predictions.pollUntil(() -> predictions.count() >= expected / 5, Duration.ofSeconds(120), Duration.ZERO);
            assertThat(predictions.count()).as("first instance predicted before the crash\n" + first.logTail())
                    .isGreaterThanOrEqualTo(expected / 5);
            first.kill();
            int sentAtCrash = sent.get();
            int predictedAtCrash = predictions.count();

            try (RunningStreamApp second = StreamApp.start(StreamAppConfig.of(settingsWithPort0(settings)), bundle)) {
                producer.join(Duration.ofMinutes(2).toMillis());
                predictions.pollUntil(() -> predictions.count() >= expected, Duration.ofSeconds(180),
                        Duration.ofSeconds(3));
                assertThat(sentAtCrash).as("the crash happened while events were still arriving")
                        .isLessThan(events.size());
                assertThat(predictedAtCrash).isLessThan(expected);
                ManyDevicesScenario.assertExactlyOnce(predictions.predictions(), offline);
            }
        }
    }

    private static void producePaced(String bootstrap, List<SensorEvent> events, AtomicInteger sent) {
        int chunk = EVENTS_PER_SECOND / 10;
        try (KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(bootstrap)) {
            for (int from = 0; from < events.size(); from += chunk) {
                List<SensorEvent> part = events.subList(from, Math.min(events.size(), from + chunk));
                KafkaTestClients.send(producer, "crash-events", part);
                sent.addAndGet(part.size());
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> settingsWithPort0(Map<String, String> settings) {
        Map<String, String> s = new HashMap<>(settings);
        s.put("http.port", "0");
        return s;
    }

    /** Properties-file key to command-line flag: dead.letter.topic -> dead-letter-topic, model.bundle -> model. */
    private static String flagOf(String key) {
        return key.equals("model.bundle") ? "model" : key.replace('.', '-');
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
