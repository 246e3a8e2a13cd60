package io.harstream.trainer;

import io.harstream.core.model.ModelBundle;
import io.harstream.core.model.registry.ModelArchive;
import io.harstream.core.model.registry.ModelRoles;
import io.harstream.core.model.registry.ModelsTopic;
import io.harstream.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code train --publish} against a real broker's SASL/PLAIN listener: with the right credentials the trained bundle
 * is on the models topic as the candidate; with wrong ones the trainer stops before training, with one line.
 */
class TrainPublishTest {

    static EmbeddedKafkaBroker broker;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.startWithPlainUsers(Map.of("trainer", "trainer-secret"));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static String[] kafka(String user, String password) {
        List<String> args = new ArrayList<>(List.of("--publish", "-b", broker.saslBootstrapServers()));
        EmbeddedKafkaBroker.plainClientSettings(user, password).forEach((k, v) -> args.addAll(List.of("--kafka", k + "=" + v)));
        return args.toArray(String[]::new);
    }

    @Test
    void theTrainedBundleIsPublishedAsTheCandidate() {
        Path out = tmp.resolve("published");
        List<String> args = new ArrayList<>(List.of(kafka("trainer", "trainer-secret")));
        args.addAll(List.of("--out", out.toString()));
        TrainCommandTest.Run run = TrainCommandTest.train(TrainCommandTest.SMALL, args.toArray(String[]::new));

        assertThat(run.exit()).as(run.err()).isZero();
        String version = ModelBundle.load(out).manifest().modelVersion();
        assertThat(run.out()).contains("published " + version + " as candidate to topic har-models at "
                + broker.saslBootstrapServers());
        Map<String, byte[]> latest = latestRecords(ModelsTopic.DEFAULT_TOPIC);
        assertThat(ModelRoles.fromJson(latest.get(ModelsTopic.ROLES_KEY)).candidate()).isEqualTo(version);
        assertThat(ModelArchive.unpack(latest.get(ModelsTopic.bundleKey(version))).manifest().modelVersion())
                .isEqualTo(version);
    }

    @Test
    void wrongCredentialsStopTheTrainerBeforeItTrains() {
        Path out = tmp.resolve("refused");
        List<String> args = new ArrayList<>(List.of(kafka("trainer", "wrong")));
        args.addAll(List.of("--out", out.toString(), "--timeout", "10"));
        TrainCommandTest.Run run = TrainCommandTest.train(TrainCommandTest.SMALL, args.toArray(String[]::new));

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).doesNotContain("\n")
                .startsWith("train: Kafka at " + broker.saslBootstrapServers() + " refused the credentials: ");
        assertThat(out).as("not trained").doesNotExist();
    }

    @Test
    void kafkaOptionsWithoutPublishAreRefused() {
        TrainCommandTest.Run run = TrainCommandTest.train(TrainCommandTest.SMALL, "-b", broker.saslBootstrapServers());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("train: -b, --kafka, --topic, --timeout and --publish-role are for "
                + "--publish");
    }

    private static Map<String, byte[]> latestRecords(String topic) {
        Map<String, Object> c = new HashMap<>(EmbeddedKafkaBroker.plainClientSettings("trainer", "trainer-secret"));
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.saslBootstrapServers());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        TopicPartition tp = new TopicPartition(topic, 0);
        Map<String, byte[]> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c)) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    latest.put(r.key(), r.value());
                }
            }
        }
        return latest;
    }
}
