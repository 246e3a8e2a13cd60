package io.harstream.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.harstream.core.data.Recording;
import io.harstream.core.event.ActivityPrediction;
import io.harstream.core.event.PredictionCodec;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.window.AxesFrame;
import io.harstream.kafka.EmbeddedKafkaBroker;
import io.harstream.simulator.Drift;
import io.harstream.simulator.KafkaTarget;
import io.harstream.simulator.Pacing;
import io.harstream.simulator.Simulator;
import io.harstream.simulator.SimulatorStats;
import io.harstream.simulator.TestSet;
import io.harstream.simulator.TestSetReader;
import io.harstream.streamapp.RunningStreamApp;
import io.harstream.streamapp.StreamApp;
import io.harstream.streamapp.config.StreamAppConfig;
import io.harstream.streamapp.metrics.HarMetrics;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The label-free quality signals end to end: the shipped model ({@code models/wisdm2019}) serves its own test
 * people, replayed by the simulator through an embedded KRaft broker into the real stream-app, and the real
 * Prometheus (skipped when not on PATH) evaluates this repository's rules on what it scrapes. {@code --drift units=g}
 * and {@code flat=x} take their input-problem share past the threshold and their alert goes pending; {@code skew}
 * and {@code noise} take the drift score past its threshold; {@code rotate} is turned back by the model's walking
 * frame and changes nothing; the undisturbed replay raises no quality alert, and its drift score stays below the
 * threshold over the whole replay and over every covered 15 minutes of it at real-time pace. Tagged slow: six
 * replays of 71,454 events. A table of the signals is printed at the end ([drift-e2e] lines).
 *
 * <p>Replay time and test time: the test set holds about 15 minutes per person (all people at once), replayed as
 * fast as possible, so the whole replay ends within a minute or two and lies inside every rule's range
 * ({@code [5m]}, {@code [15m]}). Every signal is a ratio of increases, and a ratio over a range that holds the
 * whole replay is the ratio over the whole replay whatever the speed ({@code increase()} extrapolates every series
 * of one scrape by the same factor). So a signal Prometheus shows here is the one it shows at real-time pace 15
 * minutes into the replay, at the end of its first 15-minute range. What the speed changes is the signal's course
 * within the replay (at real-time pace the range slides over it) and the wall time: the alerts' {@code for}
 * durations, and the drift alert's wait for traffic over its whole range, are wall-clock time, checked by the
 * promtool tests, not waited out here. The course of the undisturbed drift score at real-time pace is computed
 * from the prediction records, whose window timestamps are replay time (the simulator keeps the recorded
 * spacing), with the rule's range and the alert's guards.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DriftEndToEndTest {

    private static final Path MODEL = Tools.ROOT.resolve("models/wisdm2019");
    /** The thresholds of HarClassMixDrift and of the input-problem alerts, as alerts.yml states them. */
    private static final double DRIFT_THRESHOLD = 0.3;
    private static final double PROBLEM_THRESHOLD = 0.2;
    private static final long RANGE_MS = TimeUnit.MINUTES.toMillis(15);
    private static final long OLDEST_MINUTE_MS = TimeUnit.MINUTES.toMillis(1);
    /** HarClassMixDrift's minimum of predictions in its range. */
    private static final int MIN_PREDICTIONS = 100;

    private Path binary;
    private ModelBundle bundle;
    private TestSet testSet;
    private EmbeddedKafkaBroker broker;
    private final List<String> table = new ArrayList<>();
    private int replays;

    /** What one replay made of the signals. */
    record Signals(String drift, double mixDrift, Map<String, Double> problems, double expectedAccuracy,
                   double accuracy, double slidingDriftMax, List<String> pending) {
        String row() {
            return String.format(Locale.ROOT, "%-24s %6.3f %8.3f %8.3f %8.3f %8.3f %8.3f %6.3f  %s", drift, mixDrift,
                    slidingDriftMax, problems.getOrDefault("gravity_off", Double.NaN),
                    problems.getOrDefault("flat_axis", Double.NaN), problems.getOrDefault("rate_off", Double.NaN),
                    expectedAccuracy, accuracy, pending);
        }
    }

    @BeforeAll
    void start() throws Exception {
        binary = Tools.require("prometheus", "prometheus");
        bundle = ModelBundle.load(MODEL);
        testSet = TestSetReader.read(MODEL, null);
        broker = EmbeddedKafkaBroker.start();
        assertThat(PromQueries.alertRules(Tools.ROOT)).anySatisfy(q -> {
            assertThat(q.name()).isEqualTo("HarClassMixDrift");
            assertThat(q.expr()).contains("har:class_mix_drift:js15m > " + DRIFT_THRESHOLD)
                    .contains(">= " + MIN_PREDICTIONS);
        });
        assertThat(PromQueries.alertRules(Tools.ROOT)).filteredOn(q -> q.name().startsWith("HarInput"))
                .hasSize(3).allSatisfy(q -> assertThat(q.expr()).contains("} > " + PROBLEM_THRESHOLD));
    }

    @AfterAll
    void stop() throws Exception {
        System.out.printf("[drift-e2e] %-24s %6s %8s %8s %8s %8s %8s %6s  %s%n", "--drift", "js15m", "js-slide",
                "gravity", "flat", "rate", "expected", "acc", "pending alerts");
        table.forEach(r -> System.out.println("[drift-e2e] " + r));
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void anUndisturbedReplayRaisesNoQualityAlert(@TempDir Path tmp) throws Exception {
        Signals s = replay("none", tmp);
        assertThat(s.mixDrift()).as("drift over the whole replay").isLessThan(DRIFT_THRESHOLD);
        assertThat(s.slidingDriftMax()).as("drift over any 15 minutes of a real-time replay").isLessThan(DRIFT_THRESHOLD);
        assertThat(s.problems()).as("input problems").hasSize(3)
                .allSatisfy((kind, share) -> assertThat(share).as(kind).isLessThan(PROBLEM_THRESHOLD));
        assertThat(s.pending()).as("quality alerts pending or firing").isEmpty();
    }

    /**
     * A phone turned in the pocket is no trouble for a model in the walking frame (the shipped one): each device's
     * frame turns it back, so the predictions, and with them every signal, are those of the undisturbed replay.
     */
    @Test
    void aTurnedPhoneIsTurnedBackByTheWalkingFrame(@TempDir Path tmp) throws Exception {
        assertThat(bundle.axesFrame()).isEqualTo(AxesFrame.WALKING);
        Signals s = replay("rotate=180", tmp);
        assertThat(s.mixDrift()).isLessThan(DRIFT_THRESHOLD);
        assertThat(s.accuracy()).as("accuracy of the turned replay").isCloseTo(bundle.manifest().metrics().testAccuracy(),
                within(0.01));
        assertThat(s.pending()).isEmpty();
    }

    /** The input-problem kinds: the share passes the threshold, and the alert goes pending (it has no range guard). */
    @ParameterizedTest(name = "--drift {0}")
    @CsvSource(delimiter = ';', value = {
        "units=g; gravity_off; HarInputGravityOff",
        "flat=x;  flat_axis;   HarInputFlatAxis",
    })
    void eachInputDriftRaisesItsAlert(String drift, String kind, String alert, @TempDir Path tmp) throws Exception {
        Signals s = replay(drift.trim(), tmp);
        assertThat(s.problems().get(kind.trim())).as("share of %s windows", kind).isGreaterThan(PROBLEM_THRESHOLD);
        assertThat(s.pending()).as("alerts pending or firing after --drift %s", drift).contains(alert.trim());
    }

    /**
     * The kinds the drift score shows: over the whole replay (what Prometheus shows at real-time pace at the end of
     * the first 15 minutes) it passes the threshold. The alert itself waits until traffic covers its whole range and
     * then 10 minutes (promtool's tests), longer than this replay lasts.
     */
    @ParameterizedTest(name = "--drift {0}")
    @CsvSource({"'skew=Walking,Jogging'", "noise=6"})
    void eachMixDriftRaisesTheDriftScore(String drift, @TempDir Path tmp) throws Exception {
        Signals s = replay(drift, tmp);
        assertThat(s.mixDrift()).as("drift score after --drift %s", drift).isGreaterThan(DRIFT_THRESHOLD);
    }

    private Signals replay(String drift, Path tmp) throws Exception {
        String id = "drift-" + replays++;
        String in = id + "-in";
        String out = id + "-out";
        for (String topic : List.of(in, out, id + "-dlq")) {
            broker.createTopic(topic, 2);
        }
        TestSet set = Drift.parse(drift.equals("none") ? List.of() : List.of(drift)).apply(testSet);
        Files.createDirectories(tmp.resolve("prometheus"));
        try (RunningStreamApp app = StreamApp.start(StreamAppConfig.of(settings(id, tmp.resolve("state"))), bundle);
             PrometheusServer prometheus = PrometheusServer.start(binary, tmp.resolve("prometheus"), app.httpPort())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!app.isReady()) {
                assertThat(app.state()).isNotIn("PENDING_ERROR", "ERROR", "PENDING_SHUTDOWN", "NOT_RUNNING");
                assertThat(System.nanoTime()).as("stream-app RUNNING within 90 s").isLessThan(deadline);
                Thread.sleep(100);
            }
            // Prometheus sees every counter at 0 before the replay (see PrometheusEndToEndTest).
            prometheus.waitFor("a first scrape", Duration.ofSeconds(30),
                    () -> prometheus.query("har_windows_checked_total == 0").size() == 1);

            KafkaTarget target = new KafkaTarget(broker.bootstrapServers(), in, Map.of(), Duration.ofSeconds(30));
            Simulator simulator = new Simulator(set, new Pacing(1, true, false, 0, 0), 0, in, target.connect());
            simulator.run();
            SimulatorStats sent = simulator.stats();
            assertThat(sent.acknowledged()).isEqualTo(sent.eventsSent());
            long windows = set.devices().stream()
                    .mapToLong(d -> bundle.segmenter().cut(new Recording(d.user(), d.samples())).size()).sum();
            List<ActivityPrediction> predictions = awaitPredictions(app, out, windows);

            // timestamp() of a plain selector is its latest scrape's time; the recorded series must be newer.
            double[] caughtUpAt = {0};
            prometheus.waitFor("Prometheus to scrape the final counters", Duration.ofSeconds(30), () -> {
                List<JsonNode> p = prometheus.query("max(timestamp(har_windows_checked_total))"
                        + " and on () (sum(har_windows_checked_total) == " + windows + ")");
                if (p.size() == 1) {
                    caughtUpAt[0] = PrometheusServer.value(p.get(0));
                    return true;
                }
                return false;
            });
            prometheus.waitFor("the rules to evaluate on them", Duration.ofSeconds(30), () -> {
                for (String series : List.of("har:windows_checked:increase5m", "har:class_mix_drift:js15m")) {
                    List<JsonNode> t = prometheus.query("min(timestamp(" + series + "))");
                    if (t.isEmpty() || PrometheusServer.value(t.get(0)) <= caughtUpAt[0]) {
                        return false;
                    }
                }
                return true;
            });
            Thread.sleep(2_500); // the alerting group evaluates on the final figures
            Map<String, Double> problems = new TreeMap<>();
            for (JsonNode s : prometheus.query("har:window_problems:ratio5m")) {
                problems.put(s.path("metric").path("kind").asText(), PrometheusServer.value(s));
            }
            List<String> pending = new ArrayList<>();
            for (JsonNode s : prometheus.query("ALERTS{alertname=~\"HarExpectedAccuracyLow|HarClassMixDrift|HarInput.*\"}")) {
                pending.add(s.path("metric").path("alertname").asText());
            }
            Signals signals = new Signals(drift, prometheus.single("har:class_mix_drift:js15m"), problems,
                    prometheus.single("har:expected_accuracy:ratio15m"), prometheus.single("har:accuracy:ratio15m"),
                    slidingDriftMax(predictions), pending.stream().sorted().toList());
            table.add(signals.row());
            System.out.println("[drift-e2e] " + signals.row());
            return signals;
        }
    }

    /**
     * The largest drift score a real-time replay would show while HarClassMixDrift may fire: at each window's end
     * (replay time), the Jensen-Shannon distance between the predicted mix of the windows ending in the 15 minutes
     * before and the prior, where those are at least {@link #MIN_PREDICTIONS} and the range is covered (a window
     * ended in its oldest minute, as HarClassMixDrift asks).
     */
    private double slidingDriftMax(List<ActivityPrediction> predictions) {
        List<String> classes = bundle.classes();
        double[] prior = bundle.manifest().smoothing().prior();
        List<ActivityPrediction> byEnd = new ArrayList<>(predictions);
        byEnd.sort((a, b) -> Long.compare(a.windowEnd(), b.windowEnd()));
        int[] counts = new int[classes.size()];
        int from = 0;
        double max = 0;
        for (int i = 0; i < byEnd.size(); i++) {
            long now = byEnd.get(i).windowEnd();
            counts[classes.indexOf(byEnd.get(i).predicted())]++;
            while (byEnd.get(from).windowEnd() <= now - RANGE_MS) {
                counts[classes.indexOf(byEnd.get(from++).predicted())]--;
            }
            int n = i - from + 1;
            boolean covered = byEnd.get(from).windowEnd() <= now - RANGE_MS + OLDEST_MINUTE_MS;
            if (n >= MIN_PREDICTIONS && covered) {
                max = Math.max(max, jsDistance(counts, n, prior));
            }
        }
        return max;
    }

    /** sqrt of the Jensen-Shannon divergence (base 2) between counts / n and q, as the recording rule computes it. */
    static double jsDistance(int[] counts, int n, double[] q) {
        double js = 0;
        for (int c = 0; c < q.length; c++) {
            double p = (double) counts[c] / n;
            double m = (p + q[c]) / 2;
            js += (p > 0 ? 0.5 * p * Math.log(p / m) : 0) + (q[c] > 0 ? 0.5 * q[c] * Math.log(q[c] / m) : 0);
        }
        return Math.sqrt(Math.max(0, js / Math.log(2)));
    }

    /** Every prediction of the replay from the output topic, once the stream-app has predicted all {@code windows}. */
    private List<ActivityPrediction> awaitPredictions(RunningStreamApp app, String topic, long windows) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(480);
        while (app.registry().find(HarMetrics.PREDICTIONS).tag("stage", "raw").counters().stream()
                .mapToDouble(Counter::count).sum() < windows) {
            assertThat(System.nanoTime()).as("the stream-app predicts the replay's %d windows within 480 s", windows)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ActivityPrediction> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (out.size() < windows && System.nanoTime() < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(PredictionCodec.decode(r.value()));
                }
            }
        }
        assertThat(out).as("prediction records").hasSize((int) windows);
        return out;
    }

    private Map<String, String> settings(String id, Path stateDir) {
        Map<String, String> s = PrometheusEndToEndTest.settings(broker.bootstrapServers(), id, id + "-in", id + "-out",
                id + "-dlq", stateDir);
        s.put("batch.size", "256");
        // What is measured here is the signals, not exactly-once (other tests check that): transactions per commit
        // only slow the replay down.
        s.put("kafka.processing.guarantee", "at_least_once");
        return s;
    }
}
