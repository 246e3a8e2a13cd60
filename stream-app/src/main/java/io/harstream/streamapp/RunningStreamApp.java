package io.harstream.streamapp;

import io.harstream.core.HarstreamVersion;
import io.harstream.core.model.ModelBundle;
import io.harstream.streamapp.config.Setting;
import io.harstream.streamapp.config.StreamAppConfig;
import io.harstream.streamapp.http.HttpEndpoints;
import io.harstream.streamapp.metrics.HarMetrics;
import io.harstream.streamapp.serving.ActiveModelWait;
import io.harstream.streamapp.serving.ServingModels;
import io.harstream.streamapp.topology.HarTopology;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A started stream-app: Kafka Streams running the {@link HarTopology}, its meters and the HTTP
 * endpoints. Obtained from {@link StreamApp#start}; {@link #close()} stops it gracefully (in-flight work
 * is committed). The command line and the one-process demo both run it this way.
 *
 * <p>Kafka Streams starts on a background thread once {@link KafkaStartupCheck} has seen the cluster and
 * the topics, so {@code start} returns at once and {@code /health} answers while Kafka is still away.
 */
public final class RunningStreamApp implements AutoCloseable {

    /** How long {@link #close()} lets Kafka Streams commit and leave the group. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    static final String WAITING_FOR_KAFKA = "WAITING_FOR_KAFKA";

    private static final Logger LOG = LoggerFactory.getLogger(RunningStreamApp.class);

    private final StreamAppConfig config;
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics;
    private final HttpEndpoints http;
    private final Thread starter;
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** Held for the whole of {@link #close()}, not {@code this}: /ready must answer while the app closes. */
    private final Object closing = new Object();
    /** The models served; null until the app knows its first active model (started without a bundle). */
    private volatile ServingModels models;
    /** Created once Kafka answers: its clients would otherwise fill the log with connection warnings. */
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private boolean closed;
    private volatile String startupRefusal;

