package io.harstream.simulator;

import io.harstream.core.HarstreamVersion;
import io.harstream.core.event.RejectReason;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code harstream simulate}: replays the trainer's test set into Kafka as live sensor events. Only
 * wires the options into a {@link TestSetReader}, a {@link KafkaTarget} and a {@link Simulator}, and
 * reports progress; the work is theirs.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, versionProvider = HarstreamVersion.class, sortOptions = false,
        description = {"Replays the trainer's test set into Kafka as live accelerometer events.",
                "",
                "Each person in the test set becomes one device, id = their user id, sending their samples "
                        + "with their true activity. Timestamps start now and keep the recorded spacing (20 Hz stays "
                        + "20 Hz whatever the speed); --speed only paces the sending. Where the recording breaks (a gap "
                        + "over the model's maximum gap or a step back, as the stream-app splits series) the device "
                        + "pauses 1 s longer than that gap and goes on with the person's next series, so per-device "
                        + "state sees the person's windows in the trainer's order. With --loop every pass starts "
                        + "more than the maximum gap after the previous one ends, so the stream-app starts fresh "
                        + "series and each pass reproduces the trainer's test windows (from the second pass on, "
                        + "each device keeps the walking frame its previous pass left, as a real phone would).",
                "",
                "Progress goes to stderr every few seconds, a summary to stdout at the end. Ctrl-C stops "
                        + "sending, delivers what was sent and prints the summary."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:test set replayed (or stopped with Ctrl-C)", "1:unexpected failure (stack trace printed)",
                "2:bad input, Kafka unreachable or refusing events (message printed)"})
