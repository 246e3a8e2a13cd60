package io.harstream.streamapp.it;

import io.harstream.core.data.Recording;
import io.harstream.core.data.Sample;
import io.harstream.core.event.ActivityPrediction;
import io.harstream.core.event.PredictionCodec;
import io.harstream.core.event.SensorEvent;
import io.harstream.core.model.ModelBundle;
import io.harstream.streamapp.TestModels;
import io.harstream.streamapp.config.StreamAppConfig;
import io.harstream.streamapp.replay.Replay;
import io.harstream.streamapp.replay.SyntheticRecordings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failover between two instances (child JVMs, one stream thread each) sharing four input partitions on the
 * in-JVM broker, with the app's own failover settings ({@link StreamAppConfig#FAILOVER_DEFAULTS}: one standby
 * replica, a 6 s session, 500 ms heartbeats, 5 s transactions, leaving the group on close). Devices send live
 * at 20 Hz; six seconds in, one instance is stopped:
 * <ul>
 *   <li>by SIGKILL: each of its devices gets its first prediction from the other instance within 10 s of the
 *       kill (measured as a read_committed consumer sees it: the crashed instance's open transaction must
 *       have been aborted first);</li>
 *   <li>by SIGTERM: none of its devices goes more than 2 s without a prediction, and it exits with 0.</li>
 * </ul>
 * Either way every window is predicted exactly once, as the offline path predicts it. Each test prints one
 * {@code FAILOVER ...} line with the figures (BENCHMARKS.md, "Failover").
 */
class FailoverTest {

    private static final int RECORDINGS = 32;
    /** 20 s at 20 Hz: the devices keep sending through the handover. */
    private static final int SAMPLES_PER_DEVICE = 400;
    /** Between the starts of two devices' recordings. */
    private static final long STAGGER_MS = 40;
    private static final int PARTITIONS = 4;
    /** Into the replay: every device has been sending for a few seconds. */
    private static final Duration STOP_AFTER = Duration.ofSeconds(6);
    private static final Duration KILL_HANDOVER_MAX = Duration.ofSeconds(10);
    private static final Duration TERM_GAP_MAX = Duration.ofSeconds(2);

    @RegisterExtension
    static final EmbeddedBroker KAFKA = new EmbeddedBroker();

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aKilledInstancesDevicesArePredictedByTheOtherWithinTenSecondsExactlyOnce() throws Exception {
        Handover h = run("kill", true);
        assertThat(h.firstAfterStopMs().values()).as("kill -> first prediction per device of the killed instance")
                .allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(KILL_HANDOVER_MAX.toMillis()));
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aStoppedInstanceHandsOverWithinTwoSecondsAndExitsZero() throws Exception {
        Handover h = run("term", false);
        assertThat(h.exitStatus()).as("exit status after SIGTERM (StreamApp's exit status list)").isZero();
        assertThat(h.largestGapMs().values()).as("largest gap in predictions per device of the stopped instance")
                .allSatisfy(ms -> assertThat(ms).isLessThanOrEqualTo(TERM_GAP_MAX.toMillis()));
    }

    /**
     * What the stopped instance's devices saw, in ms per device: from the stop to the first prediction written
     * after it, and the largest gap between two consecutive predictions from just before the stop on.
     */
    private record Handover(Map<String, Long> firstAfterStopMs, Map<String, Long> largestGapMs, int exitStatus) {
    }

