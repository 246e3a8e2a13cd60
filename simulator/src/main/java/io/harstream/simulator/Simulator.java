package io.harstream.simulator;

import io.harstream.core.event.RejectReason;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Replays a {@link TestSet} into Kafka: one thread sends every device's events in the order the
 * {@link Schedule} gives, waiting until each is due and the {@link RateCap} allows it, with the
 * {@link MalformedMix}'s bad events in between.
 *
 * <p>{@link #run()} blocks until the set is replayed (never, with {@link Pacing#loop()}) or
 * {@link #stop()} is called from another thread (interrupting the thread in {@code run()} does the
 * same); either way it then drains and closes the producer, which it owns. {@link #stats()} may be read
 * from any thread meanwhile. In a program that runs it next to other things:
 *
 * <pre>{@code
 * TestSet set = TestSetReader.read(Path.of("out/model"), null);   // null: the gap from model.json
 * KafkaTarget kafka = new KafkaTarget("localhost:9092", "sensor-events", Map.of(), Duration.ofSeconds(30));
 * Simulator simulator = new Simulator(set, Pacing.REAL_TIME, 0.01, kafka.topic(), kafka.connect());
 * executor.submit(simulator::run);
 * ... simulator.stats() ...   // e.g. once a second for a console view
 * simulator.stop();
 * }</pre>
 */
public final class Simulator {

    /** How long closing waits for the records already handed to the producer to be delivered. */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** The longest sleep between looks at the stop flag, so a stop is noticed even without an unpark. */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Send errors are logged once per this interval, not once per record: a dead broker fails thousands. */
    private static final long ERROR_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);

    private final TestSet testSet;
    private final Pacing pacing;
    private final String topic;
    private final MalformedMix malformed;
    private final Producer<String, byte[]> producer;
    private final Clock clock;
    private final LongSupplier nanoTime;

    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean stopRequested;
    private volatile Thread runner;
    private volatile long startNanos;
    private volatile long endNanos = -1;
    private volatile int activeDevices;
    private volatile int pass;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLongArray malformedSent = new AtomicLongArray(RejectReason.values().length);
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final AtomicLong lastErrorLogNanos = new AtomicLong(Long.MIN_VALUE);

    /** Counts deliveries; runs on the producer's I/O thread, so it only touches atomics. */
    private final Callback callback = (metadata, exception) -> {
        if (exception == null) {
            acknowledged.incrementAndGet();
            return;
        }
        long errors = sendErrors.incrementAndGet();
        long now = System.nanoTime();
        long last = lastErrorLogNanos.get();
        if ((last == Long.MIN_VALUE || now - last >= ERROR_LOG_INTERVAL_NANOS) && lastErrorLogNanos.compareAndSet(last, now)) {
            LOG.warn("send failed ({} so far): {}", errors, exception.getMessage());
        }
    };

    /**
     * @param testSet           the devices to replay
     * @param pacing            speed, loop, stagger and rate cap
     * @param malformedFraction share of sent events that are deliberately bad, 0 for none
     * @param topic             where to send
     * @param producer          an open producer, closed by {@link #run()} when it ends
     */
    public Simulator(TestSet testSet, Pacing pacing, double malformedFraction, String topic,
                     Producer<String, byte[]> producer) {
        this(testSet, pacing, malformedFraction, topic, producer, Clock.systemUTC(), System::nanoTime);
    }

    /** As the public constructor, with the wall clock (event timestamps) and the monotonic clock (pacing) given. */
    Simulator(TestSet testSet, Pacing pacing, double malformedFraction, String topic,
              Producer<String, byte[]> producer, Clock clock, LongSupplier nanoTime) {
        if (testSet.devices().isEmpty()) {
            throw new IllegalArgumentException("nothing to replay: the test set has no devices");
        }
        this.testSet = testSet;
        this.pacing = pacing;
        this.topic = topic;
        this.malformed = new MalformedMix(malformedFraction);
        this.producer = producer;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    /**
     * Replays the test set; returns when it is done or stopped, after draining and closing the producer.
     *
     * @throws SimulatorException when {@code send} throws: the producer was closed under it, or is in a
     *                            fatal state (e.g. after an authorization or idempotence error). Failures
     *                            the producer reports per record (timeouts while the broker is away) are
     *                            counted in {@link SimulatorStats#sendErrors()} and the replay goes on.
     * @throws IllegalStateException on a second call
     */
    public void run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a Simulator runs once");
        }
        runner = Thread.currentThread();
        startNanos = nanoTime.getAsLong();
        Schedule schedule = new Schedule(testSet.devices(), pacing, testSet.maxGapMs(), clock.millis());
        RateCap cap = RateCap.of(pacing.maxRate());
        Deque<OutgoingRecord> pendingBad = new ArrayDeque<>();
        LOG.info("replaying {} devices to {} ({})", testSet.devices().size(), topic, describe(pacing));
        KafkaException failure = null;
        boolean interrupted = false;
        try {
            while (!stopRequested) {
                if (Thread.interrupted()) {
                    interrupted = true; // the owner wants us gone: same as stop(), and told again on return
                    stopRequested = true;
                    break;
                }
                if (pendingBad.isEmpty() && schedule.isDone()) {
                    break;
                }
                long due = pendingBad.isEmpty() ? schedule.peekDueNanos() : 0; // bad events go right after their good one
                long at = cap.earliest(due);
                long now = elapsedNanos();
                if (at > now) {
                    LockSupport.parkNanos(this, Math.min(at - now, MAX_PARK_NANOS));
                    continue;
                }
                OutgoingRecord record;
                if (pendingBad.isEmpty()) {
                    Schedule.Entry entry = schedule.poll();
                    activeDevices = schedule.activeDevices();
                    pass = entry.pass();
                    record = OutgoingRecord.of(entry.event());
                    pendingBad.addAll(malformed.after(entry.event()));
                } else {
                    record = pendingBad.poll();
                }
                send(record);
                cap.sent(now);
            }
        } catch (InterruptException e) {
            interrupted = true; // interrupted inside send(): a stop, not a failure
            stopRequested = true;
        } catch (KafkaException e) {
            failure = e;
        } finally {
            activeDevices = 0;
            close();
            endNanos = nanoTime.getAsLong();
            runner = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure != null) {
            throw new SimulatorException("the producer refused an event after " + sent.get() + " sent: "
                    + failure.getMessage(), failure);
        }
        LOG.info("{} after {} events", stopRequested ? "stopped" : "replayed the test set", sent.get());
    }

    /** Asks {@link #run()} to stop scheduling, drain and return; safe from any thread (a shutdown hook). */
    public void stop() {
        stopRequested = true;
        Thread t = runner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    public TestSet testSet() {
        return testSet;
    }

    public SimulatorStats stats() {
        Map<RejectReason, Long> byKind = new EnumMap<>(RejectReason.class);
        for (RejectReason r : RejectReason.values()) {
            long n = malformedSent.get(r.ordinal());
            if (n > 0) {
                byKind.put(r, n);
            }
        }
        long end = endNanos;
        boolean running = started.get() && end < 0;
        Duration elapsed = !started.get() ? Duration.ZERO
                : Duration.ofNanos((running ? nanoTime.getAsLong() : end) - startNanos);
        return new SimulatorStats(sent.get(), byKind, acknowledged.get(), sendErrors.get(), testSet.devices().size(),
                activeDevices, pass + 1, elapsed, running);
    }

    private long elapsedNanos() {
        return nanoTime.getAsLong() - startNanos;
    }

    private void send(OutgoingRecord record) {
        // No record timestamp: the producer stamps the send time. The event's own ts runs ahead of the
        // wall clock at speed > 1, and Kafka 4 brokers refuse record timestamps more than an hour in the
        // future (log.message.timestamp.after.max.ms).
        producer.send(new ProducerRecord<>(topic, record.key(), record.value()), callback);
        sent.incrementAndGet();
        if (!record.valid()) {
            malformedSent.incrementAndGet(record.rejectAs().ordinal());
        }
    }


    /**
     * Drains and closes the producer. {@code close(timeout)} is {@code flush()} with a deadline: a
     * plain flush would wait out the full delivery timeout (two minutes) when the broker is gone.
     */
    private void close() {
        boolean interrupted = Thread.interrupted(); // an interrupted close would give up at once
        try {
            producer.close(DRAIN_TIMEOUT);
        } catch (KafkaException e) {
            LOG.warn("closing the producer: {}", e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String describe(Pacing p) {
        String speed = p.asFastAsPossible() ? "as fast as possible" : "speed " + p.speed() + "x";
        return speed + (p.maxRate() > 0 ? ", at most " + p.maxRate() + " events/s" : "")
                + (p.loop() ? ", looping" : ", one pass");
    }
}
