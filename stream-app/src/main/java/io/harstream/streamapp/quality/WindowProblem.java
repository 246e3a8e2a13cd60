package io.harstream.streamapp.quality;

import java.util.Locale;

/**
 * What can be wrong with a window's raw samples, seen without a label or the model; the {@code kind} label of
 * {@code har_window_problems_total}. A window may show several. Thresholds: {@link WindowQuality}.
 */
public enum WindowProblem {
    /**
     * The window's mean |a| is far from gravity: a phone in free fall (near 0), or a sensor reporting in g
     * rather than m/s^2 (near 1).
     */
    GRAVITY_OFF,
    /** One axis does not move at all over the window: a stuck or disconnected sensor axis. */
    FLAT_AXIS,
    /**
     * The window's samples span a time far from what the model's sample rate implies: the device samples at
     * another rate (the segmenter counts samples, so a 10 Hz device gives windows twice as long).
     */
    RATE_OFF;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
