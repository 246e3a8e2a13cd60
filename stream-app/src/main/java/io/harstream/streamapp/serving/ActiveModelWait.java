package io.harstream.streamapp.serving;

import io.harstream.core.model.BundleException;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.model.registry.ModelArchive;
import io.harstream.core.model.registry.ModelRoles;
import io.harstream.core.model.registry.ModelsTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * For an app started without a bundle: reads the models topic until its roles name an active model whose bundle can
 * serve, which then becomes the topology's baseline. Logs one line while it waits, repeated every
 * {@link #LOG_EVERY}, and one per active model it refuses.
 */
public final class ActiveModelWait {

    /** How often the waiting line is repeated. */
    public static final Duration LOG_EVERY = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(ActiveModelWait.class);

    private ActiveModelWait() {
    }

    /**
     * @param consumerConfig client settings (bootstrap, security) for a plain consumer; no group is used
     * @throws InterruptedException when the app is closed while waiting
     */
    public static ModelBundle await(Map<String, Object> consumerConfig, String topic) throws InterruptedException {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<String, byte[]> latest = new HashMap<>();
        String refused = null;
        long nextLog = System.nanoTime();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("closed while waiting for an active model");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() != null) {
                        latest.put(r.key(), r.value());
                    }
                }
                String active = active(latest.get(ModelsTopic.ROLES_KEY));
                byte[] bytes = active == null ? null : latest.get(ModelsTopic.bundleKey(active));
                if (bytes != null) {
                    try {
                        ModelBundle bundle = ModelArchive.unpack(bytes);
                        LOG.info("models topic {}: model {} is active; serving it", topic, active);
                        return bundle;
                    } catch (BundleException e) {
                        if (!active.equals(refused)) {
                            LOG.warn("models topic {}: refused active model {}: {}", topic, active, e.getMessage());
                            refused = active;
                        }
                    }
                }
                long now = System.nanoTime();
                if (now - nextLog >= 0) {
                    LOG.info("waiting for an active model on models topic {} (not ready until one is published:"
                            + " ./harstream models publish --model DIR --role active)", topic);
                    nextLog = now + LOG_EVERY.toNanos();
                }
            }
        }
    }

    private static String active(byte[] roles) {
        if (roles == null) {
            return null;
        }
        try {
            return ModelRoles.fromJson(roles).active();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
