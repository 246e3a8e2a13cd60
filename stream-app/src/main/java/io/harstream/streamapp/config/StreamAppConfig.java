package io.harstream.streamapp.config;

import io.harstream.streamapp.topology.TopologySettings;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Everything the stream-app is configured with, resolved and checked. Build it with
 * {@link StreamAppConfigResolver} (flags > environment > properties file > defaults) or, from code,
 * with {@link #of(Map)} using the properties-file keys.
 *
 * @param modelBundle the bundle to load, or null when the caller supplies a loaded one
 *                    ({@link io.harstream.streamapp.StreamApp#start(StreamAppConfig, io.harstream.core.model.ModelBundle)})
 * @param kafka       Kafka client settings passed through unchanged (security, timeouts, Streams tuning);
 *                    they are applied last, so they can override anything the app sets itself
 */
public record StreamAppConfig(String bootstrapServers, String applicationId, String inputTopic,
                              String predictionsTopic, String deadLetterTopic, Path modelBundle, int streamThreads,
                              int batchSize, Duration batchMaxDelay, int httpPort, Path stateDir,
                              Map<String, String> kafka) {

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
        // Topic names and batching limits are checked where they are used.
        new TopologySettings(inputTopic, predictionsTopic, deadLetterTopic, batchSize, batchMaxDelay);
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
        return new TopologySettings(inputTopic, predictionsTopic, deadLetterTopic, batchSize, batchMaxDelay);
    }

    public List<String> topics() {
        return List.of(inputTopic, predictionsTopic, deadLetterTopic);
    }

    /**
     * The Kafka Streams configuration: exactly-once v2, the app's identity and threads, then the
     * pass-through settings on top.
     */
    public Properties streamsProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        // Store, outputs and input offsets commit atomically: the basis of "each window predicted once".
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Room in the store cache for every device's series (a 200-sample window is about 4 KiB): writes are
        // then absorbed between commits (see HarTopology). Kafka Streams' default of 10 MiB holds ~2,500.
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 64L * 1024 * 1024);
        if (stateDir != null) {
            p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        }
        p.putAll(kafka);
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }
}
