package io.harstream.streamapp.topology;

import io.harstream.core.event.LaggedPrediction;
import io.harstream.core.smoothing.ActivitySmoother;
import io.harstream.core.smoothing.FixedLagSmoother;
import io.harstream.core.smoothing.FixedLagState;
import io.harstream.core.smoothing.LaggedLabel;
import io.harstream.core.smoothing.SmootherState;
import io.harstream.core.window.Window;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The smoothing of one batch's windows against the {@code device-smoothers} store: each device's state is read once,
 * carried from window to window of the batch in memory, and written back by {@link #write} in the batch's
 * transaction.
 *
 * <p>Without a lag the store holds {@link SmootherState}s, as it always has. With a lag of {@code L} windows it holds
 * {@link FixedLagState}s (the filter plus the up to {@code L} windows waiting for their lagged labels), each
 * window goes through the {@link FixedLagSmoother}, and the labels that become final with it come back to ride on
 * its record. The two formats read each other ({@link FixedLagState}), so the lag can be switched on or off over
 * an existing store: the filter goes on, and switching it off drops the labels still waiting.
 */
final class DeviceSmoothers {

    /** A window's smoothing: the causal filter after it, and the lagged labels final with it (null: none). */
    record Smoothed(SmootherState filter, List<LaggedPrediction> lagged) {
    }

    private final int lag;
    /** The smoother of the model serving the current batch (a model swap may bring another one). */
    private ActivitySmoother smoother;
    /** Null without a lag. */
    private FixedLagSmoother lagged;
    private final List<String> classes;
    private final KeyValueStore<String, byte[]> store;
    /** This batch's states: {@link SmootherState} without a lag, {@link FixedLagState} with one. */
    private final Map<String, Object> batch = new HashMap<>();

    DeviceSmoothers(int lag, List<String> classes, KeyValueStore<String, byte[]> store) {
        this.lag = lag;
        this.classes = List.copyOf(classes);
        this.store = store;
    }

    /**
     * Takes the device's next window in, through {@code smoother}: the smoother of the model that classified it. A
     * model that smooths has the running topology's classes (ModelCompatibility), so a swapped-in model's smoother
     * goes on from the stored states.
     */
    Smoothed next(ActivitySmoother smoother, String device, Window w, float[] probabilities) {
        if (smoother != this.smoother) {
            this.smoother = smoother;
            this.lagged = lag > 0 ? new FixedLagSmoother(smoother, lag) : null;
        }
        if (lagged == null) {
            SmootherState previous = batch.containsKey(device) ? (SmootherState) batch.get(device) : causal(device);
            SmootherState state = smoother.step(previous, w.startTs(), probabilities);
            batch.put(device, state);
            return new Smoothed(state, null);
        }
        FixedLagState previous = batch.containsKey(device) ? (FixedLagState) batch.get(device) : withLag(device);
        FixedLagSmoother.Step step = lagged.step(previous, w.startTs(), w.endTs(),
                w.labelled() ? w.label() : LaggedLabel.UNLABELLED, probabilities);
        batch.put(device, step.state());
        List<LaggedPrediction> labels = new ArrayList<>(step.labelled().size());
        for (LaggedLabel l : step.labelled()) {
            labels.add(new LaggedPrediction(l.windowStart(), l.windowEnd(), classes.get(l.predicted()),
                    l.label() == LaggedLabel.UNLABELLED ? null : classes.get(l.label())));
        }
        return new Smoothed(step.state().filter(), labels.isEmpty() ? null : labels);
    }

    /** Writes the batch's states to the store (one put per device) and starts the next batch. */
    void write() {
        batch.forEach((device, state) -> store.put(device, state instanceof FixedLagState f ? f.toBytes()
                : ((SmootherState) state).toBytes()));
        batch.clear();
    }

    private SmootherState causal(String device) {
        byte[] bytes = store.get(device);
        return bytes == null ? null : SmootherState.fromBytes(bytes);
    }

    private FixedLagState withLag(String device) {
        byte[] bytes = store.get(device);
        return bytes == null ? null : FixedLagState.fromBytes(bytes);
    }
}
