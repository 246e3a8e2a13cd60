package io.harstream.bench;

import io.harstream.core.HarstreamVersion;
import io.harstream.core.data.Activities;
import io.harstream.core.event.SensorEvent;
import io.harstream.core.event.SensorEventCodec;
import io.harstream.core.features.Normalization;
import io.harstream.core.model.BundleManifest;
import io.harstream.core.model.HarNetwork;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.model.NetworkConfig;
import io.harstream.core.window.WindowSpec;
import io.harstream.kafka.EmbeddedKafkaBroker;
import io.harstream.streamapp.StreamApp;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code harstream bench-stream}: how much the stream-app sustains. An embedded broker and a producer of N
 * simulated devices at 20 Hz run in this JVM, the stream-app in a child JVM (so its resident memory is its
 * own, and it starts exactly as {@code harstream stream-app} does); for each N one table row with the events/s
 * that became window samples, predictions/s, event-to-prediction latency (the app's histogram, and end to
 * end as a read_committed consumer sees it), the child's VmRSS and the mean inference batch. The figures
 * depend on the machine, and the producer and the broker share it with the app: see BENCHMARKS.md,
 * "Stream-app throughput".
 *
 * <p>Without {@code --model} the app runs an untrained network of the real size (the default window, 64
 * units): throughput does not depend on what the weights learnt.
 */
@Command(name = "bench-stream", mixinStandardHelpOptions = true, versionProvider = HarstreamVersion.class,
        sortOptions = false,
        description = "The stream-app's sustained events/s, predictions/s, latency and memory for N simulated "
                + "devices at 20 Hz, on an embedded Kafka broker, the app in a child JVM.")
public final class StreamBenchmark implements Callable<Integer> {

