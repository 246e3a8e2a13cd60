package io.harstream.core.event;

/**
 * The fixed-lag smoother's final class of an earlier window of the same device, carried by the prediction record of
 * the window that made it final (core's {@code smoothing.FixedLagSmoother}).
 *
 * @param windowStart the earlier window's start (epoch ms): with the record's device, it names that window's own
 *                    prediction record
 * @param windowEnd   the earlier window's end (epoch ms)
 * @param predicted   its class after the fixed-lag smoother
 * @param actual      its majority true label, or null when its events carried none
 */
public record LaggedPrediction(long windowStart, long windowEnd, String predicted, String actual) {
}
