package io.harstream.registry;

import io.harstream.core.model.registry.ModelsTopic;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the models topic is and how to reach it.
 *
 * @param bootstrapServers broker list, host:port[,host:port...]
 * @param topic            the models topic ({@link ModelsTopic#DEFAULT_TOPIC} by default)
 * @param clientSettings   extra Kafka client settings (SASL, SSL, a transactional.id of one's own...), applied after
 *                         the registry's own so they win; the serializers cannot be changed
 * @param timeout          how long any one Kafka call may wait before the command gives up
 */
public record RegistryTarget(String bootstrapServers, String topic, Map<String, String> clientSettings,
                             Duration timeout) {

    public RegistryTarget {
        clientSettings = Map.copyOf(clientSettings);
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new RegistryException("no Kafka bootstrap servers given (-b HOST:PORT)");
        }
        if (topic == null || topic.isBlank()) {
            throw new RegistryException("the models topic name must not be blank");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new RegistryException("the timeout must be positive, got " + timeout);
        }
    }

    /** The default topic, no extra settings, a 30 s timeout. */
    public static RegistryTarget of(String bootstrapServers) {
        return new RegistryTarget(bootstrapServers, ModelsTopic.DEFAULT_TOPIC, Map.of(), Duration.ofSeconds(30));
    }

    int timeoutMs() {
        return (int) timeout.toMillis();
    }

    Map<String, Object> adminConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(AdminClientConfig.CLIENT_ID_CONFIG, "harstream-models-admin");
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs());
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs());
        c.putAll(clientSettings);
        return c;
    }

    /**
     * Transactional, so that a bundle and the roles naming it appear together or not at all, and so that two models
     * commands at once fence each other instead of both writing roles computed from the same old state: the
     * transactional id is one per topic ({@code harstream-models-<topic>}).
     */
    Map<String, Object> producerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, "harstream-models");
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "harstream-models-" + topic);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, ModelsTopic.MAX_MESSAGE_BYTES);
        c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * ModelsTopic.MAX_MESSAGE_BYTES);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs());
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs());
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs() + 1000);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        c.putAll(clientSettings);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return c;
    }

    /** read_committed: a half-written change (a bundle without its roles) is never seen. No group: assigned. */
    Map<String, Object> consumerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "harstream-models-reader");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, ModelsTopic.MAX_MESSAGE_BYTES);
        c.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs());
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs());
        c.putAll(clientSettings);
        c.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return c;
    }
}
