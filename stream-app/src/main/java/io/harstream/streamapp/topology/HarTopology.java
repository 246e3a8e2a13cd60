package io.harstream.streamapp.topology;

import io.harstream.core.model.ActivityClassifier;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.smoothing.ActivitySmoother;
import io.harstream.core.window.AxesFrame;
import io.harstream.streamapp.metrics.HarMetrics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.function.Supplier;

/**
 * The stream-app's processing, as one Kafka Streams topology:
 *
 * <pre>
 *   sensor-events ─► validate ─┬─► window (stores device-windows, device-frames) ─► classify (stores pending-windows, device-smoothers) ─► activity-predictions
 *                              └─► sensor-events-dlq
 * </pre>
 *
 * <p>{@code device-frames} exists only for a model that reads windows in the walking frame; {@code device-smoothers}
 * (store of the classify step) only for a bundle that smooths its predictions.
 *
 * <p>{@link #build} is pure: it only describes the graph, so the application and the
 * {@code TopologyTestDriver} tests run exactly the same topology.
 */
public final class HarTopology {

    public static final String SOURCE = "sensor-events-source";
    public static final String VALIDATE = "validate";
    public static final String WINDOW = "window";
    public static final String CLASSIFY = "classify";
    public static final String PREDICTIONS_SINK = "predictions-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";
    /** Per device: its running series ({@code SeriesBuffer} bytes). */
    public static final String DEVICE_WINDOWS_STORE = "device-windows";
    /** Per device: its walking frame ({@code WalkingFrame} bytes), for models that read that frame. */
    public static final String DEVICE_FRAMES_STORE = "device-frames";
    /** Per device: its smoother's state ({@code SmootherState} bytes), for bundles that smooth. */
    public static final String DEVICE_SMOOTHERS_STORE = "device-smoothers";
    /** Ready windows not yet classified ({@link ReadyWindow} bytes). */
    public static final String PENDING_WINDOWS_STORE = "pending-windows";

    private HarTopology() {
    }

    public static Topology build(TopologySettings settings, ModelBundle bundle, HarMetrics metrics) {
        Topology topology = new Topology();
        // Bytes in, not a JSON serde: a record that does not parse must still reach the dead-letter topic
        // byte for byte, and a deserialization exception would be handled outside our counting.
        topology.addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                settings.inputTopic());
        topology.addProcessor(VALIDATE,
                () -> new EventValidator(bundle.segmenter(), metrics, WINDOW, DEAD_LETTER_SINK), SOURCE);
        boolean walking = bundle.axesFrame() == AxesFrame.WALKING;
        topology.addProcessor(WINDOW, () -> new DeviceWindower(bundle.segmenter(), metrics, DEVICE_WINDOWS_STORE,
                walking ? DEVICE_FRAMES_STORE : null), VALIDATE);
        ActivitySmoother smoother = bundle.smoother().orElse(null);
        topology.addProcessor(CLASSIFY,
                () -> new BatchClassifier(classifiers(bundle, settings.batchSize()), bundle.classes(),
                        bundle.manifest().modelVersion(), metrics, PENDING_WINDOWS_STORE, settings.batchSize(),
                        settings.batchMaxDelay(), smoother, smoother == null ? null : DEVICE_SMOOTHERS_STORE),
                WINDOW);
        // Persistent and changelogged (the default): a restarted or migrated task gets every device's series
        // and the unclassified windows back, transactionally consistent with the committed input offsets.
        // Cached: a device's series (a whole window of samples) is rewritten on every event, but only its
        // last state before each commit goes to RocksDB and the changelog; a pending window classified
        // within the commit interval never reaches either. The cache is flushed before every commit, so
        // what is committed is exactly what an uncached store would hold.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEVICE_WINDOWS_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), WINDOW);
        if (walking) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEVICE_FRAMES_STORE),
                    Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), WINDOW);
        }
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_WINDOWS_STORE),
                Serdes.ByteArray(), Serdes.ByteArray()).withCachingEnabled(), CLASSIFY);
        if (smoother != null) {
            // Persistent, changelogged and cached like device-frames: written once per device per batch, in the
            // same transaction as the batch's predictions.
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEVICE_SMOOTHERS_STORE),
                    Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), CLASSIFY);
        }
        topology.addSink(PREDICTIONS_SINK, settings.predictionsTopic(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer(), CLASSIFY);
        topology.addSink(DEAD_LETTER_SINK, settings.deadLetterTopic(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer(), VALIDATE);
        return topology;
    }

    /**
     * One classifier per processor instance, each on its own copy of the network: DL4J networks keep
     * per-call state, and tasks on different stream threads classify concurrently. The bundle's network is
     * only read, under its lock, to make the copy.
     */
    private static Supplier<ActivityClassifier> classifiers(ModelBundle bundle, int batchSize) {
        return () -> {
            MultiLayerNetwork copy;
            synchronized (bundle.network()) {
                copy = bundle.network().clone();
            }
            return new ActivityClassifier(bundle, copy, batchSize);
        };
    }
}