    /** @param bundle the first active model, or null: wait for the models topic's */
    private RunningStreamApp(StreamAppConfig config, ModelBundle bundle) {
        this.config = config;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Topology known = bundle == null ? null : topology(bundle);
        Properties props = config.streamsProperties();
        // Fails here, before anything runs, on a pass-through setting Kafka Streams rejects.
        Map<String, Object> admin = adminConfig(props);

        http = HttpEndpoints.start(config.httpPort(), registry::scrape, this::readiness);
        starter = new Thread(() -> {
            try {
                KafkaStartupCheck.awaitTopics(admin, config.bootstrapServers(), config.topics());
                KafkaStartupCheck.ensureModelsTopic(admin, config.modelsTopic());
                Topology topology = known;
                if (topology == null) {
                    topology = topology(ActiveModelWait.await(
                            new StreamsConfig(props).getGlobalConsumerConfigs("harstream-models-wait"),
                            config.modelsTopic()));
                }
                startStreams(topology, props);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (KafkaStartupCheck.CredentialsRefused e) {
                LOG.error("cannot start: {}", e.getMessage());
                startupRefusal = e.getMessage();
                terminated.countDown();
            } catch (RuntimeException e) {
                LOG.error("cannot start Kafka Streams", e);
                terminated.countDown();
            }
        }, "harstream-startup");
        starter.setDaemon(true);
        starter.start();
        LOG.info("stream-app '{}' ({}) started: model {}, {} -> {} (dead letters: {}), models topic {}{},"
                        + " {} stream thread(s), batches of up to {} windows or {} ms",
                config.applicationId(), HarstreamVersion.line(),
                bundle == null ? "from the models topic" : bundle.manifest().modelVersion() + " ("
                        + bundle.classes().size() + " classes, window " + bundle.manifest().window() + ")",
                config.inputTopic(), config.predictionsTopic(), config.deadLetterTopic(), config.modelsTopic(),
                config.shadowTopic() == null ? "" : " (candidate's predictions to " + config.shadowTopic() + ")",
                config.streamThreads(), config.batchSize(), config.batchMaxDelay().toMillis());
    }

    /** The meters and the topology for a first active model, the topology's baseline. */
    private Topology topology(ModelBundle baseline) {
        HarMetrics metrics = HarMetrics.register(registry, baseline.manifest(), config.smoothingLag());
        if (config.smoothingLag() > 0 && !baseline.manifest().smoothed()) {
            LOG.warn("{} {} ignored: model {} does not smooth its predictions", Setting.SMOOTHING_LAG.key(),
                    config.smoothingLag(), baseline.manifest().modelVersion());
        }
        ServingModels serving = ServingModels.following(baseline, metrics);
        Topology topology = HarTopology.build(config.topologySettings(), serving, metrics, config.modelTopics());
        models = serving;
        return topology;
    }

    static RunningStreamApp start(StreamAppConfig config, ModelBundle bundle) {
        return new RunningStreamApp(config, bundle);
    }

    private synchronized void startStreams(Topology topology, Properties props) {
        if (closed) {
            return;
        }
        KafkaStreams s = new KafkaStreams(topology, props);
        s.setUncaughtExceptionHandler(e -> {
            // Not REPLACE_THREAD: an error that escapes Kafka Streams' own recovery (EOS fencing and
            // task migration are handled inside) would recur. Stop, report ERROR on /ready and exit non-zero
            // so that the orchestrator restarts the process with a clean slate.
            LOG.error("stream thread failed; shutting down the stream-app", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        s.setStateListener((now, before) -> {
            LOG.info("Kafka Streams {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                terminated.countDown();
            }
        });
        streamsMetrics = new KafkaStreamsMetrics(s);
        streamsMetrics.bindTo(registry);
        streams = s;
        s.start();
    }

    private static Map<String, Object> adminConfig(Properties props) {
        // Streams' own derivation: security and admin.* settings apply to the check as to Streams' admin client.
        Map<String, Object> admin = new HashMap<>(new StreamsConfig(props).getAdminConfigs("harstream-startup-check"));
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        // Fewer "connection refused" warnings from the client while Kafka is away; our own line says it all.
        admin.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 1_000);
        admin.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 10_000);
        return admin;
    }

    public StreamAppConfig config() {
        return config;
    }

    /** The active model now, or null while the app waits for the models topic's first. */
    public ModelBundle bundle() {
        ServingModels m = models;
        return m == null ? null : m.current().active();
    }

    /** All meters: the stream-app's, Kafka Streams' and the JVM's. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The port the HTTP endpoints listen on (useful with port 0). */
    public int httpPort() {
        return http.port();
    }

    /** {@code WAITING_FOR_KAFKA} before Kafka Streams starts, then its state ({@code RUNNING}, ...). */
    public synchronized String state() {
        if (streams != null) {
            return streams.state().name();
        }
        return closed ? KafkaStreams.State.NOT_RUNNING.name() : WAITING_FOR_KAFKA;
    }

    /** Processing: Kafka Streams is RUNNING (it starts only once there is an active model). */
    public synchronized boolean isReady() {
        return streams != null && streams.state() == KafkaStreams.State.RUNNING;
    }

    private HttpEndpoints.Readiness readiness() {
        ModelBundle active = bundle();
        String detail = active == null ? "waiting for an active model on " + config.modelsTopic()
                : state() + ", model " + active.manifest().modelVersion();
        return new HttpEndpoints.Readiness(isReady(), detail);
    }

    /** Blocks until Kafka Streams has stopped (closed, or failed: {@code ERROR}) or the timeout passes. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Why the app never started processing when Kafka refused its credentials (one line), or empty. */
    public Optional<String> startupRefusal() {
        return Optional.ofNullable(startupRefusal);
    }

    /** True when processing stopped because of an error, not because the app was closed. */
    public synchronized boolean failed() {
        return !closed && (streams == null || streams.state() == KafkaStreams.State.ERROR);
    }

    /**
     * Stops gracefully: Kafka Streams commits its in-flight work (under exactly-once: the open
     * transaction) and leaves the group, then the HTTP endpoints stop. Idempotent; a call while another
     * thread is closing returns once that close has finished.
     */
    @Override
    public void close() {
        synchronized (closing) {
            closeOnce();
        }
    }

    private void closeOnce() {
        KafkaStreams toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = streams;
        }
        LOG.info("stopping the stream-app (committing in-flight work, up to {} s)", CLOSE_TIMEOUT.toSeconds());
        starter.interrupt();
        if (toClose != null) {
            // Leave the group, so that the other instances take the tasks over at once rather than after the
            // session timeout. For the usual dynamic members the consumer setting in StreamAppConfig's
            // FAILOVER_DEFAULTS does it; leaveGroup(true) covers static ones (group.instance.id).
            if (!toClose.close(new KafkaStreams.CloseOptions().timeout(CLOSE_TIMEOUT).leaveGroup(true))) {
                LOG.warn("Kafka Streams did not stop within {} s", CLOSE_TIMEOUT.toSeconds());
            }
            streamsMetrics.close();
        }
        terminated.countDown();
        gcMetrics.close();
        http.close();
        registry.close();
        LOG.info("stream-app stopped");
    }
}
