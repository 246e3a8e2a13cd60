package io.harstream.registry;

import io.harstream.core.model.BundleException;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.model.registry.ModelArchive;
import io.harstream.core.model.registry.ModelRole;
import io.harstream.core.model.registry.ModelRoles;
import io.harstream.core.model.registry.ModelsTopic;
import io.harstream.core.model.registry.RoleChangeException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The models topic's writer and reader, what {@code harstream models} and the trainer's {@code --publish} run.
 * Every change reads the latest roles, computes the new ones ({@link ModelRoles}) and writes, in one Kafka
 * transaction, the bundle record (publish only) and then the new roles record. The transactional id is one per
 * topic, so a second change running at the same time fences this one: it fails with nothing written instead of
 * overwriting roles it never saw.
 *
 * <p>Every failure is one {@link RegistryException} line: a bundle the stream-app would refuse (checked before Kafka
 * is touched), Kafka unreachable within the target's timeout, credentials refused, no permission, an impossible role
 * change.
 */
public final class ModelRegistry {

    private final RegistryTarget target;

    public ModelRegistry(RegistryTarget target) {
        this.target = target;
    }

    /**
     * What a change wrote.
     *
     * @param version the model version it is about
     * @param roles   the roles it wrote
     * @param bytes   the archive's size (publish), else 0
     */
    public record Change(String version, ModelRoles roles, int bytes) {
    }

    /**
     * Validates the bundle in {@code bundleDir} exactly as a stream-app does (packed, then unpacked:
     * {@link ModelArchive#unpack}), creates the topic when absent, and writes the bundle and the roles with it in
     * {@code role}.
     */
    public Change publish(Path bundleDir, ModelRole role) {
        byte[] archive = validArchive(bundleDir);
        String version = ModelArchive.header(archive).modelVersion();
        checkCluster();
        ensureTopic();
        return change(state -> {
            Optional<PublishedBundle> existing = state.bundle(version);
            if (existing.isPresent() && existing.get().problem() == null
                    && !sameModel(existing.get().checksums(), ModelArchive.header(archive).sha256())) {
                throw new RegistryException("version " + version + " is already on topic " + target.topic()
                        + " with another model; a version names one model (retrain, or publish that one)");
            }
            return new Change(version, state.roles().withPublished(version, role, Instant.now()), archive.length);
        }, archive);
    }

    private static boolean sameModel(Map<String, String> published, Map<String, String> now) {
        return List.of(ModelBundle.MANIFEST_FILE, ModelBundle.MODEL_FILE).stream()
                .allMatch(f -> java.util.Objects.equals(published.get(f), now.get(f)));
    }

    /** Makes the candidate {@code version} active. */
    public Change promote(String version) {
        checkCluster();
        requireTopic();
        return change(state -> {
            ModelRoles roles = state.roles().promoted(version, Instant.now());
            requireBundle(state, version);
            return new Change(version, roles, 0);
        }, null);
    }

    /** Makes the previously active version active again. */
    public Change rollback() {
        checkCluster();
        requireTopic();
        return change(state -> {
            ModelRoles roles = state.roles().rolledBack(Instant.now());
            requireBundle(state, roles.active());
            return new Change(roles.active(), roles, 0);
        }, null);
    }

    /** Reads the topic to its end. */
    public RegistryState read() {
        checkCluster();
        requireTopic();
        return readTopic();
    }

    /**
     * Packs and unpacks the bundle: the archive a stream-app would receive, refused here for what it would refuse.
     *
     * @throws RegistryException with the bundle's problem
     */
    public static byte[] validArchive(Path bundleDir) {
        try {
            byte[] archive = ModelArchive.pack(bundleDir);
            ModelArchive.unpack(archive);
            return archive;
        } catch (BundleException e) {
            throw new RegistryException(e.getMessage(), e);
        }
    }

    /**
     * Checks that the cluster answers and takes the credentials, within the timeout: the one unambiguous test
     * (a producer's wait cannot tell "no broker" from "no topic").
     */
    public void checkCluster() {
        try (Admin admin = admin()) {
            await(admin.describeCluster().nodes(), "reach Kafka");
        }
    }

