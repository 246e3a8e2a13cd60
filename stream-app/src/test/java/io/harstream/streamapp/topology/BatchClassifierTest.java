package io.harstream.streamapp.topology;

import io.harstream.core.event.ActivityPrediction;
import io.harstream.core.event.PredictionCodec;
import io.harstream.core.model.ActivityClassifier;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.window.Window;
import io.harstream.streamapp.TestModels;
import io.harstream.streamapp.metrics.HarMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link BatchClassifier} on its own, with Kafka's {@link MockProcessorContext} and a real (in-memory,
 * unlogged) {@code pending-windows} store: when a batch closes, what is forwarded, what stays in the store,
 * what is counted. The wall clock is the mock's; punctuations are fired by hand.
 */
class BatchClassifierTest {

    private static final String STORE = HarTopology.PENDING_WINDOWS_STORE;
    private static final Duration MAX_DELAY = Duration.ofMillis(50);
    private static final long T0 = 1_764_000_000_000L;

    private final ModelBundle bundle = TestModels.untrained();
    private final List<String> classes = bundle.classes();
    private final String modelVersion = bundle.manifest().modelVersion();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HarMetrics metrics = HarMetrics.register(registry, bundle.manifest());
    private final MockProcessorContext<String, byte[]> context = new MockProcessorContext<>();
    private KeyValueStore<byte[], byte[]> pending;
    private BatchClassifier processor;

