package io.harstream.streamapp.topology;

import io.harstream.core.event.ActivityPrediction;
import io.harstream.core.event.PredictionCodec;
import io.harstream.core.event.SensorEvent;
import io.harstream.core.event.SensorEventCodec;
import io.harstream.core.model.ModelBundle;
import io.harstream.streamapp.metrics.HarMetrics;
import io.harstream.streamapp.serving.ServingModels;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * {@link HarTopology#build} under a {@link TopologyTestDriver}, with the topics, the metrics registry
 * and shortcuts for sending events. Wall-clock time is the driver's: batches close on
 * {@link #advanceClock}.
 */
public final class TopologyFixture implements AutoCloseable {

    public static final Instant START = Instant.ofEpochMilli(1_764_000_000_000L);

    public final ModelBundle bundle;
    public final TopologySettings settings;
    public final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    public final HarMetrics metrics;
    public final TopologyTestDriver driver;
    public final TestInputTopic<byte[], byte[]> input;
    public final TestOutputTopic<String, byte[]> predictions;
    public final TestOutputTopic<byte[], byte[]> deadLetters;

    /** With a models topic: its records, the models served, and the candidate's predictions (with a shadow topic). */
    public final TestInputTopic<String, byte[]> models;
    public final ServingModels serving;
    public final TestOutputTopic<String, byte[]> shadow;

    private final Path stateDir;

    public TopologyFixture(ModelBundle bundle, int batchSize) {
        this(bundle, batchSize, null);
    }

    /** @param topics null: the topology without a models topic, as {@link HarTopology#build(TopologySettings, ModelBundle, HarMetrics)} */
    public TopologyFixture(ModelBundle bundle, int batchSize, HarTopology.ModelTopics topics) {
        this(bundle, TopologySettings.defaults().withBatching(batchSize, Duration.ofMillis(50)), topics);
    }

    /** With the given settings (e.g. a smoothing lag): the confusion counters of every stage they serve. */
    public TopologyFixture(ModelBundle bundle, TopologySettings settings) {
        this(bundle, settings, null);
    }

    /** @param topics null: the topology without a models topic, as {@link HarTopology#build(TopologySettings, ModelBundle, HarMetrics)} */
    public TopologyFixture(ModelBundle bundle, TopologySettings settings, HarTopology.ModelTopics topics) {
        this.bundle = bundle;
        this.stateDir = newStateDir();
        this.settings = settings;
        this.metrics = HarMetrics.register(registry, bundle.manifest(), settings.smoothingLag());
        this.serving = topics == null ? null : ServingModels.following(bundle, metrics);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "harstream-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(topics == null ? HarTopology.build(settings, bundle, metrics)
                : HarTopology.build(settings, serving, metrics, topics), props, START);
        models = topics == null ? null
                : driver.createInputTopic(topics.modelsTopic(), new StringSerializer(), new ByteArraySerializer());
        shadow = topics == null || topics.shadowTopic() == null ? null
                : driver.createOutputTopic(topics.shadowTopic(), new StringDeserializer(), new ByteArrayDeserializer());
        input = driver.createInputTopic(settings.inputTopic(), new ByteArraySerializer(), new ByteArraySerializer());
        predictions = driver.createOutputTopic(settings.predictionsTopic(), new StringDeserializer(),
                new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(settings.deadLetterTopic(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Sends an event keyed by its device, with its sample time as the record timestamp. */
    public void send(SensorEvent e) {
        send(e, e.ts());
    }

    public void send(SensorEvent e, long recordTimestamp) {
        sendRaw(e.device(), SensorEventCodec.encode(e), recordTimestamp, new RecordHeaders());
    }

    /** {@code n} samples of one device at 20 Hz from {@code fromTs}, all labelled {@code activity}. */
    public void sendSeries(String device, long fromTs, int n, String activity) {
        for (int i = 0; i < n; i++) {
            send(event(device, fromTs + 50L * i, i, activity));
        }
    }

    /**
     * Sends every event, advancing the wall clock by 50 ms after every {@code clockEvery} of them (so some
     * batches close on size and some on the clock), closes the last batch and returns the predictions.
     */
    public List<ActivityPrediction> replay(List<SensorEvent> events, int clockEvery) {
        int sent = 0;
        for (SensorEvent e : events) {
            send(e);
            if (++sent % clockEvery == 0) {
                advanceClock(Duration.ofMillis(50));
            }
        }
        closeBatch();
        return readPredictions();
    }

    public void sendRaw(String key, byte[] value, long timestamp, Headers headers) {
        input.pipeInput(new TestRecord<>(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, headers,
                timestamp));
    }

    /** A sample whose values depend on {@code i}, so consecutive samples are never duplicates. */
    public static SensorEvent event(String device, long ts, int i, String activity) {
        return new SensorEvent(device, ts, (float) Math.sin(i * 0.3), 9.8f + i % 3, (float) Math.cos(i * 0.2),
                activity);
    }

    public void advanceClock(Duration d) {
        driver.advanceWallClockTime(d);
    }

    /**
     * Lets the punctuator close whatever batch is open. Generously: a batch stays open at least as long
     * as the previous forward pass took in real time, which the driver's clock knows nothing about.
     */
    public void closeBatch() {
        advanceClock(Duration.ofMinutes(1));
    }

    public List<ActivityPrediction> readPredictions() {
        return predictions.readValuesToList().stream().map(PredictionCodec::decode).toList();
    }

    public double count(String meter, String... tags) {
        return registry.get(meter).tags(tags).counter().count();
    }

    public double events(HarMetrics.Outcome outcome) {
        return count(HarMetrics.EVENTS, "outcome", outcome.id());
    }

    /**
     * A new driver over the same topology whose stores start with what this one's hold now, as a restarted or
     * migrated task's stores start with what their changelogs hold: the driver commits after every record, so that
     * is the last committed state. This fixture is closed; the new one has fresh meters.
     */
    public TopologyFixture restartedFromStores() {
        Map<String, List<KeyValue<Object, Object>>> stores = new LinkedHashMap<>();
        driver.getAllStateStores().forEach((name, store) -> {
            List<KeyValue<Object, Object>> entries = new ArrayList<>();
            try (KeyValueIterator<Object, Object> it = keyValueStore(driver, name).all()) {
                it.forEachRemaining(entries::add);
            }
            stores.put(name, entries);
        });
        close();
        TopologyFixture restarted = new TopologyFixture(bundle, settings);
        stores.forEach((name, entries) -> {
            KeyValueStore<Object, Object> store = keyValueStore(restarted.driver, name);
            entries.forEach(kv -> store.put(kv.key, kv.value));
        });
        return restarted;
    }

    /**
     * The store of that name as the driver holds it; for {@code device-windows} the key-value store below its
     * {@link DeviceSeriesStore} (the driver commits, and so flushes the series into it, after every record).
     */
    @SuppressWarnings("unchecked")
    private static KeyValueStore<Object, Object> keyValueStore(TopologyTestDriver driver, String name) {
        if (name.equals(HarTopology.DEVICE_WINDOWS_STORE)) {
            DeviceSeriesStore series = (DeviceSeriesStore) driver.getStateStore(name);
            return (KeyValueStore<Object, Object>) (KeyValueStore<?, ?>) series.wrapped();
        }
        return driver.getKeyValueStore(name);
    }

    @Override
    public void close() {
        driver.close();
        registry.close();
        deleteRecursively(stateDir);
    }

    /**
     * The driver commits after every record, and a commit flushes both RocksDB stores and fsyncs their
     * checkpoint files, which on a disk costs far more than the record's processing and in memory almost
     * nothing. So the state goes to /dev/shm where there is one (a real application commits every 100 ms,
     * not every record).
     */
    private static Path newStateDir() {
        try {
            Path shm = Path.of("/dev/shm");
            return Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "harstream-ttd")
                    : Files.createTempDirectory("harstream-ttd");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory
        }
    }
}
