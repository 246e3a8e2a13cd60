package io.harstream.streamapp;

import io.harstream.core.HarstreamVersion;
import io.harstream.core.model.BundleException;
import io.harstream.core.model.ModelBundle;
import io.harstream.streamapp.config.Setting;
import io.harstream.streamapp.config.StreamAppConfig;
import io.harstream.streamapp.config.StreamAppConfigResolver;
import io.harstream.streamapp.topology.TopologySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The stream-app's command line: resolves the configuration, loads the model bundle (refusing a bad
 * one before touching Kafka), starts the {@link RunningStreamApp} and runs until SIGTERM/SIGINT or a
 * fatal stream error. From code, use {@link #start(StreamAppConfig)} instead.
 */
@Command(name = "stream-app", mixinStandardHelpOptions = true, versionProvider = HarstreamVersion.class,
        sortOptions = false, usageHelpWidth = 100,
        description = {
            "Classifies live accelerometer events: reads sensor events from Kafka, windows them per device, "
                    + "classifies the windows in batches with the LSTM of a model bundle and writes one prediction "
                    + "per window; invalid records go to a dead-letter topic. Exactly-once (Kafka Streams "
                    + "exactly_once_v2).",
            ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:after a requested shutdown (SIGTERM, SIGINT)",
            "1:processing failed (see the log)",
            "2:bad configuration or model bundle, or Kafka refused the credentials"},
        footer = {
            "",
            "Configuration precedence: flags > environment variables > properties file > defaults.",
            "",
            "Properties file keys: bootstrap.servers, application.id, input.topic,",
            "  predictions.topic, dead.letter.topic, model.bundle, stream.threads,",
            "  batch.size, batch.max.delay.ms, http.port, state.dir, models.topic,",
            "  shadow.topic, and",
            "  kafka.<setting> for any Kafka client or Kafka Streams setting.",
            "Environment: HARSTREAM_ + the key in upper case, '.' as '_'",
            "  (model.bundle -> HARSTREAM_MODEL_BUNDLE); Kafka settings as",
            "  HARSTREAM_KAFKA_<SETTING> (HARSTREAM_KAFKA_SASL_MECHANISM=PLAIN ->",
            "  sasl.mechanism=PLAIN). HARSTREAM_CONFIG names the properties file.",
            "Kafka settings reach all of Streams' clients unless prefixed (producer.,",
            "  consumer., admin.) and are applied last, so they override the app's own:",
            "  --kafka processing.guarantee=at_least_once replaces exactly_once_v2.",
            "Failover defaults, chosen for a handover within seconds (docs/stream-app.md,",
            "  Failover, says what each costs): num.standby.replicas=1,",
            "  session.timeout.ms=6000, heartbeat.interval.ms=500, transaction.timeout.ms=5000,",
            "  main.consumer.internal.leave.group.on.close=true.",
            "",
            "HTTP: /metrics (Prometheus text), /health (200 while alive),",
            "  /ready (200 while processing, else 503 with the state).",
            "The app does not create its topics: it logs and waits until Kafka answers",
            "  and all three exist (and the shadow topic when named); it creates the",
            "  models topic, compacted, when absent.",
            "",
            "Example (SASL over TLS, the JAAS line from the environment):",
            "  HARSTREAM_KAFKA_SASL_JAAS_CONFIG=\"$JAAS\" stream-app --model model/ \\",
            "    --bootstrap-servers kafka:9093 --kafka security.protocol=SASL_SSL \\",
            "    --kafka sasl.mechanism=PLAIN"})
public final class StreamApp implements Callable<Integer> {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_CONFIG = 2;

    private static final Logger LOG = LoggerFactory.getLogger(StreamApp.class);

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", order = 0,
            description = {"Properties file with any of the settings below (file keys listed further down).",
                    "Env: HARSTREAM_CONFIG."})
    private Path configFile;

    @Option(names = {"-m", "--model", "--bundle"}, paramLabel = "BUNDLE", order = 1,
            description = {"Model bundle: a directory or zip with model.zip and model.json, as the trainer wrote it. "
                    + "Active until the models topic names another. Without it, the app waits for the models "
                    + "topic's active model (./harstream models publish).",
                    "Env: HARSTREAM_MODEL_BUNDLE; key: model.bundle."})
    private String modelBundle;

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT[,...]", order = 2,
            description = {"Kafka bootstrap servers. Default: localhost:9092.",
                    "Env: HARSTREAM_BOOTSTRAP_SERVERS; key: bootstrap.servers."})
    private String bootstrapServers;

    @Option(names = "--application-id", paramLabel = "ID", order = 3,
            description = {"Kafka Streams application id: consumer group, transactional ids and internal topic "
                    + "prefix. Default: harstream.",
                    "Env: HARSTREAM_APPLICATION_ID; key: application.id."})
    private String applicationId;

    @Option(names = "--input-topic", paramLabel = "TOPIC", order = 4,
            description = {"Sensor events (key = device id). Default: " + TopologySettings.DEFAULT_INPUT_TOPIC + ".",
                    "Env: HARSTREAM_INPUT_TOPIC; key: input.topic."})
    private String inputTopic;

    @Option(names = "--predictions-topic", paramLabel = "TOPIC", order = 5,
            description = {"One prediction per window. Default: " + TopologySettings.DEFAULT_PREDICTIONS_TOPIC + ".",
                    "Env: HARSTREAM_PREDICTIONS_TOPIC; key: predictions.topic."})
    private String predictionsTopic;

    @Option(names = "--dead-letter-topic", paramLabel = "TOPIC", order = 6,
            description = {"Rejected input records, original bytes, reason in headers. Default: "
                    + TopologySettings.DEFAULT_DEAD_LETTER_TOPIC + ".",
                    "Env: HARSTREAM_DEAD_LETTER_TOPIC; key: dead.letter.topic."})
    private String deadLetterTopic;

    @Option(names = "--stream-threads", paramLabel = "N", order = 7,
            description = {"Kafka Streams threads, each with its own copy of the network. Default: 1.",
                    "Env: HARSTREAM_STREAM_THREADS; key: stream.threads."})
    private Integer streamThreads;

    @Option(names = "--batch-size", paramLabel = "N", order = 8,
            description = {"Classify as soon as this many windows are pending in a task. Default: "
                    + TopologySettings.DEFAULT_BATCH_SIZE + ".",
                    "Env: HARSTREAM_BATCH_SIZE; key: batch.size."})
    private Integer batchSize;

    @Option(names = "--batch-max-delay-ms", paramLabel = "MS", order = 9,
            description = {"... or after at most this long (wall clock). Default: "
                    + TopologySettings.DEFAULT_BATCH_MAX_DELAY_MS + ".",
                    "Env: HARSTREAM_BATCH_MAX_DELAY_MS; key: batch.max.delay.ms."})
    private Integer batchMaxDelayMs;

    @Option(names = {"--http-port", "--port"}, paramLabel = "PORT", order = 10,
            description = {"Port of /metrics, /health and /ready (0: any free port). Default: 8080.",
                    "Env: HARSTREAM_HTTP_PORT; key: http.port."})
    private Integer httpPort;

    @Option(names = "--state-dir", paramLabel = "DIR", order = 11,
            description = {"Kafka Streams state directory (RocksDB stores); keep it on a persistent volume to "
                    + "restart without restoring from the changelogs. Default: Kafka Streams' "
                    + "(<tmp>/kafka-streams).",
                    "Env: HARSTREAM_STATE_DIR; key: state.dir."})
    private Path stateDir;

    @Option(names = "--models-topic", paramLabel = "TOPIC", order = 12,
            description = {"The models topic every instance follows: bundles, and which is active and which the "
                    + "candidate (created, compacted, when absent). Default: har-models.",
                    "Env: HARSTREAM_MODELS_TOPIC; key: models.topic."})
    private String modelsTopic;

    @Option(names = "--shadow-topic", paramLabel = "TOPIC", order = 13,
            description = {"Where the candidate's predictions of the same windows go (must exist). Default: none "
                    + "(they are counted in the metrics either way).",
                    "Env: HARSTREAM_SHADOW_TOPIC; key: shadow.topic."})
    private String shadowTopic;

    @Option(names = "--smoothing-lag", paramLabel = "WINDOWS", order = 14,
            description = {"For a bundle that smooths: also serve the fixed-lag smoother, each window's label "
                    + "WINDOWS windows (hops) later, on the record of the window that makes it final (field "
                    + "'lagged'). 0: the causal filter only. Default: 0.",
                    "Env: HARSTREAM_SMOOTHING_LAG; key: smoothing.lag."})
    private Integer smoothingLag;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE", order = 15,
            description = {"Any Kafka client or Streams setting, passed through (repeatable), e.g. "
                    + "security.protocol=SSL, commit.interval.ms=200.",
                    "Env: HARSTREAM_KAFKA_<KEY>; key: kafka.<key>."})
    private Map<String, String> kafka = new LinkedHashMap<>();

    private final Map<String, String> env;
    private final StopRequest stop;

    /** The command without signal handlers (see {@link StopRequest}): for use inside another program. */
    public StreamApp() {
        this(System.getenv());
    }

    StreamApp(Map<String, String> env) {
        this(env, new StopRequest());
    }

    StreamApp(Map<String, String> env, StopRequest stop) {
        this.env = Map.copyOf(env);
        this.stop = stop;
    }

    public static void main(String[] args) {
        // Handlers first: a SIGTERM while the bundle loads is a stop request too, not the JVM's exit 143.
        StopRequest stop = StopRequest.onSignals();
        System.exit(new CommandLine(new StreamApp(System.getenv(), stop)).execute(args));
    }

    /**
     * Loads the bundle named in {@code config} and starts the app; see {@link RunningStreamApp}.
     *
     * @throws BundleException          when the bundle is missing or invalid (the message says which and why)
     * @throws IllegalArgumentException when {@code config} names no bundle
     */
    public static RunningStreamApp start(StreamAppConfig config) {
        return start(config, ModelBundle.load(config.requireModelBundle()));
    }

    /**
     * Starts the app with a bundle already in memory (e.g. one the demo just trained), or with null: then it waits
     * for the models topic's active model.
     */
    public static RunningStreamApp start(StreamAppConfig config, ModelBundle bundle) {
        return RunningStreamApp.start(config, bundle);
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        StreamAppConfig config;
        try {
            config = resolveConfig();
        } catch (IllegalArgumentException | IOException e) {
            err.println("stream-app: " + e.getMessage());
            return EXIT_CONFIG;
        }
        ModelBundle bundle;
        try {
            // Without a bundle the app waits for the models topic's active model.
            bundle = config.modelBundle() == null ? null : ModelBundle.load(config.modelBundle());
        } catch (BundleException e) {
            LOG.error("cannot start: {}", e.getMessage());
            err.println("stream-app: cannot start: " + e.getMessage());
            return EXIT_CONFIG;
        }
        if (stop.isRequested()) {
            return EXIT_OK;
        }
        RunningStreamApp app;
        try {
            app = start(config, bundle);
        } catch (RuntimeException e) {
            // e.g. a pass-through Kafka setting that Kafka rejects, or the HTTP port in use
            LOG.error("cannot start", e);
            err.println("stream-app: cannot start: " + e.getMessage());
            return EXIT_CONFIG;
        }
        // SIGTERM/SIGINT: closed on the signal's thread, then this thread returns 0 (see StopRequest).
        stop.whenRequested(app::close);
        // Any other way out of the JVM (SIGHUP, a signal without a handler): still commit and leave the group.
        Thread hook = new Thread(() -> {
            LOG.info("shutdown requested");
            app.close();
        }, "harstream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        while (!app.awaitTermination(Duration.ofDays(1))) {
            // a day at a time: awaitTermination needs a bound
        }
        boolean failed = app.failed();
        // Returns once a close begun by a signal has finished, so that the exit does not cut it short.
        app.close();
        if (app.startupRefusal().isPresent()) {
            err.println("stream-app: cannot start: " + app.startupRefusal().get());
            return EXIT_CONFIG;
        }
        if (failed) {
            err.println("stream-app: processing failed, see the log");
            return EXIT_FAILED;
        }
        return EXIT_OK;
    }

    /** Flags over environment over file over defaults. */
    StreamAppConfig resolveConfig() throws IOException {
        Path file = configFile;
        if (file == null && env.get(Setting.CONFIG_FILE_ENV) != null) {
            file = Path.of(env.get(Setting.CONFIG_FILE_ENV));
        }
        Map<String, String> fileValues = file == null ? Map.of() : StreamAppConfigResolver.readFile(file);
        return StreamAppConfigResolver.resolve(flags(), env, fileValues, file == null ? "no file" : file.toString());
    }

    private Map<String, String> flags() {
        Map<String, String> f = new HashMap<>();
        put(f, Setting.MODEL_BUNDLE, modelBundle);
        put(f, Setting.BOOTSTRAP_SERVERS, bootstrapServers);
        put(f, Setting.APPLICATION_ID, applicationId);
        put(f, Setting.INPUT_TOPIC, inputTopic);
        put(f, Setting.PREDICTIONS_TOPIC, predictionsTopic);
        put(f, Setting.DEAD_LETTER_TOPIC, deadLetterTopic);
        put(f, Setting.STREAM_THREADS, streamThreads);
        put(f, Setting.BATCH_SIZE, batchSize);
        put(f, Setting.BATCH_MAX_DELAY_MS, batchMaxDelayMs);
        put(f, Setting.HTTP_PORT, httpPort);
        put(f, Setting.STATE_DIR, stateDir);
        put(f, Setting.MODELS_TOPIC, modelsTopic);
        put(f, Setting.SHADOW_TOPIC, shadowTopic);
        put(f, Setting.SMOOTHING_LAG, smoothingLag);
        kafka.forEach((k, v) -> f.put(Setting.KAFKA_PREFIX + k, v));
        return f;
    }

    private static void put(Map<String, String> flags, Setting s, Object value) {
        if (value != null) {
            flags.put(s.key(), value.toString());
        }
    }
}