    private Handover run(String name, boolean kill) throws Exception {
        String bootstrap = KAFKA.bootstrapServers();
        String in = name + "-events";
        String out = name + "-predictions";
        String dlq = name + "-dlq";
        String appId = name + "-app";
        KAFKA.get().createTopic(in, PARTITIONS);
        // The broker stamps each prediction when it is written: the crashed instance's last predictions are
        // then told from the first ones of the instance that took over, whenever the reader sees them.
        KAFKA.get().createTopic(out, PARTITIONS, Map.of("message.timestamp.type", "LogAppendTime"));
        KAFKA.get().createTopic(dlq, PARTITIONS);
        ModelBundle bundle = TestModels.trained();
        Path bundleDir = dir.resolve("bundle");
        bundle.save(bundleDir);
        Replay replay = Replay.concurrent(withoutGaps(SyntheticRecordings.generate(TestModels.CLASSES, RECORDINGS,
                SAMPLES_PER_DEVICE, 41)), STAGGER_MS);
        Replay.Offline offline = replay.offline(bundle);
        int expected = offline.predicted().size();
        List<SensorEvent> events = replay.events();

        Map<String, String> settings = ManyDevicesScenario.settings(bootstrap, appId, in, out, dlq, dir, 1);
        // The app's own failover settings, not the quicker-to-start ones the other tests use.
        settings.remove("kafka.num.standby.replicas");
        settings.remove("kafka.consumer.session.timeout.ms");
        settings.remove("kafka.consumer.heartbeat.interval.ms");
        settings.put("model.bundle", bundleDir.toString());
        try (StreamAppProcess stopped = StreamAppProcess.start(instance(settings, "a"), dir.resolve("a.log"));
             StreamAppProcess survivor = StreamAppProcess.start(instance(settings, "b"), dir.resolve("b.log"));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             KafkaTestClients.CommittedReader predictions = new KafkaTestClients.CommittedReader(bootstrap, out)) {
            stopped.awaitReady(Duration.ofSeconds(120));
            survivor.awaitReady(Duration.ofSeconds(120));
            awaitBothAssigned(admin, appId, in);

            long startMs = System.currentTimeMillis();
            Thread producer = new Thread(() -> produceLive(bootstrap, in, events, startMs), name + "-producer");
            producer.start();
            while (System.currentTimeMillis() < startMs + STOP_AFTER.toMillis()) {
                predictions.poll();
            }
            Set<Integer> partitions = assignedPartitions(admin, appId, in).get(appId + "-a");
            long stopMs = System.currentTimeMillis();
            if (kill) {
                stopped.kill();
            } else {
                stopped.terminate();
            }
            predictions.pollUntil(() -> predictions.count() >= expected, Duration.ofSeconds(150),
                    Duration.ofSeconds(3));
            producer.join(Duration.ofSeconds(30).toMillis());
            int exit = stopped.exit().get(60, TimeUnit.SECONDS);
            assertThat(survivor.exit()).as("the other instance is still running").isNotDone();

            ManyDevicesScenario.assertExactlyOnce(predictions.predictions(), offline);
            Set<String> devices = new TreeSet<>();
            for (String d : replay.devices()) {
                if (partitions.contains(partitionOf(d))) {
                    devices.add(d);
                }
            }
            assertThat(devices).as("devices of the stopped instance (partitions %s)", partitions).isNotEmpty();
            Handover h = measure(predictions, devices, stopMs, exit);
            System.out.printf(Locale.ROOT, "FAILOVER %s: %d devices on partitions %s of %d: first prediction after "
                            + "the stop within %.1f s (median %.1f s), largest gap between predictions %.1f s; exit "
                            + "status %d%n", kill ? "SIGKILL" : "SIGTERM", devices.size(), partitions, PARTITIONS,
                    seconds(max(h.firstAfterStopMs())), seconds(median(h.firstAfterStopMs())),
                    seconds(max(h.largestGapMs())), exit);
            return h;
        }
    }

    /** One instance's settings: its own state directory, and its name in the group description. */
    private Map<String, String> instance(Map<String, String> settings, String instance) {
        Map<String, String> s = new HashMap<>(settings);
        s.put("state.dir", dir.resolve("state-" + instance).toString());
        s.put("kafka.client.id", s.get("application.id") + "-" + instance);
        return s;
    }

    /** Only recordings without a pause: a device that pauses has gaps between its predictions of its own. */
    private static List<Recording> withoutGaps(List<Recording> recordings) {
        return recordings.stream().filter(r -> {
            List<Sample> s = r.samples();
            for (int i = 1; i < s.size(); i++) {
                if (s.get(i).timestampMs() - s.get(i - 1).timestampMs() > SyntheticRecordings.PERIOD_MS) {
                    return false;
                }
            }
            return true;
        }).toList();
    }

