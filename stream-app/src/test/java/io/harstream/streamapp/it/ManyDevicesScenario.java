package io.harstream.streamapp.it;

import io.harstream.core.event.ActivityPrediction;
import io.harstream.core.model.ModelBundle;
import io.harstream.streamapp.RunningStreamApp;
import io.harstream.streamapp.StreamApp;
import io.harstream.streamapp.TestModels;
import io.harstream.streamapp.config.StreamAppConfig;
import io.harstream.streamapp.replay.Confusion;
import io.harstream.streamapp.replay.Replay;
import io.harstream.streamapp.replay.SyntheticRecordings;
import io.harstream.streamapp.replay.WindowKey;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many devices over several partitions and two stream threads against a real broker: every window is
 * predicted exactly once (as a read_committed consumer sees it), the confusion matrix is the offline
 * one, bad records land in the dead-letter topic, and the HTTP endpoints answer. Shared by the embedded
 * broker test and its Testcontainers twin.
 */
final class ManyDevicesScenario {

    static final int DEVICES = 50;
    static final int SAMPLES_PER_DEVICE = 100;
    static final int PARTITIONS = 4;

    private ManyDevicesScenario() {
    }

    static void run(String bootstrap, Path stateDir) throws Exception {
        String in = "many-events";
        String out = "many-predictions";
        String dlq = "many-dlq";
        KafkaTestClients.createTopics(bootstrap, PARTITIONS, in, out, dlq);
        ModelBundle bundle = TestModels.trained();
        Replay replay = Replay.of(SyntheticRecordings.generate(TestModels.CLASSES, DEVICES, SAMPLES_PER_DEVICE, 77));
        Replay.Offline offline = replay.offline(bundle);
        int expected = offline.predicted().size();

        StreamAppConfig config = StreamAppConfig.of(settings(bootstrap, "many-devices", in, out, dlq, stateDir, 2));
        HttpClient http = HttpClient.newHttpClient();
        try (RunningStreamApp app = StreamApp.start(config, bundle);
             KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(bootstrap);
             KafkaTestClients.CommittedReader predictions = new KafkaTestClients.CommittedReader(bootstrap, out);
             KafkaTestClients.CommittedReader deadLetters = new KafkaTestClients.CommittedReader(bootstrap, dlq)) {
            awaitReady(app, Duration.ofSeconds(120));
            assertThat(get(http, app, "/ready").statusCode()).isEqualTo(200);
            assertThat(get(http, app, "/health").statusCode()).isEqualTo(200);

            KafkaTestClients.send(producer, in, replay.events());
            KafkaTestClients.sendRaw(producer, in, "bad-1", "{not json");
            KafkaTestClients.sendRaw(producer, in, null, "{\"device\":\"x\",\"ts\":1764000000000,\"x\":1,\"y\":1,\"z\":1}");
            KafkaTestClients.sendRaw(producer, in, "bad-3", "{\"device\":\"bad-3\",\"ts\":1764000000000,\"x\":\"NaN\","
                    + "\"y\":1,\"z\":1}");

            predictions.pollUntil(() -> predictions.count() >= expected, Duration.ofSeconds(240), Duration.ofSeconds(3));
            deadLetters.pollUntil(() -> deadLetters.count() >= 3, Duration.ofSeconds(30), Duration.ZERO);

            assertExactlyOnce(predictions.predictions(), offline);
            assertThat(Confusion.fromMetrics(app.registry(), bundle.classes())).isEqualTo(offline.confusion());
            assertThat(deadLetters.records).extracting(ConsumerRecord::key)
                    .containsExactlyInAnyOrder("bad-1", null, "bad-3");

            String scrape = get(http, app, "/metrics").body();
            assertThat(scrape).contains(
                    "har_events_total{outcome=\"rejected\"} 3.0",
                    "har_dead_letters_total{reason=\"non_finite\"} 1.0",
                    "har_inference_batch_size_bucket",
                    "har_event_to_prediction_seconds_count " + expected,
                    // the Kafka Streams and JVM series the Grafana dashboards query
                    "kafka_stream_thread_process_rate",
                    "kafka_consumer_fetch_manager_records_lag_max",
                    "jvm_memory_used_bytes",
                    "jvm_gc_memory_allocated_bytes_total",
                    "process_cpu_usage");
        }
    }

    /** The set of predicted windows is the offline set, and no window was predicted twice. */
    static void assertExactlyOnce(List<ActivityPrediction> predictions, Replay.Offline offline) {
        Map<WindowKey, String> streamed = new TreeMap<>();
        Map<WindowKey, Integer> times = new HashMap<>();
        for (ActivityPrediction p : predictions) {
            WindowKey k = new WindowKey(p.device(), p.windowStart());
            streamed.put(k, p.predicted());
            times.merge(k, 1, Integer::sum);
        }
        assertThat(times.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("windows predicted more than once").isEmpty();
        assertThat(streamed.keySet()).as("predicted windows").isEqualTo(new TreeMap<>(offline.predicted()).keySet());
        assertThat(streamed).isEqualTo(new TreeMap<>(offline.predicted()));
        assertThat(Confusion.of(predictions)).isEqualTo(offline.confusion());
        if (offline.smoothedConfusion() != null) {
            Map<WindowKey, String> smoothed = new TreeMap<>();
            predictions.forEach(p -> smoothed.put(new WindowKey(p.device(), p.windowStart()), p.smoothedPredicted()));
            assertThat(smoothed).as("smoothed, window by window: every device's smoother state kept its place")
                    .isEqualTo(new TreeMap<>(offline.smoothed()));
        }
    }

    static Map<String, String> settings(String bootstrap, String appId, String in, String out, String dlq,
                                        Path stateDir, int threads) {
        Map<String, String> s = new HashMap<>();
        s.put("bootstrap.servers", bootstrap);
        s.put("application.id", appId);
        s.put("input.topic", in);
        s.put("predictions.topic", out);
        s.put("dead.letter.topic", dlq);
        s.put("stream.threads", String.valueOf(threads));
        s.put("http.port", "0");
        s.put("state.dir", stateDir.toString());
        s.put("batch.size", "64");
        // Quick commits and a quick failure detection keep the tests short on a small machine.
        s.put("kafka.commit.interval.ms", "100");
        s.put("kafka.num.standby.replicas", "0");
        s.put("kafka.consumer.session.timeout.ms", "6000");
        s.put("kafka.consumer.heartbeat.interval.ms", "1000");
        s.put("kafka.replication.factor", "1");
        return s;
    }

    static void awaitReady(RunningStreamApp app, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!app.isReady()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("stream-app not RUNNING after " + timeout.toSeconds() + " s: " + app.state());
            }
            Thread.sleep(100);
        }
    }

    static HttpResponse<String> get(HttpClient http, RunningStreamApp app, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