    private void ensureTopic() {
        try (Admin admin = admin()) {
            Optional<TopicDescription> topic = describe(admin);
            if (topic.isEmpty()) {
                try {
                    await(admin.createTopics(List.of(new NewTopic(target.topic(), Optional.of(ModelsTopic.PARTITIONS),
                            Optional.empty()).configs(ModelsTopic.topicConfigs()))).all(), "create topic "
                            + target.topic());
                } catch (RegistryException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            } else {
                requireOnePartition(topic.get());
            }
        }
    }

    private void requireTopic() {
        try (Admin admin = admin()) {
            requireOnePartition(describe(admin).orElseThrow(() -> new RegistryException("topic " + target.topic()
                    + " does not exist on " + target.bootstrapServers() + " (publish a model first)")));
        }
    }

    private void requireOnePartition(TopicDescription topic) {
        if (topic.partitions().size() != ModelsTopic.PARTITIONS) {
            throw new RegistryException("topic " + target.topic() + " has " + topic.partitions().size()
                    + " partitions; the models topic must have one (the order of bundle and roles records is its "
                    + "contract)");
        }
    }

    private Optional<TopicDescription> describe(Admin admin) {
        try {
            return Optional.of(await(admin.describeTopics(List.of(target.topic())).allTopicNames(),
                    "describe topic " + target.topic()).get(target.topic()));
        } catch (RegistryException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static void requireBundle(RegistryState state, String version) {
        PublishedBundle b = state.bundle(version).orElseThrow(() -> new RegistryException("no bundle record for "
                + "version " + version + " on the topic (was it deleted?)"));
        if (b.problem() != null) {
            throw new RegistryException("the bundle record of version " + version + " is refused: " + b.problem());
        }
    }

    /**
     * Opens the transactional producer (fencing any other change in flight), reads the state, and writes what
     * {@code how} makes of it, with the bundle record first when {@code archive} is given.
     */
    private Change change(Function<RegistryState, Change> how, byte[] archive) {
        Producer<String, byte[]> producer;
        try {
            producer = new KafkaProducer<>(target.producerConfig());
        } catch (KafkaException e) {
            throw new RegistryException("cannot create the Kafka producer: " + rootMessage(e), e);
        }
        try {
            producer.initTransactions();
            Change change;
            try {
                change = how.apply(readTopic());
            } catch (RoleChangeException e) {
                throw new RegistryException(e.getMessage(), e);
            }
            producer.beginTransaction();
            try {
                if (archive != null) {
                    send(producer, ModelsTopic.bundleKey(change.version()), archive);
                }
                send(producer, ModelsTopic.ROLES_KEY, change.roles().toJson());
                producer.commitTransaction();
            } catch (RuntimeException e) {
                abortQuietly(producer);
                throw e;
            }
            return change;
        } catch (ProducerFencedException e) {
            throw new RegistryException("another models command wrote to topic " + target.topic() + " at the same "
                    + "time; nothing was written by this one: run it again", e);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw unreachable(e);
        } catch (KafkaException e) {
            throw new RegistryException(describe(e, "write to topic " + target.topic()), e);
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }

    private void send(Producer<String, byte[]> producer, String key, byte[] value) {
        Future<?> sent = producer.send(new ProducerRecord<>(target.topic(), 0, key, value));
        try {
            sent.get(target.timeoutMs() + 5_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
        } catch (TimeoutException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while writing to Kafka", e);
        }
    }

    private static void abortQuietly(Producer<String, byte[]> producer) {
        try {
            producer.abortTransaction();
        } catch (KafkaException ignored) {
            // fenced or the broker gone: the transaction is aborted by the coordinator in either case
        }
    }

    private RegistryState readTopic() {
        TopicPartition tp = new TopicPartition(target.topic(), 0);
        ModelRoles roles = ModelRoles.EMPTY;
        Map<String, ConsumerRecord<String, byte[]>> latest = new LinkedHashMap<>();
        try (Consumer<String, byte[]> consumer = new KafkaConsumer<>(target.consumerConfig())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + target.timeout().toNanos();
            while (consumer.position(tp) < end) {
                int n = 0;
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    n++;
                    if (ModelsTopic.ROLES_KEY.equals(r.key())) {
                        roles = r.value() == null ? ModelRoles.EMPTY : ModelRoles.fromJson(r.value());
                    } else if (ModelsTopic.versionOf(r.key()).isPresent()) {
                        latest.remove(r.key()); // keep first-publication order only for live keys
                        if (r.value() != null) {
                            latest.put(r.key(), r);
                        }
                    }
                }
                if (n > 0) {
                    deadline = System.nanoTime() + target.timeout().toNanos();
                } else if (System.nanoTime() > deadline) {
                    throw new RegistryException("topic " + target.topic() + " on " + target.bootstrapServers()
                            + " gave no records for " + seconds() + " before its end");
                }
            }
        } catch (IllegalArgumentException e) {
            throw new RegistryException("topic " + target.topic() + ": " + e.getMessage(), e);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw unreachable(e);
        } catch (KafkaException e) {
            throw new RegistryException(describe(e, "read topic " + target.topic()), e);
        }
        Map<String, PublishedBundle> bundles = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : latest.values()) {
            String version = ModelsTopic.versionOf(r.key()).orElseThrow();
            Instant at = Instant.ofEpochMilli(r.timestamp());
            try {
                bundles.put(version, new PublishedBundle(version, ModelArchive.manifest(r.value()),
                        ModelArchive.header(r.value()).sha256(), at, r.value().length, null));
            } catch (BundleException e) {
                bundles.put(version, new PublishedBundle(version, null, Map.of(), at, r.value().length,
                        e.getMessage()));
            }
        }
        return new RegistryState(roles, bundles);
    }

    private Admin admin() {
        try {
            return Admin.create(target.adminConfig());
        } catch (KafkaException e) {
            throw new RegistryException("cannot connect to Kafka at " + target.bootstrapServers() + ": "
                    + rootMessage(e), e);
        }
    }

    private <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            // the admin calls time themselves out; this wait is a backstop
            return future.get(target.timeoutMs() + 5_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(cause);
            }
            throw new RegistryException(describe(cause, what), cause);
        } catch (TimeoutException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted while waiting for Kafka at " + target.bootstrapServers(), e);
        }
    }

    private String describe(Throwable e, String what) {
        if (e instanceof AuthenticationException) {
            return "Kafka at " + target.bootstrapServers() + " refused the credentials: " + rootMessage(e);
        }
        if (e instanceof AuthorizationException) {
            return "not allowed to " + what + " on Kafka at " + target.bootstrapServers() + ": " + rootMessage(e)
                    + " (docs/operations.md, Models topic and ACLs)";
        }
        return "cannot " + what + " on Kafka at " + target.bootstrapServers() + ": " + rootMessage(e);
    }

    private RegistryException unreachable(Throwable cause) {
        return new RegistryException("cannot reach Kafka at " + target.bootstrapServers() + " within " + seconds()
                + " (is the broker running? -b, --timeout)", cause);
    }

    private String seconds() {
        Duration t = target.timeout();
        return t.toMillis() % 1000 == 0 ? t.toSeconds() + " s" : t.toMillis() + " ms";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = msg.indexOf('\n');
        return nl < 0 ? msg : msg.substring(0, nl);
    }
}
