package io.harstream.demo;

import io.harstream.streamapp.metrics.HarMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the demo shows at one instant, read from the stream-app's own meters (the numbers Prometheus
 * scrapes) and the simulator's counters.
 *
 * @param nanos        monotonic time of the reading, for rates between two snapshots
 * @param eventsSent   events the simulator handed to Kafka, bad ones included
 * @param outcomes     stream-app input records by outcome (accepted, rejected, duplicate, late)
 * @param deadLetters  dead letters by reject reason (only reasons seen)
 * @param classes      class order of the confusion matrix
 * @param confusion    labelled predictions, {@code [actual][predicted]}
 * @param unlabelled   predictions of windows whose events carried no activity
 * @param smoothedCorrect  labelled windows whose smoothed prediction was right (0 when the model does not smooth)
 * @param smoothedLabelled labelled windows with a smoothed prediction (0 when the model does not smooth)
 */
public record DemoSnapshot(long nanos, long eventsSent, Map<String, Long> outcomes, Map<String, Long> deadLetters,
                           List<String> classes, long[][] confusion, long unlabelled, long smoothedCorrect,
                           long smoothedLabelled) {

    /** Reads the stream-app's meters from {@code registry}. */
    public static DemoSnapshot read(MeterRegistry registry, List<String> classes, long eventsSent, long nanos) {
        Map<String, Long> outcomes = new LinkedHashMap<>();
        for (HarMetrics.Outcome o : HarMetrics.Outcome.values()) {
            outcomes.put(o.id(), count(registry.find(HarMetrics.EVENTS).tag("outcome", o.id()).counter()));
        }
        Map<String, Long> deadLetters = new LinkedHashMap<>();
        for (Counter c : registry.find(HarMetrics.DEAD_LETTERS).counters()) {
            long n = count(c);
            if (n > 0) {
                deadLetters.put(c.getId().getTag("reason"), n);
            }
        }
        long[][] confusion = new long[classes.size()][classes.size()];
        long unlabelled = 0;
        // The network's predictions: a bundle that smooths also counts each window under stage="smoothed". The written
        // ones only (role="active"): a candidate counts the same windows again in its shadow.
        String active = HarMetrics.Role.ACTIVE.id();
        for (Counter c : registry.find(HarMetrics.PREDICTIONS).tag("stage", HarMetrics.Stage.RAW.id())
                .tag("role", active).counters()) {
            String actual = c.getId().getTag("actual");
            int p = classes.indexOf(c.getId().getTag("predicted"));
            if (HarMetrics.UNKNOWN_ACTUAL.equals(actual)) {
                unlabelled += count(c);
            } else if (p >= 0 && classes.contains(actual)) {
                confusion[classes.indexOf(actual)][p] += count(c);
            }
        }
        long smoothedCorrect = 0;
        long smoothedLabelled = 0;
        for (Counter c : registry.find(HarMetrics.PREDICTIONS).tag("stage", HarMetrics.Stage.SMOOTHED.id())
                .tag("role", active).counters()) {
            String actual = c.getId().getTag("actual");
            if (!HarMetrics.UNKNOWN_ACTUAL.equals(actual)) {
                smoothedLabelled += count(c);
                smoothedCorrect += actual.equals(c.getId().getTag("predicted")) ? count(c) : 0;
            }
        }
        return new DemoSnapshot(nanos, eventsSent, outcomes, deadLetters, List.copyOf(classes), confusion, unlabelled,
                smoothedCorrect, smoothedLabelled);
    }

    private static long count(Counter c) {
        return c == null ? 0 : Math.round(c.count());
    }

    public long labelledPredictions() {
        long n = 0;
        for (long[] row : confusion) {
            for (long v : row) {
                n += v;
            }
        }
        return n;
    }

    public long correctPredictions() {
        long n = 0;
        for (int i = 0; i < confusion.length; i++) {
            n += confusion[i][i];
        }
        return n;
    }

    public long predictions() {
        return labelledPredictions() + unlabelled;
    }

    /** Correct over labelled predictions; NaN before the first one. */
    public double accuracy() {
        long labelled = labelledPredictions();
        return labelled == 0 ? Double.NaN : (double) correctPredictions() / labelled;
    }

    public long outcome(HarMetrics.Outcome o) {
        return outcomes.getOrDefault(o.id(), 0L);
    }

    public long deadLetterTotal() {
        return deadLetters.values().stream().mapToLong(Long::longValue).sum();
    }
}
