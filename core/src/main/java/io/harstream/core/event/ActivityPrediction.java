package io.harstream.core.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One classified window on the {@code activity-predictions} topic (key = device id).
 *
 * @param device                device id
 * @param windowStart           timestamp of the window's first sample (epoch ms)
 * @param windowEnd             timestamp of the window's last sample (epoch ms)
 * @param predicted             most probable class
 * @param classes               class names, in the order of {@code probabilities}
 * @param probabilities         softmax output, one per class
 * @param actual                majority true label of the window's samples, or null when the events carried none
 * @param modelVersion          the bundle's model version
 * @param smoothedPredicted     most probable class after the device's smoother took this window in (core's
 *                              {@code ActivitySmoother}); null, and absent from the JSON, when the bundle does not
 *                              smooth. Added after the first format: readers that ignore unknown fields read both
 * @param smoothedProbabilities the smoother's belief over {@code classes} after this window; null and absent like
 *                              {@code smoothedPredicted}
 * @param lagged                with a fixed smoothing lag of {@code L} windows: the earlier windows of this device
 *                              whose lagged class became final with this window, oldest first (window {@code t-L};
 *                              after a restart of the device's series, the last windows before it); null, and absent
 *                              from the JSON, when there are none or no lag is served. Added after the smoothed fields
 */
public record ActivityPrediction(String device, long windowStart, long windowEnd, String predicted,
                                 List<String> classes, float[] probabilities, String actual, String modelVersion,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) String smoothedPredicted,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) float[] smoothedProbabilities,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) List<LaggedPrediction> lagged) {

    /** A prediction without lagged labels (no fixed lag served). */
    public ActivityPrediction(String device, long windowStart, long windowEnd, String predicted, List<String> classes,
                              float[] probabilities, String actual, String modelVersion, String smoothedPredicted,
                              float[] smoothedProbabilities) {
        this(device, windowStart, windowEnd, predicted, classes, probabilities, actual, modelVersion, smoothedPredicted,
                smoothedProbabilities, null);
    }
}
