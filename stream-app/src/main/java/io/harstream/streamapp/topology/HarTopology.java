package io.harstream.streamapp.topology;

import io.harstream.core.model.ModelBundle;
import io.harstream.core.smoothing.ActivitySmoother;
import io.harstream.core.window.AxesFrame;
import io.harstream.streamapp.metrics.HarMetrics;
import io.harstream.streamapp.serving.ServingModels;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

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
 * <p>With a models topic, a global store ({@code har-models-store}) holds it on every instance and tells
 * {@link ServingModels} of each change; the classify step takes the models serving at each batch boundary, and the
 * candidate's predictions go to the shadow topic when one is named.
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
    /**
     * Per device: its smoother's state, for bundles that smooth ({@code SmootherState} bytes; with a smoothing lag
     * {@code FixedLagState} bytes).
     */
    public static final String DEVICE_SMOOTHERS_STORE = "device-smoothers";
    /** Ready windows not yet classified ({@link ReadyWindow} bytes). */
    public static final String PENDING_WINDOWS_STORE = "pending-windows";

    /**
     * Device series one task keeps as objects ({@link DeviceSeriesStore}); beyond, the least recently active go back
     * to the store. A series takes about 5 KiB, so this bounds the cache to about 50 MiB per task.
     */
    static final int SERIES_CACHE_DEVICES = 10_000;

    private HarTopology() {
    }

    /** The global store holding the models topic: the latest record of each key. */
    public static final String MODELS_STORE = "har-models-store";
    public static final String MODELS_SOURCE = "models-source";
    public static final String MODELS_PROCESSOR = "models";
    public static final String SHADOW_SINK = "shadow-sink";

    /**
     * The topics of the model lifecycle.
     *
     * @param modelsTopic the models topic (compacted; bundles and the roles document), read by every instance into a
     *                    global store
     * @param shadowTopic where the candidate's predictions go, or null for none (they are counted either way)
     */
    public record ModelTopics(String modelsTopic, String shadowTopic) {
        public ModelTopics {
            if (modelsTopic == null || modelsTopic.isBlank()) {
                throw new IllegalArgumentException("models topic must be named");
            }
            if (shadowTopic != null && shadowTopic.isBlank()) {
                shadowTopic = null;
            }
        }
    }

    /** The topology serving {@code bundle} for good: no models topic. */
    public static Topology build(TopologySettings settings, ModelBundle bundle, HarMetrics metrics) {
        return build(settings, ServingModels.fixed(bundle), metrics, null);
    }

    /**
     * The topology for {@code models}' baseline (its windows, axes frame and stores), classifying with whatever
     * {@code models} serves at each batch; with {@code topics}, every instance follows the models topic (a global
     * store) and the candidate's predictions go to the shadow topic.
     *
     * @param topics null: no models topic, {@code models} is fixed
     */
    public static Topology build(TopologySettings settings, ServingModels models, HarMetrics metrics,
                                 ModelTopics topics) {
        ModelBundle bundle = models.baseline();
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
                () -> new BatchClassifier(() -> new ModelSlot(models, metrics, settings.batchSize()), bundle.classes(),
                        metrics, PENDING_WINDOWS_STORE, settings.batchSize(), settings.batchMaxDelay(),
                        smoother == null ? null : DEVICE_SMOOTHERS_STORE,
                        topics == null || topics.shadowTopic() == null ? null : SHADOW_SINK, settings.smoothingLag()),
                WINDOW);
        // Persistent and changelogged (the default): a restarted or migrated task gets every device's series
        // and the unclassified windows back, transactionally consistent with the committed input offsets.
        // Cached: a device's series (a whole window of samples) changes on every event, but only its
        // last state before each commit goes to RocksDB and the changelog; a pending window classified
        // within the commit interval never reaches either. The cache is flushed before every commit, so
        // what is committed is exactly what an uncached store would hold.
        // device-windows: the series live as objects in front of the store (DeviceSeriesStore) and reach it, as
        // bytes, once per commit: Streams' record cache under it would only copy them again.
        topology.addStateStore(DeviceSeriesStore.builder(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DEVICE_WINDOWS_STORE), Serdes.String(), Serdes.ByteArray())
                .withCachingDisabled(), SERIES_CACHE_DEVICES), WINDOW);
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
        if (topics != null) {
            if (topics.shadowTopic() != null) {
                topology.addSink(SHADOW_SINK, topics.shadowTopic(), Serdes.String().serializer(),
                        Serdes.ByteArray().serializer(), CLASSIFY);
            }
            // A global store: every instance reads the whole topic. Its changelog is the topic itself (compacted), so
            // the store is not logged again.
            topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MODELS_STORE),
                            Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                    MODELS_SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                    topics.modelsTopic(), MODELS_PROCESSOR, () -> new ModelsTopicProcessor(models, MODELS_STORE));
        }
        return topology;
    }
}