    private static final int HZ = 20;
    private static final long START_TS = 1_764_000_000_000L;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--devices", split = ",", defaultValue = "1000,5000",
            description = "Device counts, one run each. Default: ${DEFAULT-VALUE}.")
    int[] devices;

    @Option(names = "--seconds", defaultValue = "60",
            description = "Measured seconds per run. Default: ${DEFAULT-VALUE}.")
    int seconds;

    @Option(names = "--warmup", defaultValue = "20",
            description = "Seconds of load before measuring; with --app-alone, seconds the app works through the "
                    + "input before the measured part (its JIT compilers are busy until then). "
                    + "Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--stream-threads", defaultValue = "2",
            description = "The stream-app's Kafka Streams threads. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--partitions", defaultValue = "4",
            description = "Partitions of the input and output topics. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--app-alone",
            description = "Measure the app alone instead: the whole input written before the app starts, then "
                    + "events/s, CPU µs/event with and without inference, and the inference bound of as many "
                    + "threads, in one table.")
    boolean appAlone;

    @Option(names = "--data-seconds", defaultValue = "90",
            description = "With --app-alone: seconds of 20 Hz data per device written before the app starts. "
                    + "Default: ${DEFAULT-VALUE}.")
    int dataSeconds;

    @Option(names = "--repeats", defaultValue = "1",
            description = "With --app-alone: runs per device count; the table adds their median. "
                    + "Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--bound-seconds", defaultValue = "5",
            description = "With --app-alone: seconds the inference bound is measured, before and after each run. "
                    + "Default: ${DEFAULT-VALUE}.")
    int boundSeconds;

    @Option(names = "--jfr", paramLabel = "DIR",
            description = "With --app-alone: record the app's measured part with JFR (settings=default) into DIR "
                    + "and print where its CPU time went.")
    Path jfrDir;

    @Option(names = "--summarize-jfr", paramLabel = "FILE",
            description = "Only print where a JFR recording's CPU time went (the table --jfr prints), and exit.")
    Path summarizeJfr;

    @Option(names = "--aligned",
            description = "Live runs: every device completes a window at the same tick (the worst burst). Default: "
                    + "device d starts d mod hop ticks late, so windows complete spread over each hop, as "
                    + "independent phones' do.")
    boolean aligned;

    @Option(names = "--app-arg", paramLabel = "ARG",
            description = "An argument added to the stream-app's command line (repeatable), to measure what a "
                    + "setting costs, e.g. --app-arg=--kafka=commit.interval.ms=500.")
    List<String> appArgs = new ArrayList<>();

    @Option(names = "--model", paramLabel = "BUNDLE",
            description = "Model bundle to classify with. Default: an untrained network of the real size.")
    Path model;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StreamBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (Arrays.stream(devices).anyMatch(d -> d < 1) || seconds < 1 || warmup < 0 || threads < 1
                || partitions < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "device counts, seconds, stream threads and partitions must be positive");
        }
        if (summarizeJfr != null) {
            if (!Files.isRegularFile(summarizeJfr)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no such recording: " + summarizeJfr);
            }
            System.out.print(JfrProfile.summarize(summarizeJfr, 15).table());
            return 0;
        }
        if (appAlone && (repeats < 1 || dataSeconds < 1 || boundSeconds < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "repeats, data seconds and bound seconds must be positive");
        }
        String loadBefore = InferenceBenchmark.loadAverage();
        Path work = Files.createTempDirectory("harstream-bench");
        Path bundleDir = model;
        if (bundleDir == null) {
            bundleDir = work.resolve("bundle");
            untrained(WindowSpec.DEFAULT, 64, 1).save(bundleDir);
        }
        ModelBundle bundle = ModelBundle.load(bundleDir);
        if (appAlone) {
            return appAlone(bundle, bundleDir, work, loadBefore);
        }
        String setup = String.format(Locale.ROOT, "model %s, window %s, %d stream thread(s), %d partitions, "
                        + "%d s warm-up, %d s measured, devices' windows %s", bundle.manifest().modelVersion(),
                bundle.manifest().window(), threads, partitions, warmup, seconds,
                aligned ? "aligned (all complete at the same tick)" : "spread over each hop");
        System.out.println(setup);

        List<String> rows = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            for (int n : devices) {
                rows.add(run(broker, bundleDir, work, n, seconds, warmup, threads, partitions,
                        aligned ? 1 : bundle.manifest().window().hop(), appArgs));
            }
        }
        System.out.printf(Locale.ROOT, "%n%s stream benchmark%n", HarstreamVersion.line());
        System.out.printf(Locale.ROOT, "cpu: %s, %d cores; load average before %s, after %s%n",
                InferenceBenchmark.cpuName(), Runtime.getRuntime().availableProcessors(), loadBefore,
                InferenceBenchmark.loadAverage());
        System.out.println(setup);
        System.out.println();
        System.out.println("| devices | offered ev/s | accepted ev/s | predictions/s | app p50 / p99 ms "
                + "| end-to-end p50 / p99 ms | stream-app RSS MiB | mean batch "
                + "| CPU µs/event: app / broker, producer and reader |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        return 0;
    }

    private int appAlone(ModelBundle bundle, Path bundleDir, Path work, String loadBefore) throws Exception {
        WindowSpec window = bundle.manifest().window();
        if (dataSeconds * HZ < 2 * (window.length() + window.hop())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data-seconds " + dataSeconds
                    + " is too short for window " + window.length() + " at hop " + window.hop() + ": each device needs "
                    + "at least " + (2 * (window.length() + window.hop()) + HZ - 1) / HZ + " s of data");
        }
        if (jfrDir != null) {
            Files.createDirectories(jfrDir);
        }
        String setup = String.format(Locale.ROOT, "app alone: model %s, window %s, %d stream thread(s), %d partitions, "
                        + "%d s of data per device, exactly-once, measured after %d s of work, inference bound over %d s "
                        + "before and after each run", bundle.manifest().modelVersion(), bundle.manifest().window(),
                threads, partitions, dataSeconds, warmup, boundSeconds);
        System.out.println(setup);
        List<String> rows = new ArrayList<>();
        List<String> profiles = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            for (int n : devices) {
                List<AppAloneRun.Result> results = new ArrayList<>();
                for (int r = 1; r <= repeats; r++) {
                    Path jfr = jfrDir == null ? null : jfrDir.resolve("app-" + n + "-" + r + ".jfr");
                    AppAloneRun.Result result = AppAloneRun.run(broker, bundle, bundleDir, work, n, dataSeconds,
                            warmup, threads, partitions, boundSeconds, n + "-" + r, jfr, appArgs);
                    if (jfr != null) {
                        JfrProfile.Summary profile = JfrProfile.summarize(jfr, 15);
                        result = result.withInferenceShare(profile.share(JfrProfile.INFERENCE));
                        profiles.add("profile of run " + r + ", " + n + " devices (" + jfr + "):\n\n"
                                + profile.table());
                    }
                    results.add(result);
                    profiles.add("CPU by thread of run " + r + ", " + n + " devices:\n\n" + result.threadTable());
                    String row = result.row(String.valueOf(r));
                    System.out.println(row);
                    rows.add(row);
                }
                if (repeats > 1) {
                    rows.add(median(results).row("median of " + repeats));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n%s stream benchmark%n", HarstreamVersion.line());
        System.out.printf(Locale.ROOT, "cpu: %s, %d cores; load average before %s, after %s%n",
                InferenceBenchmark.cpuName(), Runtime.getRuntime().availableProcessors(), loadBefore,
                InferenceBenchmark.loadAverage());
        System.out.println(setup);
        System.out.println();
        System.out.println(AppAloneRun.Result.header());
        rows.forEach(System.out::println);
        profiles.forEach(p -> System.out.println("\n" + p));
        return 0;
    }

    /** Each column's median over the runs; the ratio is the median of the per-run ratios. */
    private static AppAloneRun.Result median(List<AppAloneRun.Result> rs) {
        java.util.function.ToDoubleFunction<java.util.function.ToDoubleFunction<AppAloneRun.Result>> med =
                f -> InferenceBenchmark.median(rs.stream().mapToDouble(f).toArray());
        double ratio = med.applyAsDouble(AppAloneRun.Result::ratio);
        double bound = med.applyAsDouble(AppAloneRun.Result::boundEventsPerSecond);
        return new AppAloneRun.Result(rs.get(0).devices(), rs.get(0).events(),
                med.applyAsDouble(AppAloneRun.Result::eventsPerSecond), bound, ratio,
                med.applyAsDouble(AppAloneRun.Result::cpuUsPerEvent),
                med.applyAsDouble(AppAloneRun.Result::inferenceUsPerEvent),
                med.applyAsDouble(AppAloneRun.Result::inferenceCpuUsPerEvent),
                med.applyAsDouble(AppAloneRun.Result::boundCpuUsPerEvent),
                med.applyAsDouble(AppAloneRun.Result::brokerCpuUsPerEvent),
                med.applyAsDouble(AppAloneRun.Result::inferenceShare),
                med.applyAsDouble(AppAloneRun.Result::meanBatch), "-", Map.of());
    }

    /**
     * An untrained bundle of the real network shape, classes and window: the stream-app's work per event and
     * per window is the same as with a trained one.
     */
    static ModelBundle untrained(WindowSpec window, int hidden, long seed) {
        List<String> classes = Activities.V1_CLASSES;
        NetworkConfig config = new NetworkConfig(3, classes.size(), hidden, hidden, 2, 0.0025, 0.0015, seed);
        Normalization gravityOnY = new Normalization(new double[] {0, 9.8, 0}, new double[] {4, 4, 4});
        BundleManifest manifest = BundleManifest.builder().modelVersion("untrained-" + seed)
                .createdAt(Instant.now().toString()).classes(classes).window(window).sampleRateHz(HZ)
                .channels(List.of("x", "y", "z")).normalization(BundleManifest.NormalizationStats.of(gravityOnY))
                .network(config).split(new BundleManifest.Split("none", false, seed, 0, List.of(), List.of()))
                .dataset(new BundleManifest.DatasetInfo("none", "0".repeat(64), 0, 0, 0))
                .metrics(new BundleManifest.Metrics(0, 0, 0)).recipe(Map.of("recipe", "untrained")).build();
        return new ModelBundle(manifest, HarNetwork.create(config, window.length()));
    }

    private static String run(EmbeddedKafkaBroker broker, Path bundleDir, Path work, int devices, int seconds,
                              int warmup, int threads, int partitions, int phases, List<String> appArgs)
            throws Exception {
        String in = "bench-in-" + devices;
        String out = "bench-out-" + devices;
        broker.createTopic(in, partitions);
        broker.createTopic(out, partitions);
        broker.createTopic("bench-dlq-" + devices, partitions);
        int port = freePort();
        Process app = startApp(broker, bundleDir, work, "bench-" + devices, in, out, "bench-dlq-" + devices, threads,
                port, appArgs);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong offered = new AtomicLong();
        LatencyReader e2e = new LatencyReader(broker.bootstrapServers(), out);
        Thread producer = new Thread(() -> produce(broker.bootstrapServers(), in, devices, phases, stop, offered),
                "bench-producer");
        try {
            awaitReady(port, app);
            producer.start();
            e2e.start();
            Thread.sleep(warmup * 1000L);
            Map<String, Double> before = scrape(port);
            long offeredBefore = offered.get();
            long appCpu = AppAloneRun.cpuTicks(app.pid());
            long ownCpu = AppAloneRun.cpuTicks(ProcessHandle.current().pid());
            e2e.reset();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            Map<String, Double> after = scrape(port);
            appCpu = AppAloneRun.cpuTicks(app.pid()) - appCpu;
            ownCpu = AppAloneRun.cpuTicks(ProcessHandle.current().pid()) - ownCpu;
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long offeredDelta = offered.get() - offeredBefore;
            long rss = rssKiB(app.pid());
            double accepted = delta(before, after, "har_events_total{outcome=\"accepted\"}");
            double predictions = delta(before, after, "har_inference_batch_size_sum");
            double batches = delta(before, after, "har_inference_batch_size_count");
            // CPU per accepted event: the app's, and the benchmark process's (broker, producer, latency reader).
            double perEvent = accepted == 0 ? Double.NaN : 1e6 / 100.0 / accepted;
            String row = String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %s / %s | %s / %s | %d | %.1f "
                            + "| %.1f / %.1f |", devices, offeredDelta / elapsed, accepted / elapsed,
                    predictions / elapsed, quantileMs(before, after, 0.5), quantileMs(before, after, 0.99),
                    e2e.quantileMs(0.5), e2e.quantileMs(0.99), rss / 1024, batches == 0 ? 0 : predictions / batches,
                    appCpu * perEvent, ownCpu * perEvent);
            System.out.println(row);
            return row;
        } finally {
            stop.set(true);
            producer.join();
            e2e.close();
            app.destroy();
            app.waitFor();
        }
    }

    /** The stream-app in a child JVM, as {@code harstream stream-app} starts it; its log goes to {@code work}. */
    static Process startApp(EmbeddedKafkaBroker broker, Path bundleDir, Path work, String applicationId, String in,
                            String out, String dlq, int threads, int port, List<String> extraArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx2g", "--add-modules", "jdk.incubator.vector", "-Dlogback.configurationFile=" + streamAppLogback(),
                "-cp", System.getProperty("java.class.path"), StreamApp.class.getName(),
                "--model", bundleDir.toString(), "--bootstrap-servers", broker.bootstrapServers(),
                "--application-id", applicationId, "--input-topic", in, "--predictions-topic", out,
                "--dead-letter-topic", dlq, "--stream-threads", String.valueOf(threads),
                "--http-port", String.valueOf(port), "--state-dir", work.resolve("state-" + applicationId).toString(),
                // One instance: no standby copy to place (and none to warn about at every rebalance).
                "--kafka", "num.standby.replicas=0"));
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve(applicationId + ".log").toFile());
        pb.environment().putIfAbsent("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    /**
     * N devices at 20 Hz: every 50 ms one event per device, timestamps advancing in step with the clock. Device d
     * starts {@code d % phases} ticks late, so that with {@code phases} = the hop the devices' windows complete
     * spread evenly over each hop, as independent phones' do; with 1, every device completes a window at the same
     * tick (the worst burst).
     */
    static void produce(String bootstrap, String topic, int devices, int phases, AtomicBoolean stop,
                        AtomicLong offered) {
        Random random = new Random(7);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), new ByteArraySerializer())) {
            long tickNanos = 1_000_000_000L / HZ;
            long next = System.nanoTime();
            long ts = START_TS;
            String[] activity = Activities.V1_CLASSES.toArray(String[]::new);
            long tick = 0;
            while (!stop.get()) {
                long sent = 0;
                for (int d = 0; d < devices; d++) {
                    if (tick < d % phases) {
                        continue;
                    }
                    sent++;
                    String device = "dev-" + d;
                    SensorEvent e = new SensorEvent(device, ts, (float) random.nextGaussian(),
                            9.8f + (float) random.nextGaussian(), (float) random.nextGaussian(),
                            activity[d % activity.length]);
                    producer.send(new ProducerRecord<>(topic, device, SensorEventCodec.encode(e)));
                }
                offered.addAndGet(sent);
                tick++;
                ts += 1000 / HZ;
                next += tickNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } else if (-sleep > 1_000_000_000L) {
                    // More than a second behind: the machine cannot offer this rate. Do not try to catch up in a
                    // burst; the offered rate in the table is what was really sent.
                    next = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Consumes the predictions as a downstream service would and keeps now - record timestamp per record. */
    static final class LatencyReader extends Thread implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final String topic;
        private final List<Long> samples = new ArrayList<>();
        private volatile boolean stopped;

        /** Also hands every prediction record's value to {@code values} (e.g. to note which model made it). */
        private final java.util.function.Consumer<byte[]> values;

        LatencyReader(String bootstrap, String topic) {
            this(bootstrap, topic, value -> { });
        }

        LatencyReader(String bootstrap, String topic, java.util.function.Consumer<byte[]> values) {
            super("bench-latency-reader");
            this.topic = topic;
            this.values = values;
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        @Override
        public void run() {
            List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(tps);
            consumer.seekToEnd(tps);
            while (!stopped) {
                long now = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    synchronized (samples) {
                        samples.add(now - r.timestamp());
                    }
                    values.accept(r.value());
                }
            }
            consumer.close();
        }

        void reset() {
            synchronized (samples) {
                samples.clear();
            }
        }

        String quantileMs(double q) {
            synchronized (samples) {
                if (samples.isEmpty()) {
                    return "-";
                }
                List<Long> sorted = samples.stream().sorted().toList();
                return String.valueOf(sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))));
            }
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            join();
        }
    }

    /**
     * A quantile of {@code har_event_to_prediction_seconds} over the measured interval, from the bucket
     * counts: the upper bound of the bucket it falls in (Prometheus' histogram_quantile interpolates; the
     * bound is the honest figure with these few buckets).
     */
    private static String quantileMs(Map<String, Double> before, Map<String, Double> after, double q) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        after.forEach((k, v) -> {
            if (k.startsWith("har_event_to_prediction_seconds_bucket{le=\"")) {
                String le = k.substring(k.indexOf('"') + 1, k.lastIndexOf('"'));
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                buckets.put(bound, v - before.getOrDefault(k, 0.0));
            }
        });
        double total = buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
        if (total == 0) {
            return "-";
        }
        for (var e : buckets.entrySet()) {
            if (e.getValue() >= q * total) {
                return e.getKey().isInfinite() ? ">30000" : "<=" + Math.round(e.getKey() * 1000);
            }
        }
        return "?";
    }

    static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        return after.getOrDefault(series, 0.0) - before.getOrDefault(series, 0.0);
    }

    static Map<String, Double> scrape(int port) throws Exception {
        String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> m = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("har_")) {
                int space = line.lastIndexOf(' ');
                m.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return m;
    }

    static void awaitReady(int port, Process app) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 600; i++) {
            if (!app.isAlive()) {
                throw new IllegalStateException("stream-app exited with " + app.exitValue());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("stream-app not ready after 120 s");
    }

    static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    /**
     * The stream-app's own logback.xml, for the child: this module's class path holds bench's and the trainer's
     * too, and the child should log as {@code harstream stream-app} does.
     */
    static String streamAppLogback() {
        String where = StreamApp.class.getProtectionDomain().getCodeSource().getLocation().toString();
        return where.endsWith(".jar") ? "jar:" + where + "!/logback.xml" : where + "logback.xml";
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
