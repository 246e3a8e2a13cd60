package io.harstream.core.event;

import java.util.List;

/**
 * One classified window on the {@code activity-predictions} topic (key = device id).
 *
 * @param device        device id
 * @param windowStart   timestamp of the window's first sample (epoch ms)
 * @param windowEnd     timestamp of the window's last sample (epoch ms)
 * @param predicted     most probable class
 * @param classes       class names, in the order of {@code probabilities}
 * @param probabilities softmax output, one per class
 * @param actual        majority true label of the window's samples, or null when the events carried none
 * @param modelVersion  the bundle's model version
 */
public record ActivityPrediction(String device, long windowStart, long windowEnd, String predicted,
                                 List<String> classes, float[] probabilities, String actual, String modelVersion) {
}
