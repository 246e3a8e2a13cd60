package io.harstream.bench;

import io.harstream.core.data.Activities;
import io.harstream.core.event.SensorEvent;
import io.harstream.core.event.SensorEventCodec;
import io.harstream.core.model.ModelBundle;
import io.harstream.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One app-alone measurement: the whole input is in the topic before the stream-app starts (no producer shares the
 * machine while it runs), then the app in a child JVM works through it as fast as it can. Measured over the steady
 * part, from when every device has completed its first window to 95 % of the input: events/s, the app process's CPU
 * time per event (every thread of it: stream threads, GC, JIT, Kafka clients), and the part of it spent in
 * inference (the app's {@code har_inference_batch_seconds}: wall time of the forward passes on the stream threads).
 * The {@link InferenceBound} is measured right before and right after the app runs, on as many threads as the app
 * has stream threads, with the app's batch size, while nothing else of the benchmark runs.
 */
final class AppAloneRun {

    private static final int HZ = 20;
    private static final long START_TS = 1_764_000_000_000L;
    /** The app's default batch size (TopologySettings.DEFAULT_BATCH_SIZE): the bound classifies in such batches. */
    private static final int BATCH = 256;
    /** Linux reports process CPU time in clock ticks of 1/100 s (USER_HZ) on every architecture Java runs on. */
    private static final double TICKS_PER_SECOND = 100;

    /**
     * @param eventsPerSecond     the app's throughput over the measured part
     * @param boundEventsPerSecond the inference bound: fast-path windows/s on the app's threads times the hop
     * @param ratio               app events/s over the bound of the same run
     * @param cpuUsPerEvent       the app process's CPU time per event
     * @param inferenceUsPerEvent forward-pass wall time per event (more than its CPU time when threads wait for a core)
     * @param inferenceCpuUsPerEvent the forward passes' CPU time per event (the app's {@code har_inference_cpu}), NaN
     *                            where the app's JVM cannot measure thread CPU time
     * @param boundCpuUsPerEvent  the same in the inference bound: its threads' time per event
     * @param cpuByThread         the app's CPU µs per event by thread group (stream threads, GC, JIT compilers,
     *                            RocksDB, Kafka clients' network threads...), from {@code /proc/PID/task}
     * @param brokerCpuUsPerEvent CPU time of the benchmark's own process per event: the embedded broker (serving the
     *                            app's fetches, transactions and changelogs) and the harness, on the same cores
     * @param inferenceShare      the share of the app's JFR CPU samples in inference, NaN without a recording
     * @param meanBatch           windows per forward pass
     * @param load                load average (1, 5, 15 min) when the measurement ended
     */
    record Result(int devices, long events, double eventsPerSecond, double boundEventsPerSecond, double ratio,
                  double cpuUsPerEvent, double inferenceUsPerEvent, double inferenceCpuUsPerEvent,
                  double boundCpuUsPerEvent, double brokerCpuUsPerEvent, double inferenceShare, double meanBatch,
                  String load, Map<String, Double> cpuByThread) {

        Result withInferenceShare(double share) {
            return new Result(devices, events, eventsPerSecond, boundEventsPerSecond, ratio, cpuUsPerEvent,
                    inferenceUsPerEvent, inferenceCpuUsPerEvent, boundCpuUsPerEvent, brokerCpuUsPerEvent, share,
                    meanBatch, load, cpuByThread);
        }

        /** The app's CPU µs per event by thread, largest first, as a table (empty without a breakdown). */
        String threadTable() {
            if (cpuByThread.isEmpty()) {
                return "";
            }
            StringBuilder t = new StringBuilder("| the app's threads (as /proc names them) | CPU µs/event | share |\n"
                    + "|---|---|---|\n");
            double total = cpuByThread.values().stream().mapToDouble(Double::doubleValue).sum();
            cpuByThread.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .filter(e -> e.getValue() >= 0.05)
                    .forEach(e -> t.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f %% |%n", e.getKey(),
                            e.getValue(), 100 * e.getValue() / total)));
            return t.toString();
        }

        /**
         * CPU per event outside inference: the app's CPU less the forward passes' own CPU time; where the JVM
         * cannot measure thread CPU time, less inference's share of a recording's samples, or else less the
         * passes' wall time (an underestimate on a busy machine).
         */
        double cpuUsWithoutInference() {
            if (!Double.isNaN(inferenceCpuUsPerEvent)) {
                return cpuUsPerEvent - inferenceCpuUsPerEvent;
            }
            return Double.isNaN(inferenceShare) ? cpuUsPerEvent - inferenceUsPerEvent
                    : cpuUsPerEvent * (1 - inferenceShare);
        }

        String row(String label) {
            return String.format(Locale.ROOT, "| %s | %d | %d | %.0f | %.0f | **%.0f %%** | %.1f | %s / %.1f (%.1f) "
                            + "| %s | %.1f | %.1f | %.0f | %s |", label, devices, events, eventsPerSecond,
                    boundEventsPerSecond, 100 * ratio, cpuUsPerEvent,
                    Double.isNaN(inferenceCpuUsPerEvent) ? "-" : String.format(Locale.ROOT, "%.1f",
                            inferenceCpuUsPerEvent), boundCpuUsPerEvent, inferenceUsPerEvent,
                    Double.isNaN(inferenceShare) ? "-" : String.format(Locale.ROOT, "%.0f %%", 100 * inferenceShare),
                    cpuUsWithoutInference(), brokerCpuUsPerEvent, meanBatch, load);
        }

        static String header() {
            return "| run | devices | events | app events/s | inference bound events/s | app / bound "
                    + "| app CPU µs/event | inference CPU µs/event: app / bound (app's wall) "
                    + "| inference share of CPU samples (JFR) | app CPU µs/event outside inference "
                    + "| broker and harness CPU µs/event | mean batch | load average |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|---|---|";
        }
    }

    private AppAloneRun() {
    }

    /**
     * @param warmupSeconds seconds the app works through the input, from when it is ready, before the measured
     *                      part starts (also no earlier than every device's first window)
     * @param jfr     where to write a JFR recording of the measured part, or null for none
     * @param appArgs added to the stream-app's command line
     */
    static Result run(EmbeddedKafkaBroker broker, ModelBundle bundle, Path bundleDir, Path work, int devices,
                      int dataSeconds, int warmupSeconds, int threads, int partitions, int boundSeconds, String id,
                      Path jfr, List<String> appArgs)
            throws Exception {
        int length = bundle.manifest().window().length();
        int hop = bundle.manifest().window().hop();
        int ticks = dataSeconds * HZ;
        if (ticks < 2 * (length + hop)) {
            // StreamBenchmark refuses such a --data-seconds first, with a usage message.
            throw new IllegalArgumentException("too little data for a steady part: " + dataSeconds + " s");
        }
        String in = "alone-in-" + id;
        String out = "alone-out-" + id;
        String dlq = "alone-dlq-" + id;
        broker.createTopic(in, partitions);
        broker.createTopic(out, partitions);
        broker.createTopic(dlq, partitions);
        long events = produceAll(broker.bootstrapServers(), in, devices, ticks);

        double boundBefore = InferenceBound.windowsPerSecond(bundle, threads, BATCH, boundSeconds);
        int port = StreamBenchmark.freePort();
        Process app = StreamBenchmark.startApp(broker, bundleDir, work, "alone-" + id, in, out, dlq, threads, port,
                appArgs);
        Sample first;
        Sample last;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            StreamBenchmark.awaitReady(port, app);
            // Steady part: every device has completed a window (so inference runs at its steady share) ...
            long from = (long) devices * (length + hop);
            // ... up to 95 % of the input (the last partitions may finish at different times).
            long to = (long) (events * 0.95);
            long ready = System.nanoTime();
            awaitConsumed(admin, "alone-" + id, in, port, app, from);
            // ... and the app has run long enough for the JIT to have compiled its code: its compiler threads
            // take a third of its CPU in the first 20 s or so, which is start-up, not the app's cost per event.
            long left = ready + warmupSeconds * 1_000_000_000L - System.nanoTime();
            if (left > 0) {
                Thread.sleep(left / 1_000_000);
            }
            first = awaitConsumed(admin, "alone-" + id, in, port, app, 0);
            if (first.accepted >= to) {
                throw new IllegalStateException("the app worked through " + (long) first.accepted + " of " + events
                        + " events within the warm-up: raise --data-seconds or lower --warmup");
            }
            if (jfr != null) {
                jcmd(app.pid(), "JFR.start", "name=bench", "settings=default");
            }
            last = awaitConsumed(admin, "alone-" + id, in, port, app, to);
            if (jfr != null) {
                jcmd(app.pid(), "JFR.stop", "name=bench", "filename=" + jfr.toAbsolutePath());
            }
        } finally {
            app.destroy();
            app.waitFor();
        }
        double boundAfter = InferenceBound.windowsPerSecond(bundle, threads, BATCH, boundSeconds);
        double seconds = (last.nanos - first.nanos) / 1e9;
        double n = last.accepted - first.accepted;
        double windows = last.windows - first.windows;
        double batches = last.batches - first.batches;
        double bound = (boundBefore + boundAfter) / 2 * hop;
        return new Result(devices, events, n / seconds, bound, n / seconds / bound,
                (last.cpuTicks - first.cpuTicks) / TICKS_PER_SECOND / n * 1e6,
                (last.inferenceSeconds - first.inferenceSeconds) / n * 1e6,
                (last.inferenceCpuSeconds - first.inferenceCpuSeconds) / n * 1e6, threads * 1e6 / bound,
                (last.ownCpuTicks - first.ownCpuTicks) / TICKS_PER_SECOND / n * 1e6, Double.NaN,
                batches == 0 ? 0 : windows / batches,
                InferenceBenchmark.loadAverage(), perEvent(first.threads, last.threads, n));
    }

    /** What the app had done at one moment. */
    private record Sample(long nanos, double accepted, long cpuTicks, long ownCpuTicks, double inferenceSeconds,
                          double inferenceCpuSeconds, double windows, double batches, Map<String, Long> threads) {
    }

    /**
     * Waits until the app has committed {@code target} input offsets, then reads its counters. Progress is read from
     * the broker (the app's committed offsets), not by scraping the app: its {@code /metrics} page covers every
     * Kafka client meter, and scraping it several times a second takes a measurable share of the app's CPU.
     */
    private static Sample awaitConsumed(Admin admin, String group, String topic, int port, Process app, long target)
            throws Exception {
        while (true) {
            if (!app.isAlive()) {
                throw new IllegalStateException("stream-app exited with " + app.exitValue());
            }
            long committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet()
                    .stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
            if (committed >= target) {
                Map<String, Long> threads = threadTicks(app.pid(), group);
                long cpu = cpuTicks(app.pid());
                long own = cpuTicks(ProcessHandle.current().pid());
                long now = System.nanoTime();
                Map<String, Double> m = StreamBenchmark.scrape(port);
                return new Sample(now, m.getOrDefault("har_events_total{outcome=\"accepted\"}", 0.0), cpu, own,
                        m.getOrDefault("har_inference_batch_seconds_sum", 0.0),
                        m.getOrDefault("har_inference_cpu_seconds_total", Double.NaN),
                        m.getOrDefault("har_inference_batch_size_sum", 0.0),
                        m.getOrDefault("har_inference_batch_size_count", 0.0), threads);
            }
            Thread.sleep(200);
        }
    }

    /** Every device's {@code ticks} events at 20 Hz, in time order, as fast as the broker takes them. */
    private static long produceAll(String bootstrap, String topic, int devices, int ticks) {
        Random random = new Random(7);
        String[] activity = Activities.V1_CLASSES.toArray(String[]::new);
        long sent = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int t = 0; t < ticks; t++) {
                long ts = START_TS + t * (1000L / HZ);
                for (int d = 0; d < devices; d++) {
                    String device = "dev-" + d;
                    SensorEvent e = new SensorEvent(device, ts, (float) random.nextGaussian(),
                            9.8f + (float) random.nextGaussian(), (float) random.nextGaussian(),
                            activity[(d + t / 600) % activity.length]);
                    producer.send(new ProducerRecord<>(topic, device, SensorEventCodec.encode(e)));
                    sent++;
                }
            }
            producer.flush();
        }
        return sent;
    }

    /** CPU µs per event of each thread group between two readings. */
    private static Map<String, Double> perEvent(Map<String, Long> from, Map<String, Long> to, double events) {
        Map<String, Double> out = new TreeMap<>();
        to.forEach((name, ticks) -> out.put(name,
                (ticks - from.getOrDefault(name, 0L)) / TICKS_PER_SECOND / events * 1e6));
        return out;
    }

    /**
     * utime + stime of each thread of a process by group: its name in {@code /proc/PID/task/TID/comm} (15
     * characters at most) with digits dropped, and the stream threads, named after the application id, as one. A
     * thread that ended between two readings drops out of the second (its group then undercounts).
     */
    static Map<String, Long> threadTicks(long pid, String applicationId) throws IOException {
        Map<String, Long> groups = new TreeMap<>();
        String prefix = applicationId.substring(0, Math.min(applicationId.length(), 15));
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    String group = name.startsWith(prefix) ? "stream threads (" + applicationId + "-...)"
                            : name.replaceAll("[0-9#]+", "#");
                    groups.merge(group, cpuTicks(task.resolve("stat")), Long::sum);
                } catch (IOException ended) {
                    // the thread ended while being read
                }
            }
        }
        return groups;
    }

    /** utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15). */
    static long cpuTicks(long pid) throws IOException {
        return cpuTicks(Path.of("/proc/" + pid + "/stat"));
    }

    /** utime + stime from a {@code stat} file of a process or thread. */
    private static long cpuTicks(Path statFile) throws IOException {
        String stat = Files.readString(statFile);
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Runs a diagnostic command in the app; on a busy machine attaching can time out, so it is tried three times. */
    private static void jcmd(long pid, String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path jcmd = Path.of(java).resolveSibling("jcmd");
        List<String> cmd = new java.util.ArrayList<>(List.of(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd",
                String.valueOf(pid)));
        cmd.addAll(List.of(args));
        String output = "";
        for (int attempt = 1; attempt <= 3; attempt++) {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            output = new String(p.getInputStream().readAllBytes());
            if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 && !output.contains("Exception")) {
                return;
            }
        }
        throw new IOException("jcmd " + String.join(" ", args) + " failed: " + output.trim());
    }
}
