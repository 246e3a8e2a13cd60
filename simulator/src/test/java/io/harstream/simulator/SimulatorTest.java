package io.harstream.simulator;

import io.harstream.core.data.Sample;
import io.harstream.core.event.InvalidEventException;
import io.harstream.core.event.RejectReason;
import io.harstream.core.event.SensorEvent;
import io.harstream.core.event.SensorEventCodec;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The send loop against Kafka's MockProducer: what is sent, in what order, how fast, and stopping. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimulatorTest {

    static final String TOPIC = "sensor-events";
    static final long NOW = 1_764_000_000_000L;
    static final Pacing FAST = new Pacing(1, true, false, 1_000, 0);

    @TempDir
    Path dir;

    static MockProducer<String, byte[]> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new StringSerializer(), new ByteArraySerializer());
    }

    static Simulator simulator(TestSet set, Pacing pacing, double malformed, MockProducer<String, byte[]> p) {
        return new Simulator(set, pacing, malformed, TOPIC, p, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
                System::nanoTime);
    }

    @Test
    void sendsEveryEventOnceKeyedByDeviceWithTheRecordedSpacing() throws IOException, InvalidEventException {
        TestSet set = TestSetReader.read(TestSets.twoUsers(dir), null);
        MockProducer<String, byte[]> p = producer(true);
        Simulator sim = simulator(set, FAST, 0, p);

        sim.run();

        assertThat(p.history()).hasSize((int) set.sampleCount()).allSatisfy(r -> assertThat(r.topic()).isEqualTo(TOPIC));
        Map<String, List<SensorEvent>> byDevice = new HashMap<>();
        for (ProducerRecord<String, byte[]> r : p.history()) {
            SensorEvent e = SensorEventCodec.decode(r.value());
            assertThat(e.device()).isEqualTo(r.key());
            assertThat(r.timestamp()).as("the producer stamps send time").isNull();
            byDevice.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(e);
        }
        assertThat(byDevice).containsOnlyKeys("1600", "1601");
        for (DeviceSeries d : set.devices()) {
            List<SensorEvent> sent = byDevice.get(d.device());
            assertThat(sent).hasSize(d.size());
            for (int i = 0; i < d.size(); i++) {
                Sample s = d.samples().get(i);
                SensorEvent e = sent.get(i);
                assertThat(List.of(e.x(), e.y(), e.z())).containsExactly(s.x(), s.y(), s.z());
                assertThat(e.activity()).isEqualTo(s.activity());
                assertThat(e.ts() - sent.get(0).ts()).isEqualTo(s.timestampMs() - d.samples().get(0).timestampMs());
            }
        }
        assertThat(byDevice.get("1600").get(0).ts()).isEqualTo(NOW);

        SimulatorStats stats = sim.stats();
        assertThat(stats.eventsSent()).isEqualTo(set.sampleCount());
        assertThat(stats.acknowledged()).isEqualTo(set.sampleCount());
        assertThat(stats.validSent()).isEqualTo(set.sampleCount());
        assertThat(stats.malformedSent()).isZero();
        assertThat(stats.sendErrors()).isZero();
        assertThat(stats.devices()).isEqualTo(2);
        assertThat(stats.activeDevices()).isZero();
        assertThat(stats.pass()).isEqualTo(1);
        assertThat(stats.running()).isFalse();
        assertThat(p.closed()).isTrue();
    }

    @Test
    void mixesInBadEventsThatAreAllRejectedWhileTheGoodOnesAreAccepted() {
        List<DeviceSeries> devices = List.of(TestSets.device("1-s1", 500, 50), TestSets.device("2-s1", 500, 50));
        MockProducer<String, byte[]> p = producer(true);
        Simulator sim = simulator(TestSets.of(devices, 1000), FAST, 0.1, p);

        sim.run();

        Map<RejectReason, Integer> rejected = new HashMap<>();
        int accepted = 0;
        for (ProducerRecord<String, byte[]> r : p.history()) {
            RejectReason reason = MalformedMixTest.rejection(r.key(), r.value());
            if (reason == null) {
                accepted++;
            } else {
                rejected.merge(reason, 1, Integer::sum);
            }
        }
        assertThat(accepted).isEqualTo(1000);
        int bad = rejected.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(bad).isBetween(110, 111); // a tenth of 1111
        assertThat(rejected).containsOnlyKeys(RejectReason.values());
        SimulatorStats stats = sim.stats();
        assertThat(stats.malformedSent()).isEqualTo(bad);
        rejected.forEach((reason, n) -> assertThat(stats.malformedByKind()).containsEntry(reason, (long) n));
        assertThat(stats.validSent()).isEqualTo(1000);
    }

    @Test
    void pacesSendingBySpeed() {
        // 3 devices, 1 s recorded each, no stagger: at speed 10 the replay takes about 100 ms
        List<DeviceSeries> devices = List.of(TestSets.device("a-s1", 21, 50), TestSets.device("b-s1", 21, 50),
                TestSets.device("c-s1", 21, 50));
        MockProducer<String, byte[]> p = producer(true);
        Simulator sim = simulator(TestSets.of(devices, 1000), new Pacing(10, false, false, 0, 0), 0, p);

        sim.run();

        assertThat(p.history()).hasSize(63);
        assertThat(sim.stats().elapsed().toMillis()).isBetween(99L, 2_000L);
    }

    @Test
    void honoursTheRateCap() {
        MockProducer<String, byte[]> p = producer(true);
        Simulator sim = simulator(TestSets.of(List.of(TestSets.device("a-s1", 221, 50)), 1000),
                new Pacing(1, true, false, 0, 1_000), 0, p);

        sim.run();

        // 221 events at 1000/s with a 20-event burst allowance: at least 200 ms
        assertThat(sim.stats().elapsed().toMillis()).isBetween(195L, 3_000L);
    }

    @Test
    void stopEndsARealTimeRunPromptlyAndDrainsTheProducer() throws InterruptedException {
        List<DeviceSeries> devices = List.of(TestSets.device("a-s1", 2_000, 50), TestSets.device("b-s1", 2_000, 50));
        MockProducer<String, byte[]> p = producer(true);
        Simulator sim = simulator(TestSets.of(devices, 1000), Pacing.REAL_TIME, 0, p);
        Thread runner = new Thread(sim::run);
        runner.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sim.stats().eventsSent() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(sim.stats().running()).isTrue();
        assertThat(sim.stats().activeDevices()).isBetween(1, 2);

        sim.stop();
        runner.join(2_000);

        assertThat(runner.isAlive()).isFalse();
        assertThat(p.closed()).isTrue();
        assertThat(sim.stats().running()).isFalse();
        assertThat(sim.stats().eventsSent()).isBetween(3L, 100L).isEqualTo(p.history().size());
    }

    @Test
    void interruptingTheRunningThreadStopsItAndKeepsTheInterrupt() throws InterruptedException {
        MockProducer<String, byte[]> p = producer(true);
        Simulator sim = simulator(TestSets.of(List.of(TestSets.device("a-s1", 2_000, 50)), 1000), Pacing.REAL_TIME, 0, p);
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread runner = new Thread(() -> {
            sim.run();
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        runner.start();
        while (sim.stats().eventsSent() == 0) {
            Thread.sleep(5);
        }

        runner.interrupt();
        runner.join(2_000);

        assertThat(runner.isAlive()).isFalse();
        assertThat(stillInterrupted).isTrue();
        assertThat(p.closed()).isTrue();
        assertThat(sim.stopRequested()).isTrue();
    }

    @Test
    void loopsUntilStoppedWithEachPassAFreshSeries() throws InterruptedException {
        List<DeviceSeries> devices = List.of(TestSets.device("a-s1", 30, 50));
        MockProducer<String, byte[]> p = producer(true);
        Simulator sim = simulator(TestSets.of(devices, 1000), new Pacing(1, true, true, 0, 0), 0, p);
        Thread runner = new Thread(sim::run);
        runner.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sim.stats().eventsSent() < 100 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        sim.stop();
        runner.join(5_000);

        List<ProducerRecord<String, byte[]>> sent = p.history();
        assertThat(sent.size()).isGreaterThanOrEqualTo(100);
        assertThat(sim.stats().pass()).isGreaterThanOrEqualTo(4);
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < sent.size(); i++) {
            long ts = decode(sent.get(i).value()).ts();
            if (i > 0) {
                // a pass boundary is the gap plus 1 ms: the stream-app starts a fresh series there
                assertThat(ts - previous).isEqualTo(i % 30 == 0 ? 1_001 : 50);
            }
            previous = ts;
        }
    }

    @Test
    void countsFailedSends() {
        MockProducer<String, byte[]> p = producer(false);
        Simulator sim = simulator(TestSets.of(List.of(TestSets.device("a-s1", 10, 50)), 1000), FAST, 0, p);
        sim.run();
        p.errorNext(new KafkaException("broker on fire"));
        p.errorNext(new KafkaException("broker on fire"));
        while (p.completeNext()) {
            // acknowledge the rest
        }
        assertThat(sim.stats().sendErrors()).isEqualTo(2);
        assertThat(sim.stats().acknowledged()).isEqualTo(8);
    }

    @Test
    void aProducerThatRefusesEventsEndsTheRunWithAMessage() {
        MockProducer<String, byte[]> p = producer(true);
        p.sendException = new KafkaException("not authorized to write to sensor-events");
        Simulator sim = simulator(TestSets.of(List.of(TestSets.device("a-s1", 10, 50)), 1000), FAST, 0, p);

        assertThatThrownBy(sim::run).isInstanceOf(SimulatorException.class)
                .hasMessageContaining("not authorized to write to sensor-events");
        assertThat(p.closed()).isTrue();
    }

    @Test
    void runsOnce() {
        Simulator sim = simulator(TestSets.of(List.of(TestSets.device("a-s1", 3, 50)), 1000), FAST, 0, producer(true));
        sim.run();
        assertThatThrownBy(sim::run).isInstanceOf(IllegalStateException.class);
    }

    private static SensorEvent decode(byte[] value) {
        try {
            return SensorEventCodec.decode(value);
        } catch (InvalidEventException e) {
            throw new AssertionError(e);
        }
    }
}
