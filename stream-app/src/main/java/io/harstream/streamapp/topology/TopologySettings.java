package io.harstream.streamapp.topology;

import io.harstream.core.smoothing.FixedLagSmoother;

import java.time.Duration;

/**
 * What the topology needs besides the model: topic names and the batching limits.
 *
 * @param inputTopic       sensor events, key = device id
 * @param predictionsTopic one record per classified window
 * @param deadLetterTopic  rejected input records, original bytes, reason in headers
 * @param batchSize        a batch closes when this many windows are pending
 * @param batchMaxDelay    ... or when this much wall-clock time has passed (the punctuation interval)
 * @param smoothingLag     for a bundle that smooths: windows of look-ahead of the fixed-lag smoother, whose label of
 *                         each window rides on the prediction record {@code smoothingLag} windows later (0: none)
 */
public record TopologySettings(String inputTopic, String predictionsTopic, String deadLetterTopic, int batchSize,
                               Duration batchMaxDelay, int smoothingLag) {

    public static final String DEFAULT_INPUT_TOPIC = "sensor-events";
    public static final String DEFAULT_PREDICTIONS_TOPIC = "activity-predictions";
    public static final String DEFAULT_DEAD_LETTER_TOPIC = "sensor-events-dlq";
    public static final int DEFAULT_BATCH_SIZE = 256;
    public static final long DEFAULT_BATCH_MAX_DELAY_MS = 25;
    /** The largest {@code smoothingLag}: each device's state keeps that many windows. */
    public static final int MAX_SMOOTHING_LAG = FixedLagSmoother.MAX_LAG;

    public TopologySettings {
        requireName(inputTopic, "input topic");
        requireName(predictionsTopic, "predictions topic");
        requireName(deadLetterTopic, "dead-letter topic");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (batchMaxDelay == null || batchMaxDelay.toMillis() < 1) {
            throw new IllegalArgumentException("batch max delay must be at least 1 ms, got " + batchMaxDelay);
        }
        if (smoothingLag < 0 || smoothingLag > MAX_SMOOTHING_LAG) {
            throw new IllegalArgumentException("smoothing lag must be 0 to " + MAX_SMOOTHING_LAG + " windows, got "
                    + smoothingLag);
        }
    }

    /** Settings without a smoothing lag. */
    public TopologySettings(String inputTopic, String predictionsTopic, String deadLetterTopic, int batchSize,
                            Duration batchMaxDelay) {
        this(inputTopic, predictionsTopic, deadLetterTopic, batchSize, batchMaxDelay, 0);
    }

    /** The design's topic names and batching defaults. */
    public static TopologySettings defaults() {
        return new TopologySettings(DEFAULT_INPUT_TOPIC, DEFAULT_PREDICTIONS_TOPIC, DEFAULT_DEAD_LETTER_TOPIC,
                DEFAULT_BATCH_SIZE, Duration.ofMillis(DEFAULT_BATCH_MAX_DELAY_MS));
    }

    public TopologySettings withBatching(int size, Duration maxDelay) {
        return new TopologySettings(inputTopic, predictionsTopic, deadLetterTopic, size, maxDelay, smoothingLag);
    }

    public TopologySettings withSmoothingLag(int lag) {
        return new TopologySettings(inputTopic, predictionsTopic, deadLetterTopic, batchSize, batchMaxDelay, lag);
    }

    private static void requireName(String topic, String what) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException(what + " must be named");
        }
    }
}
