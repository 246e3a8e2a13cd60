package io.harstream.streamapp.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.harstream.core.event.ActivityPrediction;
import io.harstream.streamapp.metrics.HarMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

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

    /** A matrix as the trainer's metrics.json writes it: rows actual, columns predicted, in {@code classes} order. */
    public static Confusion ofTrainerCounts(JsonNode counts, List<String> classes) {
        assertThat(counts.size()).as("rows of %s", counts).isEqualTo(classes.size());
        Confusion c = new Confusion();
        for (int actual = 0; actual < classes.size(); actual++) {
            JsonNode row = counts.get(actual);
            assertThat(row.size()).isEqualTo(classes.size());
            for (int predicted = 0; predicted < classes.size(); predicted++) {
                for (long n = row.get(predicted).asLong(); n > 0; n--) {
                    c.add(classes.get(actual), classes.get(predicted));
                }
            }
        }
        return c;
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