    /** Sends each event when its time comes, relative to the first: every device at 20 Hz, as a phone does. */
    static void produceLive(String bootstrap, String topic, List<SensorEvent> events, long startMs) {
        long firstTs = events.get(0).ts();
        try (KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(bootstrap)) {
            int next = 0;
            while (next < events.size()) {
                long due = firstTs + System.currentTimeMillis() - startMs;
                int upTo = next;
                while (upTo < events.size() && events.get(upTo).ts() <= due) {
                    upTo++;
                }
                if (upTo > next) {
                    KafkaTestClients.send(producer, topic, events.subList(next, upTo));
                    next = upTo;
                } else {
                    Thread.sleep(10);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The input partition of a device, as the producer's default partitioner picks it. */
    static int partitionOf(String device) {
        return Utils.toPositive(Utils.murmur2(device.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    /** Waits until both instances process some of the input partitions: a stop then takes work away. */
    private static void awaitBothAssigned(Admin admin, String appId, String topic) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, Set<Integer>> assigned = Map.of();
        while (System.nanoTime() < deadline) {
            assigned = assignedPartitions(admin, appId, topic);
            if (assigned.size() == 2 && assigned.values().stream().noneMatch(Set::isEmpty)
                    && assigned.values().stream().mapToInt(Set::size).sum() == PARTITIONS) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the input partitions are not shared by both instances: " + assigned);
    }

    /** Input partitions by instance ({@code client.id}), from the group's description. */
    private static Map<String, Set<Integer>> assignedPartitions(Admin admin, String appId, String topic)
            throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(appId)).all().get(30, TimeUnit.SECONDS)
                .get(appId);
        Map<String, Set<Integer>> byInstance = new TreeMap<>();
        for (MemberDescription m : group.members()) {
            String instance = m.clientId().substring(0, m.clientId().indexOf("-StreamThread-"));
            Set<Integer> partitions = byInstance.computeIfAbsent(instance, k -> new TreeSet<>());
            m.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(topic))
                    .map(TopicPartition::partition).forEach(partitions::add);
        }
        return byInstance;
    }

    private static Handover measure(KafkaTestClients.CommittedReader predictions, Set<String> devices, long stopMs,
                                    int exit) {
        Map<String, List<long[]>> byDevice = new HashMap<>();
        for (int i = 0; i < predictions.records.size(); i++) {
            ConsumerRecord<String, byte[]> r = predictions.records.get(i);
            assertThat(r.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
            ActivityPrediction p = PredictionCodec.decode(r.value());
            if (devices.contains(p.device())) {
                byDevice.computeIfAbsent(p.device(), k -> new ArrayList<>())
                        .add(new long[] {r.timestamp(), predictions.arrivalsMs.get(i)});
            }
        }
        Map<String, Long> firstAfterStop = new TreeMap<>();
        Map<String, Long> largestGap = new TreeMap<>();
        byDevice.forEach((device, seen) -> {
            // Written after the stop, seen by the reader (i.e. committed) when?
            seen.stream().filter(s -> s[0] > stopMs).mapToLong(s -> s[1]).min()
                    .ifPresent(first -> firstAfterStop.put(device, first - stopMs));
            long gap = 0;
            for (int i = 1; i < seen.size(); i++) {
                if (seen.get(i)[1] >= stopMs) {
                    gap = Math.max(gap, seen.get(i)[1] - seen.get(i - 1)[1]);
                }
            }
            largestGap.put(device, gap);
        });
        assertThat(firstAfterStop.keySet()).as("devices predicted after the stop").isEqualTo(devices);
        return new Handover(firstAfterStop, largestGap, exit);
    }

    private static long max(Map<String, Long> ms) {
        return ms.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    private static long median(Map<String, Long> ms) {
        long[] sorted = ms.values().stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static double seconds(long ms) {
        return ms / 1000.0;
    }
}
