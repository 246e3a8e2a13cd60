package io.harstream.simulator;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where the events go and how to get there, and the producer that takes them.
 *
 * @param bootstrapServers broker list, host:port[,host:port...]
 * @param topic            the sensor-events topic
 * @param clientSettings   extra Kafka client settings (SASL, SSL, ...), applied after the simulator's own
 *                         so they win; the serializers cannot be changed
 * @param connectTimeout   how long to wait for the broker (and the topic's metadata) before giving up
 */
public record KafkaTarget(String bootstrapServers, String topic, Map<String, String> clientSettings,
                          Duration connectTimeout) {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTarget.class);

    public KafkaTarget {
        clientSettings = Map.copyOf(clientSettings);
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive, got " + connectTimeout);
        }
    }

    /**
     * The producer settings: idempotent with {@code acks=all}, so a retried batch is never written twice
     * (a duplicate sample would be counted, not classified, by the stream-app, but it would still be
     * noise in the replay check); a short linger and large lz4-compressed batches, because at thousands
     * of small JSON events per second batching is what sets the throughput.
     */
    public Map<String, Object> producerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, "harstream-simulator");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // also bounds send() when the broker has vanished and the buffer is full
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) connectTimeout.toMillis());
        c.putAll(clientSettings);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return c;
    }

    /**
     * Checks that the broker answers and the topic is there (or gets auto-created), within
     * {@link #connectTimeout()} each, then returns an open producer.
     *
     * @throws SimulatorException when the broker cannot be reached, the topic is missing, or a client
     *                            setting is invalid
     */
    public Producer<String, byte[]> connect() {
        checkBroker();
        Producer<String, byte[]> producer = open();
        try {
            List<PartitionInfo> partitions = producer.partitionsFor(topic);
            LOG.info("topic {} has {} partitions", topic, partitions.size());
            return producer;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            producer.close(Duration.ZERO);
            throw new SimulatorException("topic " + topic + " does not exist on " + bootstrapServers
                    + " and was not created within " + seconds() + " (does the broker auto-create topics? "
                    + "if not, create it first)", e);
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw new SimulatorException("cannot use topic " + topic + " on " + bootstrapServers + ": "
                    + e.getMessage(), e);
        }
    }

    /** A producer with {@link #producerConfig()}, no checks. */
    public Producer<String, byte[]> open() {
        try {
            return new KafkaProducer<>(producerConfig());
        } catch (KafkaException e) {
            throw new SimulatorException("cannot create the Kafka producer: " + rootMessage(e), e);
        }
    }

    /**
     * Asks the cluster to describe itself. An admin call is the quickest unambiguous test: a producer's
     * metadata wait cannot tell "no broker" from "no topic".
     */
    private void checkBroker() {
        Map<String, Object> c = new HashMap<>();
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(AdminClientConfig.CLIENT_ID_CONFIG, "harstream-simulator-check");
        c.putAll(clientSettings);
        int timeoutMs = (int) connectTimeout.toMillis();
        Admin admin;
        try {
            admin = Admin.create(c);
        } catch (KafkaException e) {
            throw new SimulatorException("cannot connect to Kafka at " + bootstrapServers + ": " + rootMessage(e), e);
        }
        try {
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs));
            // the admin call times itself out; the outer wait is a backstop
            int brokers = cluster.nodes().get(timeoutMs + 5_000L, TimeUnit.MILLISECONDS).size();
            LOG.info("connected to Kafka cluster {} at {} ({} broker{})",
                    cluster.clusterId().get(timeoutMs, TimeUnit.MILLISECONDS), bootstrapServers, brokers,
                    brokers == 1 ? "" : "s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(cause);
            }
            throw new SimulatorException("cannot connect to Kafka at " + bootstrapServers + ": " + rootMessage(cause),
                    cause);
        } catch (TimeoutException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulatorException("interrupted while connecting to Kafka at " + bootstrapServers, e);
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    private SimulatorException unreachable(Throwable cause) {
        return new SimulatorException("cannot reach Kafka at " + bootstrapServers + " within " + seconds()
                + " (is the broker running? --bootstrap-servers, --connect-timeout)", cause);
    }

    private String seconds() {
        return connectTimeout.toMillis() % 1000 == 0 ? connectTimeout.toSeconds() + " s" : connectTimeout.toMillis() + " ms";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
