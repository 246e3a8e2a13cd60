package io.harstream.registry;

import io.harstream.core.model.registry.ModelsTopic;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options that say where the models topic is, shared by every {@code models} subcommand and the trainer's
 * {@code --publish} (a picocli mixin).
 */
public final class RegistryOptions {

    static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT[,...]",
            description = "Kafka brokers. Default: " + DEFAULT_BOOTSTRAP + ".")
    String bootstrapServers;

    @Option(names = {"--topic", "--models-topic"}, paramLabel = "TOPIC",
            description = "The models topic. Default: " + ModelsTopic.DEFAULT_TOPIC + ".")
    String topic;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE",
            description = "Extra Kafka client setting, repeatable, applied last (e.g. security.protocol=SASL_SSL, "
                    + "sasl.mechanism=PLAIN, sasl.jaas.config=..., ssl.truststore.location=...).")
    Map<String, String> kafkaSettings = new LinkedHashMap<>();

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Give up when Kafka does not answer within this. Default: 30.")
    Double timeoutSeconds;

    /** Whether any of these options was given (the trainer takes them only with --publish). */
    public boolean given() {
        return bootstrapServers != null || topic != null || !kafkaSettings.isEmpty() || timeoutSeconds != null;
    }

    /** The target these options name, defaults filled in. */
    public RegistryTarget target() {
        double seconds = timeoutSeconds == null ? 30 : timeoutSeconds;
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new RegistryException("--timeout must be a positive number of seconds, got " + seconds);
        }
        return new RegistryTarget(bootstrapServers == null ? DEFAULT_BOOTSTRAP : bootstrapServers,
                topic == null ? ModelsTopic.DEFAULT_TOPIC : topic, kafkaSettings,
                Duration.ofMillis(Math.round(seconds * 1000)));
    }
}
