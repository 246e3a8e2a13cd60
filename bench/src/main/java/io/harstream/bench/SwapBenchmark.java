package io.harstream.bench;

import io.harstream.core.HarstreamVersion;
import io.harstream.core.event.PredictionCodec;
import io.harstream.core.model.registry.ModelArchive;
import io.harstream.core.model.registry.ModelRole;
import io.harstream.core.window.WindowSpec;
import io.harstream.kafka.EmbeddedKafkaBroker;
import io.harstream.registry.ModelRegistry;
import io.harstream.registry.RegistryTarget;
import io.harstream.streamapp.StreamApp;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a live model swap costs: two stream-app instances (child JVMs, one group) classify N simulated devices at
 * 20 Hz on an embedded broker; models of the real size are published alternately as active through the models topic
 * ({@link ModelRegistry}, what {@code ./harstream models publish} runs). Per swap: the time from the publish until
 * every instance serves the new model (its {@code /ready} names it), until the first prediction by it is committed,
 * and the end-to-end p99 latency (event to committed prediction, as a read_committed consumer sees it) over the
 * seconds after the publish against the same figure in steady state just before. Also the bundle load time
 * ({@link ModelArchive#unpack}, median of 5). Prints a table; the figures go to BENCHMARKS.md, "Model swap".
 */
@Command(name = "bench-swap", mixinStandardHelpOptions = true, versionProvider = HarstreamVersion.class,
        description = "Publish-to-serving time and latency during a live model swap: two stream-app instances, "
                + "N devices at 20 Hz, models published through the models topic.")
public final class SwapBenchmark implements Callable<Integer> {

    @Option(names = "--devices", defaultValue = "500", description = "Simulated devices at 20 Hz. Default: ${DEFAULT-VALUE}.")
    int devices;

    @Option(names = "--swaps", defaultValue = "3", description = "Swaps to measure. Default: ${DEFAULT-VALUE}.")
    int swaps;

    @Option(names = "--seconds", defaultValue = "15",
            description = "Steady state measured before each swap, and the window measured after it. Default: ${DEFAULT-VALUE}.")
    int seconds;

    @Option(names = "--warmup", defaultValue = "20", description = "Seconds before the first measurement. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--partitions", defaultValue = "4", description = "Input partitions. Default: ${DEFAULT-VALUE}.")
    int partitions;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SwapBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (devices < 1 || swaps < 1 || seconds < 1 || warmup < 0 || partitions < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "devices, swaps, seconds and partitions must be positive");
        }
        String loadBefore = InferenceBenchmark.loadAverage();
        Path work = Files.createTempDirectory("harstream-bench-swap");
        Path[] models = {work.resolve("model-1"), work.resolve("model-2")};
        StreamBenchmark.untrained(WindowSpec.DEFAULT, 64, 1).save(models[0]);
        StreamBenchmark.untrained(WindowSpec.DEFAULT, 64, 2).save(models[1]);
        String[] versions = {"untrained-1", "untrained-2"};
        byte[] archive = ModelArchive.pack(models[1]);
        long[] loads = new long[5];
        for (int i = 0; i < loads.length; i++) {
            long t = System.nanoTime();
            ModelArchive.unpack(archive);
            loads[i] = (System.nanoTime() - t) / 1_000_000;
        }
        Arrays.sort(loads);
        String setup = String.format(Locale.ROOT, "%d devices at 20 Hz, 2 instances x 1 stream thread, %d partitions, "
                + "window %s, archive %d KiB, bundle load (unpack) median %d ms", devices, partitions,
                WindowSpec.DEFAULT, archive.length / 1024, loads[loads.length / 2]);
        System.out.println(setup);

        List<String> rows = new ArrayList<>();
        List<Process> apps = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            broker.createTopic("swap-in", partitions);
            broker.createTopic("swap-out", partitions);
            broker.createTopic("swap-dlq", partitions);
            ModelRegistry registry = new ModelRegistry(new RegistryTarget(bootstrap, "swap-models", Map.of(),
                    Duration.ofSeconds(30)));
            registry.publish(models[0], ModelRole.ACTIVE);
            for (String name : List.of("a", "b")) {
                int port = StreamBenchmark.freePort();
                List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                        "-Xmx1g", "--add-modules", "jdk.incubator.vector",
                        "-Dlogback.configurationFile=" + StreamBenchmark.streamAppLogback(),
                        "-cp", System.getProperty("java.class.path"), StreamApp.class.getName(),
                        "--bootstrap-servers", bootstrap, "--application-id", "bench-swap",
                        "--input-topic", "swap-in", "--predictions-topic", "swap-out", "--dead-letter-topic", "swap-dlq",
                        "--models-topic", "swap-models", "--http-port", String.valueOf(port),
                        "--state-dir", work.resolve("state-" + name).toString(), "--kafka", "num.standby.replicas=0"));
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(work.resolve("app-" + name + ".log").toFile());
                pb.environment().putIfAbsent("OMP_NUM_THREADS", "1");
                apps.add(pb.start());
                ports.add(port);
            }
            for (int i = 0; i < apps.size(); i++) {
                StreamBenchmark.awaitReady(ports.get(i), apps.get(i));
            }
            AtomicLong offered = new AtomicLong();
            Thread producer = new Thread(() -> StreamBenchmark.produce(bootstrap, "swap-in", devices, 1, stop, offered),
                    "bench-producer");
            FirstByVersion first = new FirstByVersion();
            try (StreamBenchmark.LatencyReader e2e = new StreamBenchmark.LatencyReader(bootstrap, "swap-out", first)) {
                producer.start();
                e2e.start();
                Thread.sleep(warmup * 1000L);
                for (int swap = 1; swap <= swaps; swap++) {
                    int next = swap % 2;
                    e2e.reset();
                    Thread.sleep(seconds * 1000L);
                    String steadyP99 = e2e.quantileMs(0.99);
                    e2e.reset();
                    first.watch(versions[next]);
                    long t0 = System.nanoTime();
                    long published = System.currentTimeMillis();
                    registry.publish(models[next], ModelRole.ACTIVE);
                    long publishMs = (System.nanoTime() - t0) / 1_000_000;
                    long allServing = awaitServing(ports, versions[next], t0);
                    long firstPrediction = first.awaitFirst() - published;
                    Thread.sleep(Math.max(0, seconds * 1000L - (System.nanoTime() - t0) / 1_000_000));
                    String swapP99 = e2e.quantileMs(0.99);
                    String row = String.format(Locale.ROOT, "| %d | %s -> %s | %d | %d | %d | %s | %s | %s |", swap,
                            versions[1 - next], versions[next], publishMs, allServing, firstPrediction, steadyP99,
                            swapP99, ratio(swapP99, steadyP99));
                    System.out.println(row);
                    rows.add(row);
                }
            } finally {
                stop.set(true);
                producer.join();
            }
        } finally {
            for (Process app : apps) {
                app.destroy();
                app.waitFor();
            }
        }
        System.out.printf(Locale.ROOT, "%n%s model swap benchmark%n", HarstreamVersion.line());
        System.out.printf(Locale.ROOT, "cpu: %s, %d cores; load average before %s, after %s%n",
                InferenceBenchmark.cpuName(), Runtime.getRuntime().availableProcessors(), loadBefore,
                InferenceBenchmark.loadAverage());
        System.out.println(setup);
        System.out.println();
        System.out.println("| swap | models | publish call ms | publish -> every instance serving ms "
                + "| publish -> first committed prediction by it ms | e2e p99 steady ms | e2e p99 after publish ms "
                + "| ratio |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        return 0;
    }

    private static String ratio(String swap, String steady) {
        try {
            return String.format(Locale.ROOT, "%.2f", Double.parseDouble(swap) / Double.parseDouble(steady));
        } catch (NumberFormatException e) {
            return "-";
        }
    }

    /** Ms from {@code t0} until every instance's {@code /ready} names {@code version}. */
    private static long awaitServing(List<Integer> ports, String version, long t0) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        boolean[] serving = new boolean[ports.size()];
        while (true) {
            boolean all = true;
            for (int i = 0; i < ports.size(); i++) {
                if (!serving[i]) {
                    String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(i)
                            + "/ready")).build(), HttpResponse.BodyHandlers.ofString()).body();
                    serving[i] = body.contains("model " + version);
                    all &= serving[i];
                }
            }
            if (all) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            if (System.nanoTime() - t0 > Duration.ofMinutes(2).toNanos()) {
                throw new IllegalStateException("not every instance serves " + version + " after 2 min");
            }
            Thread.sleep(10);
        }
    }

    /** Notes when the first prediction by a watched model version is read (fed by the latency reader). */
    private static final class FirstByVersion implements java.util.function.Consumer<byte[]> {
        private volatile String watched;
        private volatile long arrivedMs;

        void watch(String version) {
            arrivedMs = 0;
            watched = version;
        }

        @Override
        public void accept(byte[] prediction) {
            String w = watched;
            if (arrivedMs == 0 && w != null && PredictionCodec.decode(prediction).modelVersion().equals(w)) {
                arrivedMs = System.currentTimeMillis();
            }
        }

        /** Epoch ms when the first prediction by the watched version was read. */
        long awaitFirst() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (arrivedMs == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no prediction by " + watched + " after 2 min");
                }
                Thread.sleep(5);
            }
            return arrivedMs;
        }
    }
}
