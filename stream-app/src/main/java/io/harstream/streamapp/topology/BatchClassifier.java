package io.harstream.streamapp.topology;

import io.harstream.core.event.ActivityPrediction;
import io.harstream.core.event.PredictionCodec;
import io.harstream.core.model.ActivityClassifier;
import io.harstream.core.smoothing.ActivitySmoother;
import io.harstream.core.smoothing.SmootherState;
import io.harstream.core.window.Window;
import io.harstream.streamapp.metrics.HarMetrics;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Classifies ready windows in batches: one forward pass for many devices' windows is far cheaper than
 * one per window. Ready windows wait in the changelogged {@code pending-windows} store (key: device +
 * window start); a batch closes when {@code batchSize} windows are pending or when its first window has
 * waited {@code maxDelay} (checked on every new window and by a wall-clock punctuator every
 * {@code maxDelay}), whichever comes first. Then every pending window of this task goes through ONE
 * {@link ActivityClassifier#probabilities} call, the predictions are forwarded and the pending entries
 * deleted.
 *
 * <p>The delay adapts to the model: a batch stays open at least as long as the previous forward pass
 * took. A DL4J LSTM pass has a large fixed cost, almost the same for 1 window as for a full batch (see
 * BENCHMARKS.md, "Inference: the fast LSTM path vs DL4J"); closing a batch every {@code maxDelay} would
 * then spend all the thread's time on passes over one or two windows, and the input would back up
 * without bound. Waiting as long as a pass takes bounds the time spent classifying to about half, lets
 * batches grow with the load, and changes nothing when passes are faster than {@code maxDelay}.
 *
 * <p>Why this is exactly-once across crashes: under {@code exactly_once_v2} the input offsets, the writes
 * to both stores' changelogs and the output records of one task are committed in one Kafka transaction.
 * A window that became ready is, in the same transaction as the event that completed it, either still in
 * {@code pending-windows} (not yet classified) or already deleted from it with its prediction written —
 * never "deleted but not written" nor "written but still pending". If the process dies in between, the
 * open transaction is aborted: the prediction records are invisible to read_committed consumers, the
 * store is restored from the changelog to the last commit and the input is re-read from the last committed
 * offset, so the window is produced again exactly as the first time and predicted once. Windows found
 * pending after a restore (classified in no committed transaction) are picked up by the next punctuation.
 *
 * <p>The meters count what this process forwarded: a window whose transaction was aborted inside a
 * running process (a task migrated away mid-commit) and that is redone counts twice in
 * {@code har_predictions_total}, while the topic still holds its prediction once.
 *
 * <p>Smoothing (a bundle with a smoothing section): each device's {@link SmootherState} lives in the changelogged
 * {@code device-smoothers} store; a batch takes every window through the device's {@link ActivitySmoother} in
 * window-start order (the store key's order), and the prediction record carries the raw and the smoothed class side
 * by side. The states are written in the same transaction as the predictions and the pending deletes, so after a
 * crash the state and the predictions are restored together: a window is never smoothed twice nor skipped. A window
 * that arrives with a start at or before a pending window of its device (the device's series stepped back) first
 * closes the batch, so a device's windows are always smoothed in the order they were completed, as the trainer's
 * evaluation smooths them.
 *
 * <p>Which model classifies ({@link ModelSlot}): at each batch the processor takes the models serving now (the models
 * topic may have changed them), so the whole batch is classified by one active model, named in every prediction, and
 * by the candidate when there is one, whose predictions are counted and go to the shadow sink in the same
 * transaction. A window's true label is read in the running topology's classes and counts as unlabelled for a model
 * without that class.
 *
 * <p>With a smoothing lag of {@code L} windows ({@link DeviceSmoothers}), the same store holds each device's
 * fixed-lag state, and the record of a window also carries the lagged labels that became final with it (normally
 * window {@code t-L}'s; after a restart of the device's series, those of the windows before it), counted under
 * {@code stage="lagged"}. They are written in the same transaction as the rest, so the same argument holds: a
 * window's lagged label is emitted once, the trainer's fixed-lag label (a device's last windows wait for its next).
 *
 * <p>{@link ActivityClassifier} is not thread-safe; each instance of this processor (one per task, and a
 * task runs on one stream thread at a time) gets its own classifier from the supplier.
 */
final class BatchClassifier extends ContextualProcessor<String, ReadyWindow, String, byte[]> {

    /** The models, with this processor's classifiers; built at init. */
    private final Supplier<ModelSlot> slotFactory;
    /** The running topology's classes: what a window's label index names. */
    private final List<String> classes;
    private final HarMetrics metrics;
    private final String storeName;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final int batchSize;
    private final Duration maxDelay;
    /** Null when the topology keeps no smoother states. */
    private final String smoothersStoreName;
    /** The child that gets the candidate's predictions, or null: then every prediction goes to every child. */
    private final String shadowChild;
    private final int smoothingLag;
    private KeyValueStore<byte[], byte[]> pending;
    /** Null when the topology keeps no smoother state. */
    private DeviceSmoothers smoothers;
    private ModelSlot slot;
    private Cancellable punctuator;
    /** Entries in {@link #pending}; exact, because this processor is the store's only writer. */
    private int pendingCount;
    /** Per device, the latest start of its pending windows: answers {@link #pendingAtOrAfter} without a store scan. */
    private final Map<String, Long> newestPending = new HashMap<>();
    /** Wall-clock time the oldest pending window has waited since (in this process). */
    private long batchOpenedAt;
    /** Duration of the previous forward pass: the least time a batch stays open. */
    private long lastPassMs;

    BatchClassifier(Supplier<ActivityClassifier> classifierFactory, List<String> classes, String modelVersion,
                    HarMetrics metrics, String storeName, int batchSize, Duration maxDelay) {
        this(classifierFactory, classes, modelVersion, metrics, storeName, batchSize, maxDelay, null, null);
    }

    /**
     * @param smoother           the bundle's smoother, or null when it does not smooth
     * @param smoothersStoreName the per-device {@link SmootherState} store (with a smoother)
     */
    BatchClassifier(Supplier<ActivityClassifier> classifierFactory, List<String> classes, String modelVersion,
                    HarMetrics metrics, String storeName, int batchSize, Duration maxDelay, ActivitySmoother smoother,
                    String smoothersStoreName) {
        this(() -> ModelSlot.fixed(classifierFactory, classes, modelVersion, smoother, metrics), classes, metrics,
                storeName, batchSize, maxDelay, smoother == null ? null : smoothersStoreName, null, 0);
    }

    /**
     * @param slotFactory        the models this processor classifies with ({@link ModelSlot#refresh} at each batch)
     * @param classes            the running topology's classes, which a window's label index names
     * @param smoothersStoreName the per-device {@link SmootherState} store, or null when the topology keeps none
     * @param smoothingLag       windows of look-ahead of the fixed-lag smoother served beside the causal one (0: none)
     * @param shadowChild        the sink of the candidate's predictions, or null for none
     */
    BatchClassifier(Supplier<ModelSlot> slotFactory, List<String> classes, HarMetrics metrics, String storeName,
                    int batchSize, Duration maxDelay, String smoothersStoreName, String shadowChild, int smoothingLag) {
        this.slotFactory = slotFactory;
        this.classes = List.copyOf(classes);
        this.metrics = metrics;
        this.storeName = storeName;
        this.batchSize = batchSize;
        this.maxDelay = maxDelay;
        this.smoothersStoreName = smoothersStoreName;
        this.shadowChild = shadowChild;
        this.smoothingLag = smoothingLag;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        super.init(context);
        this.pending = context.getStateStore(storeName);
        this.smoothers = smoothersStoreName == null ? null
                : new DeviceSmoothers(smoothingLag, classes, context.getStateStore(smoothersStoreName));
        if (slot == null) {
            slot = slotFactory.get();
        }
        // init runs after the store was restored: windows left pending by a crash are counted here.
        pendingCount = 0;
        newestPending.clear();
        try (KeyValueIterator<byte[], byte[]> it = pending.all()) {
            while (it.hasNext()) {
                ReadyWindow r = ReadyWindow.fromBytes(it.next().value);
                newestPending.merge(r.device(), r.window().startTs(), Math::max);
                pendingCount++;
            }
        }
        batchOpenedAt = context.currentSystemTimeMs();
        punctuator = context.schedule(maxDelay, PunctuationType.WALL_CLOCK_TIME, now -> {
            if (due(now)) {
                flush();
            }
        });
    }

    @Override
    public void process(Record<String, ReadyWindow> record) {
        byte[] key = record.value().storeKey();
        if (pendingAtOrAfter(record.value())) {
            // The same device restarted and completed a window starting no later than one still pending before the
            // batch closed: classify (and smooth) the older ones first rather than overwrite or reorder them.
            flush();
        }
        long now = context().currentSystemTimeMs();
        if (pendingCount == 0) {
            batchOpenedAt = now;
        }
        pending.put(key, record.value().toBytes());
        newestPending.merge(record.value().device(), record.value().window().startTs(), Math::max);
        pendingCount++;
        if (pendingCount >= batchSize || due(now)) {
            flush();
        }
    }

    private boolean pendingAtOrAfter(ReadyWindow window) {
        Long newest = newestPending.get(window.device());
        return newest != null && newest >= window.window().startTs();
    }

    private boolean due(long now) {
        return pendingCount > 0 && now - batchOpenedAt >= Math.max(maxDelay.toMillis(), lastPassMs);
    }

    /** Classifies everything pending in one batched call and forwards the predictions. */
    private void flush() {
        if (pendingCount == 0) {
            return;
        }
        List<byte[]> keys = new ArrayList<>(pendingCount);
        List<ReadyWindow> ready = new ArrayList<>(pendingCount);
        try (KeyValueIterator<byte[], byte[]> it = pending.all()) {
            while (it.hasNext()) {
                KeyValue<byte[], byte[]> kv = it.next();
                keys.add(kv.key);
                ready.add(ReadyWindow.fromBytes(kv.value));
            }
        }
        pendingCount = 0;
        newestPending.clear();
        if (ready.isEmpty()) {
            return;
        }
        List<Window> windows = new ArrayList<>(ready.size());
        for (ReadyWindow r : ready) {
            windows.add(r.window());
        }
        // A batch boundary: the models serving now classify the whole batch.
        slot.refresh();
        ModelSlot.Served model = slot.active();
        ModelSlot.Served candidate = slot.candidate();
        ActivitySmoother smoother = model.smoother();
        long started = System.nanoTime();
        long cpuStarted = threadCpuNanos();
        float[][] probabilities = model.classifier().probabilities(windows);
        long passNanos = System.nanoTime() - started;
        metrics.inferenceBatch(windows.size(), passNanos, cpuStarted < 0 ? -1 : threadCpuNanos() - cpuStarted);
        float[][] shadow = candidate == null ? null : candidate.classifier().probabilities(windows);
        lastPassMs = (System.nanoTime() - started) / 1_000_000;
        // The context's clock is the stream thread's, read before the pass: add the pass to it.
        long forwardedAt = context().currentSystemTimeMs() + lastPassMs;

        for (int i = 0; i < ready.size(); i++) {
            ReadyWindow r = ready.get(i);
            Window w = r.window();
            String predicted = model.classes().get(ActivityClassifier.argmax(probabilities[i]));
            String label = w.labelled() ? classes.get(w.label()) : null;
            String actual = label != null && model.classes().contains(label) ? label : null;
            DeviceSmoothers.Smoothed s = smoother == null ? null
                    : smoothers.next(smoother, r.device(), w, probabilities[i]);
            SmootherState state = s == null ? null : s.filter();
            String smoothed = state == null ? null : model.classes().get(state.predicted());
            ActivityPrediction prediction = new ActivityPrediction(r.device(), w.startTs(), w.endTs(), predicted,
                    model.classes(), probabilities[i], actual, model.version(), smoothed,
                    state == null ? null : state.probabilities(), s == null ? null : s.lagged());
            Record<String, byte[]> out = new Record<>(r.device(), PredictionCodec.encode(prediction),
                    r.recordTimestamp());
            if (shadowChild == null) {
                context().forward(out);
            } else {
                context().forward(out, HarTopology.PREDICTIONS_SINK);
            }
            model.meters().prediction(HarMetrics.Stage.RAW, actual, predicted);
            metrics.confidence(predicted, probabilities[i]);
            if (smoothed != null) {
                model.meters().prediction(HarMetrics.Stage.SMOOTHED, actual, smoothed);
            }
            if (candidate != null) {
                shadow(r, label, predicted, candidate, shadow[i]);
            }
            if (s != null && s.lagged() != null) {
                s.lagged().forEach(l -> model.meters().prediction(HarMetrics.Stage.LAGGED, l.actual(),
                        l.predicted()));
            }
            metrics.eventToPrediction(forwardedAt - r.recordTimestamp());
            pending.delete(keys.get(i));
        }
        if (smoothers != null) {
            smoothers.write();
        }
    }

    /** The candidate's prediction of the same window: counted, compared with the active one's, and to the shadow topic. */
    private void shadow(ReadyWindow r, String label, String activePredicted, ModelSlot.Served candidate,
                        float[] probabilities) {
        String predicted = candidate.classes().get(ActivityClassifier.argmax(probabilities));
        String actual = label != null && candidate.classes().contains(label) ? label : null;
        candidate.meters().prediction(HarMetrics.Stage.RAW, actual, predicted);
        metrics.shadowAgreement(predicted.equals(activePredicted));
        if (shadowChild != null) {
            Window w = r.window();
            ActivityPrediction prediction = new ActivityPrediction(r.device(), w.startTs(), w.endTs(), predicted,
                    candidate.classes(), probabilities, actual, candidate.version(), null, null);
            context().forward(new Record<>(r.device(), PredictionCodec.encode(prediction), r.recordTimestamp()),
                    shadowChild);
        }
    }

    @Override
    public void close() {
        if (punctuator != null) {
            punctuator.cancel();
        }
    }

    /** This thread's CPU time, or -1 where the JVM cannot tell. */
    private static long threadCpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }
}
