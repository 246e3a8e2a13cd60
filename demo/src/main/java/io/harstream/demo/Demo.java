package io.harstream.demo;

import io.harstream.core.model.ModelBundle;
import io.harstream.kafka.EmbeddedKafkaBroker;
import io.harstream.simulator.KafkaTarget;
import io.harstream.simulator.Pacing;
import io.harstream.simulator.Simulator;
import io.harstream.simulator.TestSet;
import io.harstream.core.model.registry.ModelRole;
import io.harstream.registry.ModelRegistry;
import io.harstream.registry.RegistryTarget;
import io.harstream.streamapp.RunningStreamApp;
import io.harstream.streamapp.StreamApp;
import io.harstream.streamapp.config.Setting;
import io.harstream.streamapp.config.StreamAppConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The whole pipeline in this process: a single-node KRaft broker, the stream-app on the given bundle,
 * optionally Prometheus, and the simulator replaying the bundle's test set in a loop. The same classes
 * as the separate commands, wired together; {@link #close()} stops them in reverse order and deletes
 * the run directory.
 */
public final class Demo implements AutoCloseable {

    static final String APPLICATION_ID = "harstream-demo";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

    private final ModelBundle bundle;
    private final EmbeddedKafkaBroker broker;
    private final RunningStreamApp app;
    private final PrometheusProcess prometheus;
    private final Simulator simulator;
    private final Thread simulatorThread;
    private final long startNanos = System.nanoTime();
    private boolean closed;

    private Demo(ModelBundle bundle, EmbeddedKafkaBroker broker, RunningStreamApp app, PrometheusProcess prometheus,
                 Simulator simulator) {
        this.bundle = bundle;
        this.broker = broker;
        this.app = app;
        this.prometheus = prometheus;
        this.simulator = simulator;
        this.simulatorThread = new Thread(this::runSimulator, "harstream-simulator");
        simulatorThread.setDaemon(true);
    }

    /**
     * Starts every part and returns once the stream-app processes and the simulator sends. On a failure
     * what was started is stopped again before the exception propagates.
     */
    public static Demo start(DemoSettings settings, ModelBundle bundle, TestSet testSet) {
        Path runDir = createRunDir(settings.workDir());
        EmbeddedKafkaBroker broker = null;
        RunningStreamApp app = null;
        PrometheusProcess prometheus = null;
        try {
            // The broker owns the run directory: closing it, last, deletes the stream-app state and
            // Prometheus' data with the Kafka log.
            broker = EmbeddedKafkaBroker.start(runDir, true, Map.of());
            StreamAppConfig config = StreamAppConfig.of(streamAppSettings(settings, broker.bootstrapServers(), runDir));
            broker.createTopic(config.inputTopic(), settings.partitions());
            broker.createTopic(config.predictionsTopic(), settings.partitions());
            broker.createTopic(config.deadLetterTopic(), 1);

            // The model goes through the models topic, as a user publishes one (./harstream models publish): the
            // stream-app starts without a bundle and serves the topic's active model, so a model published from
            // another terminal while the demo runs takes over the same way.
            Path published = runDir.resolve("published-model");
            bundle.save(published);
            new ModelRegistry(RegistryTarget.of(broker.bootstrapServers())).publish(published, ModelRole.ACTIVE);
            app = StreamApp.start(config, null);
            awaitReady(app);
            if (settings.prometheus() != null) {
                prometheus = PrometheusProcess.start(settings.prometheus(), runDir.resolve("prometheus"),
                        settings.prometheusPort(), app.httpPort(), settings.ruleFiles(),
                        settings.workDir().resolve("prometheus.log"));
            }
            TestSet replayed = (settings.devices() > 0 ? testSet.firstDevices(settings.devices()) : testSet)
                    .copies(settings.copies());
            KafkaTarget target = new KafkaTarget(broker.bootstrapServers(), config.inputTopic(), Map.of(),
                    Duration.ofSeconds(30));
            Simulator simulator = new Simulator(replayed, new Pacing(settings.speed(), false, true, 1_000, 0),
                    settings.malformedFraction(), config.inputTopic(), target.connect());
            Demo demo = new Demo(bundle, broker, app, prometheus, simulator);
            demo.simulatorThread.start();
            return demo;
        } catch (IOException e) {
            closeQuietly(broker);
            throw new UncheckedIOException("cannot save the model to publish: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(prometheus);
            closeQuietly(app);
            closeQuietly(broker);
            throw e;
        }
    }

    static Map<String, String> streamAppSettings(DemoSettings settings, String bootstrap, Path runDir) {
        Map<String, String> s = new HashMap<>();
        s.put(Setting.BOOTSTRAP_SERVERS.key(), bootstrap);
        s.put(Setting.APPLICATION_ID.key(), APPLICATION_ID);
        s.put(Setting.STATE_DIR.key(), runDir.resolve("streams-state").toString());
        s.put(Setting.HTTP_PORT.key(), Integer.toString(settings.httpPort()));
        s.put(Setting.STREAM_THREADS.key(), Integer.toString(settings.streamThreads()));
        // One instance: there is nowhere to keep a standby copy of the stores (Kafka Streams would warn about
        // every task at every rebalance), and nothing to fail over to.
        s.put(Setting.KAFKA_PREFIX + StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "0");
        return s;
    }

    private static Path createRunDir(Path workDir) {
        try {
            Files.createDirectories(workDir);
            return Files.createTempDirectory(workDir.toAbsolutePath(), "run-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run directory in " + workDir + ": " + e.getMessage(), e);
        }
    }

    private static void awaitReady(RunningStreamApp app) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (!app.isReady()) {
                if (app.awaitTermination(Duration.ofMillis(100))) {
                    throw new IllegalStateException("the stream-app stopped while starting (state " + app.state()
                            + "), see the log");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the stream-app was not ready within " + READY_TIMEOUT.toSeconds()
                            + " s (state " + app.state() + ")");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the stream-app", e);
        }
    }

    private void runSimulator() {
        try {
            simulator.run();
        } catch (RuntimeException e) {
            LOG.error("the simulator stopped", e);
        }
    }

    /** The figures now; after {@link #close()}, the final ones (the stream-app's meters outlive it). */
    public DemoSnapshot snapshot() {
        return DemoSnapshot.read(app.registry(), bundle.classes(), simulator.stats().eventsSent(), System.nanoTime());
    }

    public Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    public ModelBundle bundle() {
        return bundle;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public int metricsPort() {
        return app.httpPort();
    }

    public Optional<Integer> prometheusPort() {
        return Optional.ofNullable(prometheus).map(PrometheusProcess::port);
    }

    public Path runDirectory() {
        return broker.directory();
    }

    /** True when a part stopped on its own: the stream-app failed or the simulator gave up. */
    public boolean failed() {
        return app.failed() || !simulatorThread.isAlive();
    }

    /**
     * Stops the simulator (what it sent is delivered), then the stream-app (its in-flight work is
     * committed), Prometheus and the broker, and deletes the run directory. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        simulator.stop();
        try {
            simulatorThread.join(Simulator.DRAIN_TIMEOUT.plusSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(app);
        closeQuietly(prometheus);
        closeQuietly(broker);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("while stopping {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }
}