    @BeforeEach
    void store() {
        pending = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.ByteArray(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        pending.init(context.getStateStoreContext(), pending);
        context.addStateStore(pending);
        context.setCurrentSystemTimeMs(T0);
    }

    @AfterEach
    void close() {
        if (processor != null) {
            processor.close();
        }
        pending.close();
    }

    private BatchClassifier start(int batchSize) {
        processor = new BatchClassifier(
                () -> new ActivityClassifier(bundle.network(), bundle.preprocessor(), batchSize), classes,
                modelVersion, metrics, STORE, batchSize, MAX_DELAY);
        processor.init(context);
        return processor;
    }

    /** A labelled window of the test models' length, its samples derived from {@code seed}. */
    private static Window window(long start, int label, int seed) {
        int n = TestModels.WINDOW.length();
        float[][] axes = new float[3][n];
        for (int a = 0; a < 3; a++) {
            for (int i = 0; i < n; i++) {
                axes[a][i] = (float) Math.sin(seed + 0.7 * i + a) * 4 + (a == 1 ? 9.8f : 0);
            }
        }
        return new Window(start, start + 50L * (n - 1), axes[0], axes[1], axes[2], label);
    }

    private static ReadyWindow ready(String device, long start, int label, int seed) {
        Window w = window(start, label, seed);
        return new ReadyWindow(device, w, w.endTs() + 5);
    }

    private void process(ReadyWindow r) {
        processor.process(new Record<>(r.device(), r, r.recordTimestamp()));
    }

    private List<ReadyWindow> stored() {
        List<ReadyWindow> out = new ArrayList<>();
        try (KeyValueIterator<byte[], byte[]> it = pending.all()) {
            while (it.hasNext()) {
                KeyValue<byte[], byte[]> kv = it.next();
                ReadyWindow r = ReadyWindow.fromBytes(kv.value);
                assertThat(kv.key).as("stored under its key").isEqualTo(r.storeKey());
                out.add(r);
            }
        }
        return out;
    }

    private List<ActivityPrediction> forwardedPredictions() {
        return context.forwarded().stream().map(f -> PredictionCodec.decode(f.record().value())).toList();
    }

    private CapturedPunctuator punctuator() {
        assertThat(context.scheduledPunctuators()).hasSize(1);
        return context.scheduledPunctuators().get(0);
    }

    private double batches() {
        return registry.get(HarMetrics.INFERENCE_BATCH_SIZE).summary().count();
    }

    @Test
    void windowsWaitInTheStoreUntilTheBatchIsFullThenGoThroughOnePass() {
        start(3);
        process(ready("phone-a", T0 - 2_000, 0, 1));
        process(ready("phone-b", T0 - 2_000, 1, 2));

        assertThat(context.forwarded()).isEmpty();
        assertThat(stored()).extracting(ReadyWindow::device).containsExactlyInAnyOrder("phone-a", "phone-b");

        process(ready("phone-c", T0 - 1_000, 2, 3));

        assertThat(forwardedPredictions()).extracting(ActivityPrediction::device)
                .containsExactlyInAnyOrder("phone-a", "phone-b", "phone-c");
        assertThat(stored()).isEmpty();
        assertThat(batches()).isEqualTo(1);
        assertThat(registry.get(HarMetrics.INFERENCE_BATCH_SIZE).summary().totalAmount()).isEqualTo(3);
        assertThat(registry.get(HarMetrics.INFERENCE_BATCH).timer().count()).isEqualTo(1);
    }

    @Test
    void aPredictionCarriesItsWindowDeviceClassesModelAndTheEventsTimestamp() {
        start(2);
        ReadyWindow labelled = ready("phone-a", T0 - 5_000, 3, 4);
        ReadyWindow unlabelled = new ReadyWindow("phone-b",
                new Window(T0 - 4_000, T0 - 3_550, window(0, 0, 5).x(), window(0, 0, 5).y(), window(0, 0, 5).z(),
                        Window.UNLABELLED), T0 - 3_500);
        process(labelled);
        process(unlabelled);

        float[][] expected = new ActivityClassifier(bundle.network(), bundle.preprocessor(), 2)
                .probabilities(List.of(labelled.window(), unlabelled.window()));
        List<CapturedForward<? extends String, ? extends byte[]>> forwarded = context.forwarded();
        assertThat(forwarded).hasSize(2);
        for (CapturedForward<? extends String, ? extends byte[]> f : forwarded) {
            assertThat(f.childName()).as("to every child: the predictions sink").isEmpty();
            ActivityPrediction p = PredictionCodec.decode(f.record().value());
            ReadyWindow source = p.device().equals("phone-a") ? labelled : unlabelled;
            float[] probabilities = expected[source == labelled ? 0 : 1];
            assertThat(f.record().key()).isEqualTo(source.device());
            assertThat(f.record().timestamp()).isEqualTo(source.recordTimestamp());
            assertThat(p.windowStart()).isEqualTo(source.window().startTs());
            assertThat(p.windowEnd()).isEqualTo(source.window().endTs());
            assertThat(p.classes()).isEqualTo(classes);
            assertThat(p.modelVersion()).isEqualTo(modelVersion);
            assertThat(p.probabilities()).containsExactly(probabilities, within(1e-6f));
            assertThat(p.predicted()).isEqualTo(classes.get(ActivityClassifier.argmax(probabilities)));
            assertThat(p.actual()).isEqualTo(source == labelled ? classes.get(3) : null);
        }
    }

    @Test
    void thePunctuatorClosesABatchOnceItsFirstWindowHasWaitedMaxDelay() {
        start(100);
        CapturedPunctuator punctuator = punctuator();
        assertThat(punctuator.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
        assertThat(punctuator.getInterval()).isEqualTo(MAX_DELAY);

        process(ready("phone-a", T0 - 1_000, 0, 1));
        context.setCurrentSystemTimeMs(T0 + 20);
        process(ready("phone-b", T0 - 1_000, 0, 2));
        punctuator.getPunctuator().punctuate(T0 + 49);
        assertThat(context.forwarded()).isEmpty();
        assertThat(stored()).hasSize(2);

        punctuator.getPunctuator().punctuate(T0 + 50);
        assertThat(forwardedPredictions()).extracting(ActivityPrediction::device)
                .containsExactlyInAnyOrder("phone-a", "phone-b");
        assertThat(stored()).isEmpty();
        assertThat(batches()).isEqualTo(1);

        context.resetForwards();
        punctuator.getPunctuator().punctuate(T0 + 500);
        assertThat(context.forwarded()).as("nothing pending, nothing to do").isEmpty();
        assertThat(batches()).isEqualTo(1);
    }

    @Test
    void aNewWindowClosesAnOverdueBatchWithoutWaitingForThePunctuator() {
        start(100);
        process(ready("phone-a", T0 - 1_000, 0, 1));
        context.setCurrentSystemTimeMs(T0 + 60);
        process(ready("phone-b", T0 - 1_000, 0, 2));

        assertThat(forwardedPredictions()).hasSize(2);
        assertThat(stored()).isEmpty();
    }

    @Test
    void windowsFoundInTheStoreAtInitAreClassifiedByTheFirstPunctuation() {
        ReadyWindow left1 = ready("phone-a", T0 - 3_000, 0, 1);
        ReadyWindow left2 = ready("phone-b", T0 - 3_000, 1, 2);
        pending.put(left1.storeKey(), left1.toBytes());
        pending.put(left2.storeKey(), left2.toBytes());

        start(100);
        punctuator().getPunctuator().punctuate(T0 + 50);

        assertThat(forwardedPredictions()).extracting(ActivityPrediction::device)
                .containsExactlyInAnyOrder("phone-a", "phone-b");
        assertThat(stored()).isEmpty();
    }

    @Test
    void aSecondWindowWithTheSameKeyClassifiesTheFirstInsteadOfOverwritingIt() {
        start(100);
        ReadyWindow first = ready("phone-a", T0 - 1_000, 0, 1);
        ReadyWindow again = ready("phone-a", T0 - 1_000, 4, 9);
        process(first);
        process(again);

        List<ActivityPrediction> predictions = forwardedPredictions();
        assertThat(predictions).hasSize(1);
        assertThat(predictions.get(0).actual()).isEqualTo(classes.get(0));
        List<ReadyWindow> left = stored();
        assertThat(left).hasSize(1);
        assertThat(left.get(0).window().label()).isEqualTo(4);
        assertThat(left.get(0).window().x()).isEqualTo(again.window().x());
    }

    @Test
    void predictionsAreCountedByActualAndPredictedWithTheirLatency() {
        start(3);
        ReadyWindow a = ready("phone-a", T0 - 2_000, 0, 1);
        ReadyWindow b = ready("phone-b", T0 - 2_000, 0, 2);
        ReadyWindow c = new ReadyWindow("phone-c", new Window(T0 - 2_000, T0 - 1_550, a.window().x(),
                a.window().y(), a.window().z(), Window.UNLABELLED), T0 - 1_500);
        process(a);
        process(b);
        process(c);

        double labelled = classes.stream().mapToDouble(p -> registry.get(HarMetrics.PREDICTIONS)
                .tag("actual", classes.get(0)).tag("predicted", p).counter().count()).sum();
        double unknown = classes.stream().mapToDouble(p -> registry.get(HarMetrics.PREDICTIONS)
                .tag("actual", HarMetrics.UNKNOWN_ACTUAL).tag("predicted", p).counter().count()).sum();
        assertThat(labelled).isEqualTo(2);
        assertThat(unknown).isEqualTo(1);
        for (ActivityPrediction p : forwardedPredictions()) {
            String actual = p.actual() == null ? HarMetrics.UNKNOWN_ACTUAL : p.actual();
            assertThat(registry.get(HarMetrics.PREDICTIONS).tag("actual", actual).tag("predicted", p.predicted())
                    .counter().count()).isPositive();
        }
        var latency = registry.get(HarMetrics.EVENT_TO_PREDICTION).timer();
        assertThat(latency.count()).isEqualTo(3);
        // From each completing event's timestamp to the mock's clock (T0) plus the pass: at least 1.5 s.
        assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(
                (T0 - a.recordTimestamp()) + (T0 - b.recordTimestamp()) + (T0 - c.recordTimestamp()));
    }

    @Test
    void closeCancelsThePunctuator() {
        start(10).close();
        assertThat(punctuator().cancelled()).isTrue();
        processor = null;
    }
}