public final class SimulateCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SimulateCommand.class);

    @Spec
    CommandSpec commandSpec;

    @Option(names = "--test-set", required = true, paramLabel = "PATH",
            description = "The trainer's test-set.txt (WISDM v1.1 lines, plain or .gz), or the trainer's output "
                    + "directory holding it.")
    Path testSet;

    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", paramLabel = "HOST:PORT[,...]",
            description = "Kafka brokers. Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Option(names = "--topic", defaultValue = "sensor-events", paramLabel = "TOPIC", description = "Topic to send to. Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE",
            description = "Extra Kafka client setting, repeatable, applied last (e.g. security.protocol=SASL_SSL, "
                    + "sasl.mechanism=PLAIN, sasl.jaas.config=..., ssl.truststore.location=...).")
    Map<String, String> kafkaSettings = new LinkedHashMap<>();

    @Option(names = "--speed", paramLabel = "FACTOR",
            description = "Sending pace: 1 = real time (each device at its recorded 20 Hz), 10 = ten times faster, "
                    + "0.5 = half speed. Event timestamps keep the recorded spacing either way, so above 1 they run "
                    + "ahead of the clock. Default: 1.")
    Double speed;

    @Option(names = "--as-fast-as-possible", description = "Send everything at once, in event-time order (not with --speed).")
    boolean asFastAsPossible;

    @Option(names = "--max-rate", paramLabel = "EVENTS_PER_S",
            description = "Cap on events per second over all devices, bad events included. Default: no cap.")
    Double maxRate;

    @Option(names = "--loop", description = "Replay the test set again and again until stopped, with the same device ids. "
            + "Default: once.")
    boolean loop;

    @Option(names = "--devices", paramLabel = "N", description = "Replay only the first N devices (file order). Default: all.")
    Integer devices;

    @Option(names = "--copies", defaultValue = "1", paramLabel = "N",
            description = "Replay every device N times at once, ids <user>-1 .. <user>-N (more live devices from "
                    + "a small test set). Default: ${DEFAULT-VALUE}.")
    int copies;

    @Option(names = "--stagger-ms", defaultValue = "1000", paramLabel = "MS",
            description = "Devices' first events are spread evenly over this span. Default: ${DEFAULT-VALUE}.")
    long staggerMs;

    @Option(names = "--max-gap-ms", paramLabel = "MS",
            description = "A larger gap between samples starts a new series (the device pauses there). "
                    + "Default: window.maxGapMs "
                    + "from the model.json next to the test set, else " + TestSetReader.DEFAULT_MAX_GAP_MS + ".")
    Long maxGapMs;

    @Option(names = "--malformed-fraction", defaultValue = "0", paramLabel = "F",
            description = "Share of sent events that are deliberately bad, cycling through every reason the "
                    + "stream-app rejects (malformed JSON, missing field, wrong type, NaN, out-of-range axis, key "
                    + "mismatch, unknown activity, oversized), so the dead-letter path has something to show. "
                    + "Good devices' series are unaffected. Default: ${DEFAULT-VALUE}.")
    double malformedFraction;

    @Option(names = "--drift", paramLabel = "KIND=VALUE",
            description = "Make the replay look like real trouble (repeatable; kinds combine): rotate=DEGREES (every "
                    + "phone turned about its screen normal), units=g (the sensor reports in g, not m/s^2), "
                    + "skew=ACTIVITY[,ACTIVITY...] (only those activities are replayed), noise=SD (Gaussian noise "
                    + "of SD m/s^2 on every axis, at most 20), flat=x|y|z (that axis stuck at its first value). "
                    + "Labels stay as recorded. Default: none.")
    List<String> drift = new ArrayList<>();

    @Option(names = "--connect-timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "Give up when the broker does not answer (or the topic does not appear) within this. "
                    + "Default: ${DEFAULT-VALUE}.")
    double connectTimeoutSeconds;

    @Option(names = "--progress-interval", defaultValue = "5", paramLabel = "SECONDS",
            description = "Seconds between progress lines on stderr, 0 for none. Default: ${DEFAULT-VALUE}.")
    double progressSeconds;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with harstream's error handling: input problems print one line and exit 2. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SimulateCommand());
        cl.setOverwrittenOptionsAllowed(true); // the last of a repeated option wins, as in most tools
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof SimulatorException) {
                cmd.getErr().println("simulate: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    @Override
    public Integer call() {
        Pacing pacing = pacing();
        if (!(malformedFraction >= 0 && malformedFraction < 1)) {
            throw new SimulatorException("--malformed-fraction must be at least 0 and below 1, got " + malformedFraction);
        }
        if (!(progressSeconds >= 0)) {
            throw new SimulatorException("--progress-interval must not be negative, got " + progressSeconds);
        }
        KafkaTarget target = target();
        if (devices != null && devices < 1) {
            throw new SimulatorException("--devices must be at least 1, got " + devices);
        }
        if (copies < 1) {
            throw new SimulatorException("--copies must be at least 1, got " + copies);
        }
        Drift drifted = Drift.parse(drift);

        TestSet set = TestSetReader.read(testSet, maxGapMs);
        if (devices != null) {
            set = set.firstDevices(devices);
        }
        set = drifted.apply(set);
        if (!drifted.none()) {
            LOG.info("drift: {}", drifted.describe());
        }
        set = set.copies(copies);
        LOG.info("test set {}: {} samples of {} user{} as {} devices (series break at gaps over {} ms){}", set.source(),
                set.sampleCount(), set.userCount(), set.userCount() == 1 ? "" : "s", set.devices().size(), set.maxGapMs(),
                set.duplicatesDropped() > 0 ? ", " + set.duplicatesDropped() + " exact duplicate samples left out" : "");
        if (set.skipped().total() > 0) {
            LOG.warn("{} lines of {} skipped:\n{}", set.skipped().total(), set.source(), set.skipped().summary());
        }

        Producer<String, byte[]> producer = target.connect();
        Simulator simulator = new Simulator(set, pacing, malformedFraction, topic, producer);
        // a send blocked on a full buffer (up to the connect timeout), then the drain, then the summary
        runUntilDoneOrStopped(simulator, target.connectTimeout().plus(Simulator.DRAIN_TIMEOUT).plusSeconds(5));
        return 0;
    }

    /**
     * Runs on this thread with progress lines from a daemon thread. Ctrl-C / SIGTERM run the shutdown
     * hook, which stops the simulator and waits (at most {@code stopBudget}) until the producer is
     * drained and the summary printed: the JVM would otherwise exit with records still in the
     * producer's buffer.
     */
    private void runUntilDoneOrStopped(Simulator simulator, Duration stopBudget) {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            simulator.stop();
            try {
                finished.await(stopBudget.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "simulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "simulator-progress");
            t.setDaemon(true);
            return t;
        });
        if (progressSeconds > 0) {
            AtomicReference<SimulatorStats> previous = new AtomicReference<>(simulator.stats());
            long periodMs = Math.max(100, Math.round(progressSeconds * 1000));
            progress.scheduleAtFixedRate(() -> {
                SimulatorStats now = simulator.stats();
                LOG.info(progressLine(now, previous.getAndSet(now)));
            }, periodMs, periodMs, TimeUnit.MILLISECONDS);
        }
        try {
            simulator.run();
        } finally {
            progress.shutdownNow();
            printSummary(simulator);
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that the latch is down
            }
        }
    }

    private Pacing pacing() {
        if (asFastAsPossible && speed != null) {
            throw new SimulatorException("--speed and --as-fast-as-possible exclude each other");
        }
        try {
            return new Pacing(speed == null ? 1 : speed, asFastAsPossible, loop, staggerMs, maxRate == null ? 0 : maxRate);
        } catch (IllegalArgumentException e) {
            throw new SimulatorException(e.getMessage(), e);
        }
    }

    private KafkaTarget target() {
        if (!(connectTimeoutSeconds > 0) || Double.isInfinite(connectTimeoutSeconds)) {
            throw new SimulatorException("--connect-timeout must be a positive number of seconds, got "
                    + connectTimeoutSeconds);
        }
        return new KafkaTarget(bootstrapServers, topic, kafkaSettings,
                Duration.ofMillis(Math.round(connectTimeoutSeconds * 1000)));
    }

    /** E.g. {@code sent 12,345 events (1,980/s), 58 of 60 devices active, pass 1, 0 send errors, 0:00:06}. */
    static String progressLine(SimulatorStats now, SimulatorStats previous) {
        return String.format(Locale.ROOT, "sent %,d events (%,.0f/s), %d of %d devices active, pass %d, %,d send errors, %s",
                now.eventsSent(), now.rateSince(previous), now.activeDevices(), now.devices(), now.pass(),
                now.sendErrors(), clock(now.elapsed()));
    }

    private void printSummary(Simulator simulator) {
        SimulatorStats s = simulator.stats();
        TestSet set = simulator.testSet();
        PrintWriter out = commandSpec.commandLine().getOut();
        out.printf(Locale.ROOT, "%n%s: %d device%s (%d user%s) from %s to topic %s at %s%n",
                simulator.stopRequested() ? "stopped" : "done", s.devices(), s.devices() == 1 ? "" : "s",
                set.userCount(), set.userCount() == 1 ? "" : "s", set.source(), topic, bootstrapServers);
        out.printf(Locale.ROOT, "  sent %,d events in %s (%,.0f events/s on average), %d pass%s%n", s.eventsSent(),
                clock(s.elapsed()), s.averageRate(), s.pass(), s.pass() == 1 ? "" : "es");
        out.printf(Locale.ROOT, "    %-18s %,12d%n", "valid", s.validSent());
        for (RejectReason r : RejectReason.values()) {
            if (s.malformedByKind().containsKey(r)) {
                out.printf(Locale.ROOT, "    %-18s %,12d%n", r.id(), s.malformedByKind().get(r));
            }
        }
        out.printf(Locale.ROOT, "  acknowledged by the broker %,d, send errors %,d%n", s.acknowledged(), s.sendErrors());
        out.flush();
    }

    private static String clock(Duration d) {
        long s = d.toSeconds();
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
