package io.harstream.core.smoothing;

/**
 * The fixed-lag smoother's final label of one window, reported {@code L} windows after it (or when its run ended).
 *
 * @param windowStart the window's start (epoch ms)
 * @param windowEnd   the window's end (epoch ms)
 * @param label       the window's true class index as given to {@link FixedLagSmoother#step}, or {@link #UNLABELLED}
 * @param predicted   the smoothed class index: {@link ActivitySmoother#smooth}'s for the same series and lag
 */
public record LaggedLabel(long windowStart, long windowEnd, int label, int predicted) {

    /** The {@code label} of a window whose events carried no activity. */
    public static final int UNLABELLED = -1;
}
