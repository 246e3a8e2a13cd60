package io.harstream.core.model.registry;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The models topic's contract (docs/design.md, "Models topic"): one partition, compacted, keys as UTF-8 strings,
 * {@code bundle/<modelVersion>} records holding a {@link ModelArchive} and one {@value #ROLES_KEY} key holding the
 * latest {@link ModelRoles}. A writer writes a bundle record before the roles record that names it; one partition
 * keeps that order for every reader, so a reader that sees a version in the roles has already seen its bundle.
 */
public final class ModelsTopic {

    /** The default topic name. */
    public static final String DEFAULT_TOPIC = "har-models";
    /** The key of the roles document. */
    public static final String ROLES_KEY = "roles";
    /** The prefix of a bundle record's key; the rest is the model version. */
    public static final String BUNDLE_KEY_PREFIX = "bundle/";
    /** One partition: the order of bundle and roles records is the contract. */
    public static final int PARTITIONS = 1;
    /**
     * The topic's {@code max.message.bytes} (and the producer's {@code max.request.size}): the archive cap plus
     * room for the record batch's overhead and the key.
     */
    public static final int MAX_MESSAGE_BYTES = ModelArchive.MAX_ARCHIVE_BYTES + (64 << 10);

    private ModelsTopic() {
    }

    /** {@code bundle/<version>}. */
    public static String bundleKey(String version) {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("a model version must not be blank");
        }
        return BUNDLE_KEY_PREFIX + version;
    }

    /** The model version a bundle key names, or empty for any other key. */
    public static Optional<String> versionOf(String key) {
        return key != null && key.startsWith(BUNDLE_KEY_PREFIX) && key.length() > BUNDLE_KEY_PREFIX.length()
                ? Optional.of(key.substring(BUNDLE_KEY_PREFIX.length()))
                : Optional.empty();
    }

    /** A key as record bytes. */
    public static byte[] keyBytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The settings the topic is created with: compacted (each key's latest record is kept for ever, so a new
     * instance reads every bundle and the current roles), records up to {@link #MAX_MESSAGE_BYTES}.
     */
    public static Map<String, String> topicConfigs() {
        return Map.of("cleanup.policy", "compact",
                "max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES));
    }
}
