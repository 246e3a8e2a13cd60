package io.harstream.streamapp.it;

import io.harstream.core.event.ActivityPrediction;
import io.harstream.core.event.PredictionCodec;
import io.harstream.core.event.SensorEvent;
import io.harstream.core.event.SensorEventCodec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Plain Kafka clients for the integration tests: topics, a producer of events, a read_committed reader. */
final class KafkaTestClients {

    private KafkaTestClients() {
    }

    static void createTopics(String bootstrap, int partitions, String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String n : names) {
                topics.add(new NewTopic(n, partitions, (short) 1));
            }
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends events keyed by device; the record timestamp is the send time, as a live producer's is. */
    static void send(KafkaProducer<String, byte[]> producer, String topic, Collection<SensorEvent> events) {
        for (SensorEvent e : events) {
            producer.send(new ProducerRecord<>(topic, e.device(), SensorEventCodec.encode(e)));
        }
        producer.flush();
    }

    static void sendRaw(KafkaProducer<String, byte[]> producer, String topic, String key, String value) {
        producer.send(new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8)));
        producer.flush();
    }

    /**
     * Reads a topic from the beginning with {@code isolation.level=read_committed} — what exactly-once
     * promises is what such a consumer sees — until {@code done} holds (then for {@code quiet} more, so that
     * late duplicates would show up) or {@code timeout} passes.
     */
    static final class CommittedReader implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        /** For each of {@link #records}, when this reader got it (epoch ms): when it became visible, give or take a poll. */
        final List<Long> arrivalsMs = new ArrayList<>();

        CommittedReader(String bootstrap, String topic) {
            consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                    new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        void pollUntil(BooleanSupplier done, Duration timeout, Duration quiet) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.getAsBoolean() && System.nanoTime() < deadline) {
                poll();
            }
            long quietEnd = System.nanoTime() + quiet.toNanos();
            while (System.nanoTime() < quietEnd) {
                poll();
            }
        }

        void poll() {
            var polled = consumer.poll(Duration.ofMillis(200));
            long now = System.currentTimeMillis();
            polled.forEach(r -> {
                records.add(r);
                arrivalsMs.add(now);
            });
        }

        int count() {
            return records.size();
        }

        List<ActivityPrediction> predictions() {
            return records.stream().map(r -> PredictionCodec.decode(r.value())).toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
