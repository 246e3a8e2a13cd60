package io.harstream.streamapp.replay;

import io.harstream.core.event.ActivityPrediction;
import io.harstream.streamapp.metrics.HarMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A confusion matrix as counts keyed {@code "actual -> predicted"}, zero cells left out, so that an
 * assertion failure prints exactly the cells that differ. Unlabelled windows count under "unknown".
 */
public final class Confusion {

    private final TreeMap<String, Long> cells = new TreeMap<>();

    public void add(String actual, String predicted) {
        cells.merge(cell(actual == null ? HarMetrics.UNKNOWN_ACTUAL : actual, predicted), 1L, Long::sum);
    }

    public long total() {
        return cells.values().stream().mapToLong(Long::longValue).sum();
    }

    public long correct() {
        return cells.entrySet().stream().filter(e -> {
            String[] p = e.getKey().split(" -> ");
            return p[0].equals(p[1]);
        }).mapToLong(Map.Entry::getValue).sum();
    }

    /** Number of distinct predicted classes: a check that the matrix is not trivially one column. */
    public long predictedClasses() {
        return cells.keySet().stream().map(k -> k.split(" -> ")[1]).distinct().count();
    }

    public Map<String, Long> cells() {
        return Collections.unmodifiableMap(cells);
    }

    public static Confusion of(Collection<ActivityPrediction> predictions) {
        Confusion c = new Confusion();
        predictions.forEach(p -> c.add(p.actual(), p.predicted()));
        return c;
    }

    /** The smoothed predictions' matrix, from the records' {@code smoothedPredicted}. */
    public static Confusion ofSmoothed(Collection<ActivityPrediction> predictions) {
        Confusion c = new Confusion();
        predictions.forEach(p -> c.add(p.actual(), p.smoothedPredicted()));
        return c;
    }

    /** The network's matrix as {@code har_predictions_total{stage="raw"}} counts it. */
    public static Confusion fromMetrics(MeterRegistry registry, List<String> classes) {
        return fromMetrics(registry, classes, HarMetrics.Stage.RAW);
    }

    /** The matrix of one stage as {@code har_predictions_total} counts it. */
    public static Confusion fromMetrics(MeterRegistry registry, List<String> classes, HarMetrics.Stage stage) {
        Confusion c = new Confusion();
        for (String actual : concat(classes)) {
            for (String predicted : classes) {
                long n = (long) registry.get(HarMetrics.PREDICTIONS).tag("actual", actual)
                        .tag("predicted", predicted).tag("stage", stage.id()).counter().count();
                if (n > 0) {
                    c.cells.put(cell(actual, predicted), n);
                }
            }
        }
        return c;
    }

    private static List<String> concat(List<String> classes) {
        return Stream.concat(classes.stream(), Stream.of(HarMetrics.UNKNOWN_ACTUAL)).toList();
    }

    private static String cell(String actual, String predicted) {
        return actual + " -> " + predicted;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Confusion other && cells.equals(other.cells);
    }

    @Override
    public int hashCode() {
        return cells.hashCode();
    }

    @Override
    public String toString() {
        return cells.toString();
    }
}
