package io.harstream.streamapp.config;

import io.harstream.streamapp.topology.TopologySettings;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The stream-app's own settings. One name per setting, used as the properties-file key; the
 * environment variable is derived from it ({@code batch.size} -> {@code HARSTREAM_BATCH_SIZE}) so the
 * two can never disagree. Kafka client settings are not listed here: they pass through under the
 * {@code kafka.} prefix. The topology's defaults (topics, batching) are {@link TopologySettings}' own, so that the
 * command line and a topology built in a test start from the same values.
 */
public enum Setting {
    BOOTSTRAP_SERVERS("bootstrap.servers", "localhost:9092"),
    APPLICATION_ID("application.id", "harstream"),
    INPUT_TOPIC("input.topic", TopologySettings.DEFAULT_INPUT_TOPIC),
    PREDICTIONS_TOPIC("predictions.topic", TopologySettings.DEFAULT_PREDICTIONS_TOPIC),
    DEAD_LETTER_TOPIC("dead.letter.topic", TopologySettings.DEFAULT_DEAD_LETTER_TOPIC),
    MODEL_BUNDLE("model.bundle", null),
    STREAM_THREADS("stream.threads", "1"),
    BATCH_SIZE("batch.size", String.valueOf(TopologySettings.DEFAULT_BATCH_SIZE)),
    BATCH_MAX_DELAY_MS("batch.max.delay.ms", String.valueOf(TopologySettings.DEFAULT_BATCH_MAX_DELAY_MS)),
    HTTP_PORT("http.port", "8080"),
    STATE_DIR("state.dir", null),
    MODELS_TOPIC("models.topic", "har-models"),
    SHADOW_TOPIC("shadow.topic", null),
    SMOOTHING_LAG("smoothing.lag", "0");

    /** Properties-file prefix of Kafka client settings passed through as they are. */
    public static final String KAFKA_PREFIX = "kafka.";
    /** Environment prefix of every setting; {@code HARSTREAM_KAFKA_*} are Kafka client settings. */
    public static final String ENV_PREFIX = "HARSTREAM_";
    public static final String KAFKA_ENV_PREFIX = ENV_PREFIX + "KAFKA_";
    /** Environment variable naming the properties file, when {@code --config} is not given. */
    public static final String CONFIG_FILE_ENV = ENV_PREFIX + "CONFIG";

    private final String key;
    private final String defaultValue;

    Setting(String key, String defaultValue) {
        this.key = key;
        this.defaultValue = defaultValue;
    }

    public String key() {
        return key;
    }

    public String env() {
        return envName(key);
    }

    /** The default, or null where there is none (no model bundle; Kafka's own default state directory;
     * no shadow topic). */
    public String defaultValue() {
        return defaultValue;
    }

    public static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }

    /** {@code batch.size} -> {@code HARSTREAM_BATCH_SIZE}; {@code kafka.sasl.mechanism} -> {@code HARSTREAM_KAFKA_SASL_MECHANISM}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
