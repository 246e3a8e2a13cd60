package io.harstream.streamapp.replay;

import io.harstream.core.event.ActivityPrediction;
import io.harstream.core.event.LaggedPrediction;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The fixed-lag labels that prediction records carry ({@code lagged}), read back per window. */
public final class LaggedLabels {

    private LaggedLabels() {
    }

    /**
     * Every window's lagged class from the records, checking that no window is labelled twice and that each record
     * carries windows of its device that came before it, oldest first.
     */
    public static Map<WindowKey, String> of(Collection<ActivityPrediction> predictions) {
        Map<WindowKey, String> labels = new TreeMap<>();
        for (ActivityPrediction p : predictions) {
            long previous = Long.MIN_VALUE;
            for (LaggedPrediction l : p.lagged() == null ? List.<LaggedPrediction>of() : p.lagged()) {
                WindowKey k = new WindowKey(p.device(), l.windowStart());
                // Windows of one run, in the order they came (after a step back, the run before it starts later
                // than the record's own window).
                assertThat(l.windowStart()).as("oldest first").isGreaterThan(previous);
                assertThat(l.windowStart()).as("another window").isNotEqualTo(p.windowStart());
                previous = l.windowStart();
                assertThat(labels.put(k, l.predicted())).as("window %s labelled twice", k).isNull();
            }
        }
        return labels;
    }

    /** The lagged labels' confusion matrix, from the records. */
    public static Confusion confusion(Collection<ActivityPrediction> predictions) {
        Confusion c = new Confusion();
        predictions.stream().filter(p -> p.lagged() != null).flatMap(p -> p.lagged().stream())
                .forEach(l -> c.add(l.actual(), l.predicted()));
        return c;
    }

    /**
     * The labels a stream must have emitted when each device's series ended with a window after a pause over the
     * smoother's gap limit ({@link SyntheticRecordings#closedByAPause}): every window's but each device's last.
     */
    public static Map<WindowKey, String> allButEachDevicesLast(Map<WindowKey, String> offline) {
        TreeMap<WindowKey, String> labelled = new TreeMap<>(offline);
        offline.keySet().stream().map(WindowKey::device).distinct().forEach(device -> labelled.remove(
                labelled.keySet().stream().filter(k -> k.device().equals(device)).max(WindowKey::compareTo)
                        .orElseThrow()));
        return labelled;
    }
}
