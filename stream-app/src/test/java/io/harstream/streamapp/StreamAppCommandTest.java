package io.harstream.streamapp;

import io.harstream.streamapp.config.Setting;
import io.harstream.streamapp.config.StreamAppConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line: help, configuration layering, and failing fast on a bad model bundle. */
class StreamAppCommandTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new StreamApp(env));
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static StreamAppConfig resolve(Map<String, String> env, String... args) throws IOException {
        StreamApp app = new StreamApp(env);
        new CommandLine(app).parseArgs(args);
        return app.resolveConfig();
    }

    @Test
    void helpDocumentsEveryOptionEnvironmentVariableAndKey() {
        Run r = run(Map.of(), "--help");
        assertThat(r.exit()).isZero();
        String help = r.out().replaceAll("\\s+", " ");
        assertThat(help).contains("--config", "--model", "--bootstrap-servers", "--application-id", "--input-topic",
                "--predictions-topic", "--dead-letter-topic", "--stream-threads", "--batch-size",
                "--batch-max-delay-ms", "--http-port", "--state-dir", "--smoothing-lag", "--kafka", "--version");
        for (Setting s : Setting.values()) {
            assertThat(help).as(s.key()).contains(s.key()).contains(s.env());
            if (s.defaultValue() != null) {
                assertThat(help).as(s.key() + " default").contains("Default: " + s.defaultValue());
            }
        }
        StreamAppConfig.FAILOVER_DEFAULTS.forEach((k, v) -> assertThat(help).contains(k + "=" + v));
        assertThat(help).contains("HARSTREAM_CONFIG", "HARSTREAM_KAFKA_",
                "flags > environment variables > properties file > defaults", "/metrics", "/health", "/ready", "Exit status");
    }

    @Test
    void failoverDefaultsReachStreamsClientsAndEachCanBeOverridden() throws IOException {
        Properties p = resolve(Map.of(), "--model", "m").streamsProperties();
        assertThat(p).containsAllEntriesOf(StreamAppConfig.FAILOVER_DEFAULTS)
                .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1");
        StreamsConfig streams = new StreamsConfig(p);
        // Kafka Streams has defaults of its own for these clients: ours must win, or failover is slower.
        assertThat(streams.getMainConsumerConfigs("g", "c", 0))
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000")
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500")
                .containsEntry("internal.leave.group.on.close", "true");
        assertThat(streams.getProducerConfigs("c")).containsEntry(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "5000");

        Properties overridden = resolve(Map.of("HARSTREAM_KAFKA_SESSION_TIMEOUT_MS", "10000"), "--model", "m",
                "--kafka", "num.standby.replicas=0", "--kafka", "consumer.heartbeat.interval.ms=2000")
                .streamsProperties();
        StreamsConfig mine = new StreamsConfig(overridden);
        assertThat(mine.getInt(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).isZero();
        assertThat(mine.getMainConsumerConfigs("g", "c", 0))
                .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000")
                .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "2000");
    }

    @Test
    void defaultsAreTheDesignsTopicsAndExactlyOnce() throws IOException {
        StreamAppConfig c = resolve(Map.of(), "--model", "m");
        assertThat(c.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(c.applicationId()).isEqualTo("harstream");
        assertThat(c.topics()).containsExactly("sensor-events", "activity-predictions", "sensor-events-dlq");
        assertThat(c.batchSize()).isEqualTo(256);
        assertThat(c.batchMaxDelay()).isEqualTo(Duration.ofMillis(25));
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.streamThreads()).isEqualTo(1);
        assertThat(c.stateDir()).isNull();
        Properties p = c.streamsProperties();
        assertThat(p).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "harstream")
                .doesNotContainKey(StreamsConfig.STATE_DIR_CONFIG);
    }

    @Test
    void flagsBeatEnvironmentBeatsFileBeatsDefaults() throws IOException {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, String.join("\n",
                "model.bundle=/from/file",
                "bootstrap.servers=file:9092",
                "application.id=file-app",
                "batch.size=64",
                "http.port=9001",
                "kafka.security.protocol=SSL",
                "kafka.commit.interval.ms=500",
                "kafka.linger.ms=7"));
        Map<String, String> env = Map.of(
                "HARSTREAM_BOOTSTRAP_SERVERS", "env:9092",
                "HARSTREAM_BATCH_SIZE", "32",
                "HARSTREAM_KAFKA_COMMIT_INTERVAL_MS", "300",
                "HARSTREAM_KAFKA_SASL_MECHANISM", "PLAIN",
                "HARSTREAM_UNRELATED", "ignored");
        StreamAppConfig c = resolve(env, "--config", file.toString(), "--batch-size", "16",
                "--kafka", "commit.interval.ms=100", "--state-dir", dir.toString());
        assertThat(c.modelBundle()).isEqualTo(Path.of("/from/file"));
        assertThat(c.applicationId()).isEqualTo("file-app");
        assertThat(c.bootstrapServers()).isEqualTo("env:9092");
        assertThat(c.batchSize()).isEqualTo(16);
        assertThat(c.httpPort()).isEqualTo(9001);
        assertThat(c.predictionsTopic()).isEqualTo("activity-predictions");
        assertThat(c.stateDir()).isEqualTo(dir);
        assertThat(c.kafka()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "security.protocol", "SSL", "commit.interval.ms", "100", "sasl.mechanism", "PLAIN", "linger.ms", "7"));
        Properties p = c.streamsProperties();
        assertThat(p).containsEntry("security.protocol", "SSL").containsEntry("commit.interval.ms", "100")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "env:9092")
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
    }

    @Test
    void theComposeFilesSpellingsAreAliases() throws IOException {
        StreamAppConfig c = resolve(Map.of(), "--bootstrap-servers", "kafka:9092", "--bundle", "/bundle",
                "--port", "8081");
        assertThat(c.modelBundle()).isEqualTo(Path.of("/bundle"));
        assertThat(c.httpPort()).isEqualTo(8081);
    }

    @Test
    void theConfigFileCanBeNamedInTheEnvironment() throws IOException {
        Path file = dir.resolve("env.properties");
        Files.writeString(file, "model.bundle=/m\ninput.topic=raw\n");
        StreamAppConfig c = resolve(Map.of(Setting.CONFIG_FILE_ENV, file.toString()));
        assertThat(c.inputTopic()).isEqualTo("raw");
    }

    @Test
    void passThroughSettingsOverrideTheAppsOwn() throws IOException {
        StreamAppConfig c = resolve(Map.of(), "--model", "m", "--kafka", "processing.guarantee=at_least_once");
        assertThat(c.streamsProperties()).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "at_least_once");
    }

    @Test
    void aMisspeltFileKeyIsAnErrorNotIgnored() throws IOException {
        Path file = dir.resolve("typo.properties");
        Files.writeString(file, "model.bundle=/m\nbatch.sise=3\n");
        Run r = run(Map.of(), "--config", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown setting 'batch.sise'", file.toString(), "batch.size");
    }

    @Test
    void aBadNumberSaysWhereItCameFrom() {
        assertThatThrownBy(() -> resolve(Map.of("HARSTREAM_HTTP_PORT", "eighty"), "--model", "m"))
                .hasMessageContaining("http.port").hasMessageContaining("eighty")
                .hasMessageContaining("HARSTREAM_HTTP_PORT");
        assertThatThrownBy(() -> resolve(Map.of(), "--model", "m", "--batch-size", "0"))
                .hasMessageContaining("batch size must be at least 1");
    }

    /** Without a bundle the app waits for the models topic's active model (the it tests run that). */
    @Test
    void theSmoothingLagIsOffByDefaultAndBoundedWithOneLine() throws IOException {
        assertThat(resolve(Map.of(), "--model", "m").topologySettings().smoothingLag()).isZero();
        assertThat(resolve(Map.of("HARSTREAM_SMOOTHING_LAG", "3"), "--model", "m").smoothingLag()).isEqualTo(3);
        assertThat(resolve(Map.of("HARSTREAM_SMOOTHING_LAG", "3"), "--model", "m", "--smoothing-lag", "10")
                .topologySettings().smoothingLag()).isEqualTo(10);
        Run r = run(Map.of(), "--model", "m", "--smoothing-lag", "-1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("stream-app: smoothing.lag must be 0 to 1000 windows, got -1");
    }

    @Test
    void withoutAModelTheModelsTopicNamesIt() throws Exception {
        StreamAppConfig c = resolve(Map.of());
        assertThat(c.modelBundle()).isNull();
        assertThat(c.modelsTopic()).isEqualTo("har-models");
        assertThat(c.shadowTopic()).isNull();
        assertThat(c.topics()).containsExactly("sensor-events", "activity-predictions", "sensor-events-dlq");
        StreamAppConfig named = resolve(Map.of("HARSTREAM_SHADOW_TOPIC", "shadow"), "--models-topic", "models");
        assertThat(named.modelsTopic()).isEqualTo("models");
        assertThat(named.topics()).contains("shadow");
    }

    @Test
    void aMissingBundleFailsFastWithExitTwoBeforeTouchingKafka() {
        long started = System.nanoTime();
        Run r = run(Map.of(), "--model", dir.resolve("nope").toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("cannot start", "nope", "not found");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void anInvalidBundleFailsWithExitTwoAndTheBundlesMessage() throws IOException {
        Path bundle = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(bundle.resolve("model.json"), "{not json");
        Files.writeString(bundle.resolve("model.zip"), "not a zip");
        Run r = run(Map.of(), "--model", bundle.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("cannot start", "model bundle", "model.json");
    }

    @Test
    void unknownFlagsAreUsageErrors() {
        Run r = run(Map.of(), "--batchsize", "3");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--batchsize");
    }
}
