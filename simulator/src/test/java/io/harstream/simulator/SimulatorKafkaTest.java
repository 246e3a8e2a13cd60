package io.harstream.simulator;

import io.harstream.core.data.Sample;
import io.harstream.core.event.RejectReason;
import io.harstream.core.event.SensorEvent;
import io.harstream.core.event.SensorEventCodec;
import io.harstream.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Replays into a real broker and consumes everything back. The broker is a single-node KRaft broker
 * started in this JVM ({@link EmbeddedKafkaBroker}), or the one named by
 * {@code -Dharstream.kafka.bootstrap=HOST:PORT} (e.g. the compose stack's Kafka) when that is set;
 * {@link SimulatorTest} covers the producer side with Kafka's MockProducer. Topic names get a random
 * suffix, so reruns against the same broker do not see each other's records.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SimulatorKafkaTest {

    /** System property naming an external broker to use instead of the embedded one: {@code -Dharstream.kafka.bootstrap=...}. */
    static final String PROPERTY = "harstream.kafka.bootstrap";

    static EmbeddedKafkaBroker broker;
    static String bootstrap;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        bootstrap = System.getProperty(PROPERTY, "").strip();
        if (bootstrap.isEmpty()) {
            broker = EmbeddedKafkaBroker.start();
            bootstrap = broker.bootstrapServers();
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    static String createTopic(String prefix, int partitions) throws Exception {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty()))).all()
                    .get(30, TimeUnit.SECONDS);
        }
        return name;
    }

    static List<ConsumerRecord<String, byte[]>> consumeAll(String topic, long expected) {
        Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.poll(Duration.ofMillis(500)).forEach(records::add); // anything beyond is a duplicate
        }
        return records;
    }

    @Test
    void everyEventArrivesOnceWithItsKeyAndValue() throws Exception {
        String topic = createTopic("sensor-events-replay", 3);
        TestSet set = TestSetReader.read(TestSets.twoUsers(dir), null);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = SimulateCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));

        int exit = cl.execute("--test-set", dir.toString(), "--bootstrap-servers", bootstrap,
                "--topic", topic, "--as-fast-as-possible", "--malformed-fraction", "0.25", "--connect-timeout", "20");

        assertThat(exit).as(err.toString()).isZero();
        long good = set.sampleCount();
        long bad = good / 3; // a quarter of all records: one bad per three good
        assertThat(out.toString()).contains("sent " + (good + bad) + " events", "acknowledged by the broker " + (good + bad)
                + ", send errors 0");
        List<ConsumerRecord<String, byte[]>> records = consumeAll(topic, good + bad);
        assertThat(records).hasSize((int) (good + bad));

        Map<String, List<SensorEvent>> byDevice = new HashMap<>();
        Map<RejectReason, Integer> rejected = new EnumMap<>(RejectReason.class);
        for (ConsumerRecord<String, byte[]> r : records) {
            RejectReason reason = MalformedMixTest.rejection(r.key(), r.value());
            if (reason != null) {
                rejected.merge(reason, 1, Integer::sum);
            } else {
                byDevice.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(SensorEventCodec.decode(r.value()));
            }
        }
        assertThat(rejected.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(bad);
        assertThat(rejected).containsOnlyKeys(RejectReason.values());
        for (DeviceSeries d : set.devices()) {
            List<SensorEvent> events = byDevice.get(d.device());
            // one partition per key keeps each device's order
            assertThat(events).as(d.device()).hasSize(d.size());
            for (int i = 0; i < d.size(); i++) {
                Sample s = d.samples().get(i);
                assertThat(events.get(i).x()).isEqualTo(s.x());
                assertThat(events.get(i).activity()).isEqualTo(s.activity());
                if (i > 0) {
                    assertThat(events.get(i).ts() - events.get(i - 1).ts())
                            .isEqualTo(s.timestampMs() - d.samples().get(i - 1).timestampMs());
                }
            }
        }
    }

    @Test
    void stoppingMidRunDeliversEverythingSent() throws Exception {
        String topic = createTopic("sensor-events-stop", 2);
        TestSet set = TestSets.of(List.of(TestSets.device("1-s1", 4_000, 50), TestSets.device("2-s1", 4_000, 50)), 1000);
        KafkaTarget target = new KafkaTarget(bootstrap, topic, Map.of(), Duration.ofSeconds(20));
        Simulator sim = new Simulator(set, new Pacing(20, false, false, 0, 0), 0, topic, target.connect());
        Thread runner = new Thread(sim::run);
        runner.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sim.stats().eventsSent() < 200 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        sim.stop();
        runner.join(TimeUnit.SECONDS.toMillis(40));

        SimulatorStats stats = sim.stats();
        assertThat(runner.isAlive()).isFalse();
        assertThat(stats.eventsSent()).isBetween(200L, 7_999L);
        assertThat(stats.acknowledged()).isEqualTo(stats.eventsSent());
        assertThat(consumeAll(topic, stats.eventsSent())).hasSize((int) stats.eventsSent());
    }

    @Test
    void aTopicTheBrokerRefusesIsOneMessage() {
        KafkaTarget target = new KafkaTarget(bootstrap, "bad topic name!", Map.of(),
                Duration.ofSeconds(3));
        assertThatThrownBy(target::connect).isInstanceOf(SimulatorException.class)
                .hasMessageContaining("bad topic name!");
    }
}
