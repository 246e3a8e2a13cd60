package io.harstream.streamapp;

import io.harstream.kafka.EmbeddedKafkaBroker;
import io.harstream.streamapp.config.StreamAppConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream-app against a SASL/PLAIN listener of a real broker: with the right credentials (Kafka settings, as
 * {@code --kafka} passes them) it reaches RUNNING; with wrong ones it stops at once with one line and exit 2 instead
 * of waiting for Kafka for ever.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StreamAppSaslTest {

    static EmbeddedKafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.startWithPlainUsers(Map.of("stream-app", "stream-app-secret"));
        for (String topic : List.of("sasl-in", "sasl-out", "sasl-dlq")) {
            broker.createTopic(topic, 1);
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void theRightCredentialsReachRunning() throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("bootstrap.servers", broker.saslBootstrapServers(),
                "application.id", "sasl-ok", "input.topic", "sasl-in", "predictions.topic", "sasl-out",
                "dead.letter.topic", "sasl-dlq", "http.port", "0", "state.dir", dir.resolve("state").toString(),
                "kafka.num.standby.replicas", "0", "kafka.replication.factor", "1"));
        EmbeddedKafkaBroker.plainClientSettings("stream-app", "stream-app-secret")
                .forEach((k, v) -> settings.put("kafka." + k, v));
        try (RunningStreamApp app = StreamApp.start(StreamAppConfig.of(settings), TestModels.untrained())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!app.isReady() && System.nanoTime() < deadline && app.startupRefusal().isEmpty()) {
                Thread.sleep(100);
            }
            assertThat(app.startupRefusal()).isEmpty();
            assertThat(app.isReady()).as(app.state()).isTrue();
        }
    }

    @Test
    void wrongCredentialsStopItWithOneLineAndExitTwo() throws Exception {
        Path bundle = dir.resolve("bundle");
        TestModels.untrained().save(bundle);
        List<String> args = new ArrayList<>(List.of("--model", bundle.toString(), "-b", broker.saslBootstrapServers(),
                "--application-id", "sasl-refused", "--input-topic", "sasl-in", "--predictions-topic", "sasl-out",
                "--dead-letter-topic", "sasl-dlq", "--http-port", "0", "--state-dir", dir.resolve("refused").toString()));
        EmbeddedKafkaBroker.plainClientSettings("stream-app", "wrong")
                .forEach((k, v) -> args.addAll(List.of("--kafka", k + "=" + v)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new StreamApp(Map.of()));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));

        int exit = cmd.execute(args.toArray(String[]::new));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().strip()).doesNotContain("\n")
                .startsWith("stream-app: cannot start: Kafka at " + broker.saslBootstrapServers()
                        + " refused the credentials: ").contains("Authentication failed");
    }
}
