package io.harstream.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real single-node Kafka cluster (one KRaft process acting as broker and controller) inside the
 * current JVM, listening on loopback. The one-process demo runs the whole pipeline on it, and the
 * stream-app's integration tests use it because it is the same broker code a cluster runs: the
 * transactions, fencing and read_committed semantics exactly-once relies on are the real ones, not a mock.
 *
 * <p>Built from Kafka's own {@link KafkaRaftServer} (what {@code kafka-server-start.sh} runs) after
 * formatting the log directory with {@link Formatter} (what {@code kafka-storage.sh format} runs):
 * Kafka's test kit is not published for reuse. Sized for a laptop: every internal topic has one
 * replica and a few partitions, so the first transactional producer does not wait for 50 partitions
 * to be created.
 *
 * <p>A fatal metadata fault inside the broker ends the JVM (Kafka's fault handler halts the process);
 * that is what a broker does, and the reason this is not for hosting anything but the demo and tests.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final int BIND_ATTEMPTS = 3;

    private final Path baseDir;
    private final boolean deleteOnClose;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final String saslBootstrapServers;
    private boolean closed;

    private EmbeddedKafkaBroker(Path baseDir, boolean deleteOnClose, KafkaRaftServer server, String bootstrapServers,
                                String saslBootstrapServers) {
        this.baseDir = baseDir;
        this.deleteOnClose = deleteOnClose;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.saslBootstrapServers = saslBootstrapServers;
    }

    /** Starts a broker in a fresh temporary directory, deleted again on {@link #close()}. */
    public static EmbeddedKafkaBroker start() {
        try {
            return start(Files.createTempDirectory("harstream-kafka"), true, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the embedded Kafka broker", e);
        }
    }

    /**
     * Starts a broker whose data lives in {@code dir} (created if needed; reused, not reformatted, if it
     * already holds a broker's data).
     *
     * @param deleteOnClose delete {@code dir} when the broker closes
     * @param overrides     broker settings that replace the defaults, e.g. {@code num.partitions}
     */
    public static EmbeddedKafkaBroker start(Path dir, boolean deleteOnClose, Map<String, String> overrides) {
        return start(dir, deleteOnClose, overrides, Map.of());
    }

    /**
     * Starts a broker in a fresh temporary directory with, beside the plaintext listener, a SASL_PLAINTEXT listener
     * ({@link #saslBootstrapServers()}) that takes the PLAIN {@code users} (name to password): for testing that
     * clients pass credentials through and refuse to start when they are wrong. The plaintext listener stays
     * open (the broker's own and the tests' set-up use it); no ACLs are enforced.
     */
    public static EmbeddedKafkaBroker startWithPlainUsers(Map<String, String> users) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("at least one SASL/PLAIN user");
        }
        try {
            return start(Files.createTempDirectory("harstream-kafka"), true, Map.of(), users);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the embedded Kafka broker", e);
        }
    }

    /**
     * As {@link #start(Path, boolean, Map)}, plus a SASL_PLAINTEXT listener taking the PLAIN {@code plainUsers}
     * when there are any (see {@link #startWithPlainUsers}).
     */
    public static EmbeddedKafkaBroker start(Path dir, boolean deleteOnClose, Map<String, String> overrides,
                                            Map<String, String> plainUsers) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
            // The ports are picked by binding to port 0 and closing again; another process can take one in
            // between, so a failed start is retried with new ports.
            int brokerPort = freePort();
            int controllerPort = freePort();
            int saslPort = plainUsers.isEmpty() ? 0 : freePort();
            KafkaRaftServer server = null;
            try {
                Map<String, String> config = brokerConfig(dir.resolve("data"), brokerPort, controllerPort);
                if (saslPort != 0) {
                    addPlainListener(config, saslPort, plainUsers);
                }
                config.putAll(overrides);
                format(config, dir.resolve("data"));
                server = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
                server.startup();
                String bootstrap = "127.0.0.1:" + brokerPort;
                awaitReady(bootstrap);
                LOG.info("embedded Kafka broker (KRaft, node {}) ready at {}, data in {}", NODE_ID, bootstrap, dir);
                return new EmbeddedKafkaBroker(dir, deleteOnClose, server, bootstrap,
                        saslPort == 0 ? null : "127.0.0.1:" + saslPort);
            } catch (RuntimeException e) {
                last = e;
                LOG.warn("embedded Kafka broker failed to start (attempt {} of {}): {}", attempt, BIND_ATTEMPTS,
                        e.toString());
                if (server != null) {
                    stop(server);
                }
            }
        }
        if (deleteOnClose) {
            deleteRecursively(dir);
        }
        throw new IllegalStateException("embedded Kafka broker did not start: " + last.getMessage(), last);
    }

    /** {@code host:port} for clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * {@code host:port} of the SASL_PLAINTEXT listener of a broker started with PLAIN users.
     *
     * @throws IllegalStateException when it was started without
     */
    public String saslBootstrapServers() {
        if (saslBootstrapServers == null) {
            throw new IllegalStateException("this broker has no SASL listener (start it with startWithPlainUsers)");
        }
        return saslBootstrapServers;
    }

    /**
     * The client settings that log in to the SASL_PLAINTEXT listener as {@code user} with {@code password}: what a
     * harstream command takes as {@code --kafka KEY=VALUE} options.
     */
    public static Map<String, String> plainClientSettings(String user, String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                        + "\" password=\"" + password + "\";");
    }

    /** The directory holding the broker's log directory. */
    public Path directory() {
        return baseDir;
    }

    /** Creates a topic with one replica, waiting until it exists; an existing topic is left as it is. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /** As {@link #createTopic(String, int)}, with topic settings such as {@code cleanup.policy}. */
    public void createTopic(String name, int partitions, Map<String, String> topicConfig) {
        try (Admin admin = admin(bootstrapServers)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(topicConfig)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topic " + name + " was not created within 30 s", e);
        }
    }

    /** Stops the broker and, if it owns its directory, deletes it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop(server);
        if (deleteOnClose) {
            deleteRecursively(baseDir);
        }
        LOG.info("embedded Kafka broker at {} stopped", bootstrapServers);
    }

    static Map<String, String> brokerConfig(Path logDir, int brokerPort, int controllerPort) {
        Map<String, String> c = new HashMap<>();
        c.put("process.roles", "broker,controller");
        c.put("node.id", String.valueOf(NODE_ID));
        c.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        c.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        c.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        c.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        c.put("controller.listener.names", "CONTROLLER");
        c.put("inter.broker.listener.name", "PLAINTEXT");
        c.put("log.dirs", logDir.toString());
        // One node: every internal topic has one replica, and few partitions so that they are created quickly.
        c.put("offsets.topic.replication.factor", "1");
        c.put("offsets.topic.num.partitions", "4");
        c.put("transaction.state.log.replication.factor", "1");
        c.put("transaction.state.log.min.isr", "1");
        c.put("transaction.state.log.num.partitions", "4");
        c.put("share.coordinator.state.topic.replication.factor", "1");
        c.put("share.coordinator.state.topic.min.isr", "1");
        c.put("default.replication.factor", "1");
        c.put("min.insync.replicas", "1");
        // Topics are part of the contract: a typo must fail, not silently create a new topic.
        c.put("auto.create.topics.enable", "false");
        c.put("group.initial.rebalance.delay.ms", "0");
        // A crashed client's open transaction is aborted at the first scan after its timeout; Kafka scans every
        // 10 s, which would dominate a stream-app failover (docs/stream-app.md, "Failover"). A scan is cheap.
        c.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        // Small files and buffers: the demo and the tests write megabytes, not gigabytes.
        c.put("log.segment.bytes", String.valueOf(1 << 20));
        c.put("offsets.topic.segment.bytes", String.valueOf(1 << 20));
        c.put("transaction.state.log.segment.bytes", String.valueOf(1 << 20));
        c.put("log.index.size.max.bytes", String.valueOf(1 << 16));
        c.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 << 20));
        c.put("log.cleaner.threads", "1");
        c.put("num.network.threads", "2");
        c.put("num.io.threads", "4");
        c.put("num.recovery.threads.per.data.dir", "1");
        return c;
    }

    /** A SASL_PLAINTEXT listener on {@code port} whose PLAIN logins are {@code users} (name to password). */
    private static void addPlainListener(Map<String, String> c, int port, Map<String, String> users) {
        String listener = "SASL_PLAINTEXT://127.0.0.1:" + port;
        c.put("listeners", c.get("listeners") + "," + listener);
        c.put("advertised.listeners", c.get("advertised.listeners") + "," + listener);
        c.put("listener.security.protocol.map", c.get("listener.security.protocol.map") + ",SASL_PLAINTEXT:SASL_PLAINTEXT");
        c.put("sasl.enabled.mechanisms", "PLAIN");
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
        users.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
        c.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.append(';').toString());
    }

    /** What {@code kafka-storage.sh format} does; a directory that is already formatted is kept as it is. */
    private static void format(Map<String, String> config, Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(out, true, StandardCharsets.UTF_8))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(config.get("controller.listener.names"))
                    .setMetadataLogDirectory(logDir.toString())
                    .addDirectory(logDir.toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format " + logDir + " for KRaft: " + e.getMessage(), e);
        }
        LOG.debug("format: {}", out.toString(StandardCharsets.UTF_8).strip());
    }

    private static void awaitReady(String bootstrap) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        try (Admin admin = admin(bootstrap)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("broker at " + bootstrap + " not ready after "
                                + STARTUP_TIMEOUT.toSeconds() + " s", e);
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    private static void stop(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("embedded Kafka broker did not shut down cleanly: {}", e.toString());
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
