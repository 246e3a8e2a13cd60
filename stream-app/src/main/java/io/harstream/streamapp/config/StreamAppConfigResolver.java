package io.harstream.streamapp.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Layers the configuration sources: command-line flags over environment variables over the
 * properties file over the defaults. Every layer is first brought to the properties-file keys, so
 * that the precedence is one map merge and every error can name where the bad value came from.
 */
public final class StreamAppConfigResolver {

    private StreamAppConfigResolver() {
    }

    /** Reads a properties file (UTF-8). */
    public static Map<String, String> readFile(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).strip()));
        return m;
    }

    /**
     * @param flags    settings given on the command line, under their file keys ({@code kafka.*} for
     *                 {@code --kafka} pairs)
     * @param env      the process environment; only {@code HARSTREAM_*} variables are read
     * @param file     the properties file's entries (empty when there is none)
     * @param fileName how to name the file in error messages
     */
    public static StreamAppConfig resolve(Map<String, String> flags, Map<String, String> env, Map<String, String> file,
                                          String fileName) {
        Map<String, String> values = new HashMap<>();
        Map<String, String> origin = new HashMap<>();
        for (Setting s : Setting.values()) {
            if (s.defaultValue() != null) {
                values.put(s.key(), s.defaultValue());
                origin.put(s.key(), "the default");
            }
        }
        layer(values, origin, checkKeys(file, fileName), key -> fileName + " (" + key + ")");
        layer(values, origin, fromEnvironment(env), Setting::envName);
        layer(values, origin, checkKeys(flags, "the command line"), key -> "the command line");

        Map<String, String> kafka = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(Setting.KAFKA_PREFIX)) {
                kafka.put(k.substring(Setting.KAFKA_PREFIX.length()), v);
            }
        });
        Values v = new Values(values, origin);
        String bundle = v.text(Setting.MODEL_BUNDLE);
        String stateDir = v.text(Setting.STATE_DIR);
        String shadowTopic = v.text(Setting.SHADOW_TOPIC);
        return new StreamAppConfig(v.text(Setting.BOOTSTRAP_SERVERS), v.text(Setting.APPLICATION_ID),
                v.text(Setting.INPUT_TOPIC), v.text(Setting.PREDICTIONS_TOPIC), v.text(Setting.DEAD_LETTER_TOPIC),
                bundle == null || bundle.isBlank() ? null : Path.of(bundle), v.integer(Setting.STREAM_THREADS), v.integer(Setting.BATCH_SIZE),
                Duration.ofMillis(v.integer(Setting.BATCH_MAX_DELAY_MS)), v.integer(Setting.HTTP_PORT),
                stateDir == null || stateDir.isBlank() ? null : Path.of(stateDir), v.text(Setting.MODELS_TOPIC),
                shadowTopic == null || shadowTopic.isBlank() ? null : shadowTopic, kafka,
                v.integer(Setting.SMOOTHING_LAG));
    }

    private interface Origin {
        String of(String key);
    }

    private static void layer(Map<String, String> values, Map<String, String> origin, Map<String, String> layer,
                              Origin where) {
        layer.forEach((k, v) -> {
            values.put(k, v);
            origin.put(k, where.of(k));
        });
    }

    /** {@code HARSTREAM_BATCH_SIZE} -> {@code batch.size}; {@code HARSTREAM_KAFKA_SASL_MECHANISM} -> {@code kafka.sasl.mechanism}. */
    static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> m = new TreeMap<>();
        for (Setting s : Setting.values()) {
            String v = env.get(s.env());
            if (v != null) {
                m.put(s.key(), v.strip());
            }
        }
        env.forEach((name, v) -> {
            if (name.startsWith(Setting.KAFKA_ENV_PREFIX) && name.length() > Setting.KAFKA_ENV_PREFIX.length()) {
                String key = name.substring(Setting.KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT)
                        .replace('_', '.');
                m.put(Setting.KAFKA_PREFIX + key, v.strip());
            }
        });
        return m;
    }

    /** A misspelt key would otherwise be ignored in silence and its default used instead. */
    private static Map<String, String> checkKeys(Map<String, String> layer, String source) {
        for (String key : layer.keySet()) {
            boolean kafka = key.startsWith(Setting.KAFKA_PREFIX) && key.length() > Setting.KAFKA_PREFIX.length();
            if (!kafka && Setting.byKey(key).isEmpty()) {
                throw new IllegalArgumentException("unknown setting '" + key + "' in " + source + " (known: "
                        + Arrays.stream(Setting.values()).map(Setting::key).collect(Collectors.joining(", "))
                        + ", and kafka.* for Kafka client settings)");
            }
        }
        return layer;
    }

    private record Values(Map<String, String> values, Map<String, String> origin) {

        String text(Setting s) {
            return values.get(s.key());
        }

        int integer(Setting s) {
            String v = values.get(s.key());
            try {
                return Integer.parseInt(v.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(s.key() + " must be a whole number, got '" + v + "' from "
                        + origin.get(s.key()));
            }
        }
    }
}
