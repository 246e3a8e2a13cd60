package io.harstream.core.data;

/**
 * One accelerometer reading.
 *
 * @param timestampMs milliseconds on the recording device's clock (WISDM files store nanoseconds;
 *                    readers convert), or epoch milliseconds for live events
 * @param x           acceleration along the phone's x axis, m/s^2, gravity included
 * @param y           acceleration along the phone's y axis
 * @param z           acceleration along the phone's z axis
 * @param activity    the activity's display name (e.g. {@code Walking}), or {@code null} when unlabelled
 */
public record Sample(long timestampMs, float x, float y, float z, String activity) {
}
