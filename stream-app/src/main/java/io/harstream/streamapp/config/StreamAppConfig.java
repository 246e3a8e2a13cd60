package io.harstream.streamapp.config;

import io.harstream.streamapp.topology.TopologySettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Everything the stream-app is configured with, resolved and checked. Build it with
 * {@link StreamAppConfigResolver} (flags > environment > properties file > defaults) or, from code,
 * with {@link #of(Map)} using the properties-file keys.
 *
 * @param modelBundle the bundle to load, or null: the app waits for the models topic's active model (or the caller
 *                    supplies a loaded one:
 *                    {@link io.harstream.streamapp.StreamApp#start(StreamAppConfig, io.harstream.core.model.ModelBundle)})
 * @param modelsTopic the models topic every instance follows (bundles and which is active and candidate); created
 *                    by the app when absent
 * @param shadowTopic where the candidate's predictions go, or null for none (they are counted either way)
 * @param kafka       Kafka client settings passed through unchanged (security, timeouts, Streams tuning);
 *                    they are applied last, so they can override anything the app sets itself
 * @param smoothingLag windows of look-ahead of the fixed-lag smoother (0: none, the causal filter only); see
 *                    {@link TopologySettings#smoothingLag()}
 */
public record StreamAppConfig(String bootstrapServers, String applicationId, String inputTopic,
                              String predictionsTopic, String deadLetterTopic, Path modelBundle, int streamThreads,
                              int batchSize, Duration batchMaxDelay, int httpPort, Path stateDir,
                              String modelsTopic, String shadowTopic, Map<String, String> kafka,
                              int smoothingLag) {

    /** The consumer's internal setting (no constant in ConsumerConfig) that makes {@code close()} leave the group. */
    private static final String LEAVE_GROUP_ON_CLOSE = "internal.leave.group.on.close";

    /**
     * Kafka settings chosen so that another instance takes a failed instance's devices over within seconds
     * (docs/stream-app.md, "Failover", says what each costs). They are defaults like the app's others: a
     * pass-through setting with the same key, or with a {@code consumer.}/{@code producer.} prefix,
     * replaces one. Unprefixed on purpose, since a prefixed default would shadow a user's unprefixed override;
     * only the leave-group setting names the main consumer, the one client in the group.
     * The rebalance protocol stays Kafka Streams' default ({@code classic}, with Streams' own cooperative
     * assignor): in Kafka 4.1 the {@code streams} protocol (KIP-1071) is early access and ignores
     * {@code num.standby.replicas}.
     */
    public static final Map<String, String> FAILOVER_DEFAULTS = failoverDefaults();

    public StreamAppConfig {
        kafka = Map.copyOf(kafka);
        if (streamThreads < 1) {
            throw new IllegalArgumentException(Setting.STREAM_THREADS.key() + " must be at least 1, got "
                    + streamThreads);
        }
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException(Setting.HTTP_PORT.key() + " must be 0-65535 (0: any free port), got "
                    + httpPort);
        }
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(Setting.BOOTSTRAP_SERVERS.key() + " must not be empty");
        }
        if (applicationId == null || applicationId.isBlank()) {
            throw new IllegalArgumentException(Setting.APPLICATION_ID.key() + " must not be empty");
        }
        if (modelsTopic == null || modelsTopic.isBlank()) {
            throw new IllegalArgumentException(Setting.MODELS_TOPIC.key() + " must not be empty");
        }
        if (shadowTopic != null && shadowTopic.isBlank()) {
            shadowTopic = null;
        }
        if (smoothingLag < 0 || smoothingLag > TopologySettings.MAX_SMOOTHING_LAG) {
            throw new IllegalArgumentException(Setting.SMOOTHING_LAG.key() + " must be 0 to "
                    + TopologySettings.MAX_SMOOTHING_LAG + " windows, got " + smoothingLag);
        }
        // Topic names and batching limits are checked where they are used.
        new TopologySettings(inputTopic, predictionsTopic, deadLetterTopic, batchSize, batchMaxDelay, smoothingLag);
    }

    /**
     * A configuration from properties-file keys ({@code bootstrap.servers}, {@code model.bundle},
     * {@code kafka.*}, ...) over the defaults; for starting the app from code, e.g. the one-process demo.
     */
    public static StreamAppConfig of(Map<String, String> settings) {
        return StreamAppConfigResolver.resolve(Map.of(), Map.of(), settings, "code");
    }

    /** The bundle path, or the error message that tells a user how to give one. */
    public Path requireModelBundle() {
        if (modelBundle == null) {
            throw new IllegalArgumentException("no model bundle given: use --model BUNDLE, "
                    + Setting.MODEL_BUNDLE.env() + " or " + Setting.MODEL_BUNDLE.key() + " in the config file");
        }
        return modelBundle;
    }

    public TopologySettings topologySettings() {
        return new TopologySettings(inputTopic, predictionsTopic, deadLetterTopic, batchSize, batchMaxDelay,
                smoothingLag);
    }

    /** The topics the app waits for (it does not create them): the models topic is not one, the app creates it. */
    public List<String> topics() {
        return shadowTopic == null ? List.of(inputTopic, predictionsTopic, deadLetterTopic)
                : List.of(inputTopic, predictionsTopic, deadLetterTopic, shadowTopic);
    }

    public io.harstream.streamapp.topology.HarTopology.ModelTopics modelTopics() {
        return new io.harstream.streamapp.topology.HarTopology.ModelTopics(modelsTopic, shadowTopic);
    }

    private static Map<String, String> failoverDefaults() {
        Map<String, String> f = new LinkedHashMap<>();
        // A warm copy of every task's stores on another instance: a task that moves after a crash starts from
        // it instead of restoring the whole changelog. Costs the state twice and a second read of every changelog.
        f.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1");
        // A crashed instance is noticed when its session expires: 6 s is the broker's smallest allowed
        // (group.min.session.timeout.ms). A pause longer than that (GC, a frozen VM) moves its tasks away too.
        f.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
        // A member learns of a rebalance (an instance left or joined) on its next heartbeat: this bounds the
        // handover on a graceful stop. Two tiny requests per second per stream thread.
        f.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
        // A crashed instance's open transaction blocks its partitions (changelogs, outputs, input offsets)
        // until the broker aborts it, this long after it began (Streams' own default under exactly-once: 10 s).
        // A transaction spans one commit interval (100 ms), so 5 s still leaves room for a long stall.
        f.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "5000");
        // A stopping instance leaves the group, so that the others take its tasks over at once rather than
        // after its session expires. In Kafka Streams 4.1, KafkaStreams.CloseOptions.leaveGroup does that only
        // for static members (group.instance.id); for dynamic ones this consumer setting, which Streams sets to
        // false expecting a quick restart, is the way until KIP-1092's streams.CloseOptions replaces it.
        f.put(StreamsConfig.mainConsumerPrefix(LEAVE_GROUP_ON_CLOSE), "true");
        return Collections.unmodifiableMap(f);
    }

    /**
     * The Kafka Streams configuration: exactly-once v2, the app's identity and threads, the
     * {@link #FAILOVER_DEFAULTS}, then the pass-through settings on top.
     */
    public Properties streamsProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        // Store, outputs and input offsets commit atomically: the basis of "each window predicted once".
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Room in the record cache for the cached stores' writes between commits (frames, smoother states, and
        // pending windows of about 4 KiB each), so that they are absorbed there (see HarTopology).
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024);
        // RocksDB's native memory bounded for all stores together (its defaults, per store and task, would be
        // several hundred MiB).
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        if (stateDir != null) {
            p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        }
        p.putAll(FAILOVER_DEFAULTS);
        p.putAll(kafka);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }
}
